// SPDX-License-Identifier: Apache-2.0
// The cross-export matcher against an in-memory "archive" of stored ids: two exports of one
// conversation with clock skews, repeated identical messages, bucket edges, re-imports.
#include "directory/cross_export.h"

#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::directory {
namespace {

constexpr core::Micros kSecond = core::kMicrosPerSecond;
constexpr core::Micros kT0 = 1'767'268'800LL * kSecond;  // a bucket edge (2026-01-01 12:00)

struct Sent {
  std::string from;
  std::string text;
  core::Micros at;  // the sender's time as this export knows it
};

// What the ingest does with the ids: the first of each is stored, the rest are duplicates.
class Archive {
 public:
  CrossExportMatcher::StoredProbe Probe() {
    return [this](const std::string& source, const std::vector<std::string>& ids) {
      std::vector<bool> out;
      for (const std::string& id : ids) {
        out.push_back(ids_.count(source + "/" + id) > 0);
      }
      return core::Result<std::vector<bool>>(out);
    };
  }

  // Imports `messages` as one run; returns how many were duplicates.
  int Import(const std::vector<Sent>& messages) {
    CrossExportMatcher matcher(Probe());
    std::vector<std::string> ids;
    for (const Sent& s : messages) {
      model::Message m;
      m.source = "sms-backup";
      m.channel = "sms";
      m.conversation = "dm:+447700900201 +447700900202";
      m.from = s.from;
      m.text = s.text;
      auto id = matcher.SourceIdFor(m, s.at);
      EXPECT_TRUE(id.has_value());
      ids.push_back(*id);
    }
    int duplicates = 0;
    for (const std::string& id : ids) {  // committed after the run's lookups, like a chunk
      duplicates += ids_.insert("sms-backup/" + id).second ? 0 : 1;
    }
    return duplicates;
  }

  std::size_t size() const { return ids_.size(); }

 private:
  std::set<std::string> ids_;
};

const std::string kAnna = "+447700900201";
const std::string kBen = "+447700900202";

// The conversation as each phone saw it: Anna's clock is 37 s fast; on Ben's side the network
// time of her messages is 1 s after she sent them.
std::vector<Sent> AnnaPhone() {
  return {{kAnna, "Morning Ben", kT0 + 37 * kSecond},
          {kBen, "Morning", kT0 + 61 * kSecond},
          {kAnna, "ok", kT0 + 157 * kSecond},
          {kAnna, "ok", kT0 + 217 * kSecond},
          {kBen, "ok", kT0 + 230 * kSecond},
          {kAnna, "ok", kT0 + 245 * kSecond},  // the next bucket; in Ben's export the same one
          {kBen, "late", kT0 + 490 * kSecond}};
}

std::vector<Sent> BenPhone() {
  return {{kAnna, "Morning Ben", kT0 + 1 * kSecond},
          {kBen, "Morning", kT0 + 60 * kSecond},
          {kAnna, "ok", kT0 + 121 * kSecond},
          {kAnna, "ok", kT0 + 181 * kSecond},
          {kBen, "ok", kT0 + 229 * kSecond},
          {kAnna, "ok", kT0 + 209 * kSecond},
          {kBen, "late", kT0 + 400 * kSecond},  // 90 s before Anna's phone logged it
          {kBen, "only on Ben's phone", kT0 + 500 * kSecond}};
}

TEST(CrossExport, TwoPhonesStoreEachMessageOnceInEitherOrder) {
  Archive forward;
  EXPECT_EQ(forward.Import(AnnaPhone()), 0);
  EXPECT_EQ(forward.Import(BenPhone()), 7);
  EXPECT_EQ(forward.size(), 8u);
  Archive backward;
  EXPECT_EQ(backward.Import(BenPhone()), 0);
  EXPECT_EQ(backward.Import(AnnaPhone()), 7);
  EXPECT_EQ(backward.size(), 8u);
}

TEST(CrossExport, ReimportsStoreNothingAndRepeatsInOneExportStayDistinct) {
  Archive a;
  const std::vector<Sent> yes = {{kAnna, "yes", kT0},
                                 {kAnna, "yes", kT0},  // the same millisecond
                                 {kAnna, "yes", kT0 + 60 * kSecond},
                                 {kAnna, "yes", kT0 + 61 * kSecond}};
  EXPECT_EQ(a.Import(yes), 0);
  EXPECT_EQ(a.size(), 4u);
  EXPECT_EQ(a.Import(yes), 4);
  EXPECT_EQ(a.Import(AnnaPhone()), 0);
  EXPECT_EQ(a.Import(AnnaPhone()), 7);
  EXPECT_EQ(a.Import(BenPhone()), 7);
  EXPECT_EQ(a.size(), 12u);
}

TEST(CrossExport, FarApartOrDifferentMessagesNeverMatch) {
  Archive a;
  EXPECT_EQ(a.Import({{kAnna, "ok", kT0}}), 0);
  EXPECT_EQ(a.Import({{kAnna, "ok", kT0 + 241 * kSecond}}), 0);  // beyond the next bucket
  EXPECT_EQ(a.Import({{kBen, "ok", kT0}}), 0);                   // another sender
  EXPECT_EQ(a.Import({{kAnna, "ok!", kT0}}), 0);                 // another text
  EXPECT_EQ(a.Import({{kAnna, "\xE2\x80\x8E ok  ", kT0 + 5 * kSecond}}), 1);  // invisible marks
  EXPECT_EQ(a.size(), 4u);
}

TEST(CrossExport, IdsNameTheDigestBucketAndOccurrence) {
  EXPECT_EQ(CrossExportId("ab", -3, 0), "fp2-ab--3");
  EXPECT_EQ(CrossExportId("ab", 14727240, 2), "fp2-ab-14727240-2");
  model::Message m;
  m.channel = "sms";
  m.text = "x";
  EXPECT_EQ(CrossExportDigest(m).size(), 32u);
}

}  // namespace
}  // namespace custos::directory
