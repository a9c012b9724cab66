// SPDX-License-Identifier: Apache-2.0
// The same SMS thread backed up from both phones (SMS Backup & Restore), imported one after the
// other through the real binary: each message is stored once although the phones' clocks differ
// by 1 to 90 s, repeated "ok"s stay distinct, the MMS with a picture is stored once, and the
// reverse order stores the same messages (docs/directory.md, directory/cross_export.h).
#include <algorithm>
#include <cstdlib>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

std::string Fixture(const std::string& name) {
  const char* s = std::getenv("CUSTOS_SOURCE_DIR");
  return std::string(s != nullptr ? s : ".") + "/tests/data/importers/sms-backup/" + name;
}

struct Phone {
  std::string file;
  std::string custodian;
};

const Phone kAnna = {"two_phones_anna.xml", "+447700900201"};
const Phone kBen = {"two_phones_ben.xml", "+447700900202"};

nlohmann::json Import(const std::string& data, const Phone& phone) {
  const RunResult r = RunCustos({"import", "sms-backup", Fixture(phone.file), "--data", data,
                                 "--custodian", phone.custodian, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out, nullptr, false);
}

// Every stored message as "channel|conversation|from|text|attachments", sorted.
std::vector<std::string> Stored(const std::string& data) {
  const RunResult r = RunCustos({"export", "jsonl", "--data", data});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < r.out.size()) {
    const std::size_t end = r.out.find('\n', start);
    const auto j = nlohmann::json::parse(r.out.substr(start, end - start));
    std::string attachments;
    for (const auto& a : j.value("attachments", nlohmann::json::array())) {
      attachments += a.value("name", "") + ":" + a.value("sha256", "") + ";";
    }
    out.push_back(j["channel"].get<std::string>() + "|" + j["conversation"].get<std::string>() +
                  "|" + j["from"].get<std::string>() + "|" + j["text"].get<std::string>() + "|" +
                  attachments);
    start = end == std::string::npos ? r.out.size() : end + 1;
  }
  std::sort(out.begin(), out.end());
  return out;
}

long Count(const std::vector<std::string>& stored, const std::string& needle) {
  return std::count_if(stored.begin(), stored.end(),
                       [&](const std::string& s) { return s.find(needle) != std::string::npos; });
}

TEST(SmsCrossExport, BothPhonesBackupsStoreEachMessageOnceInEitherOrder) {
  TempDir dir;
  const std::string forward = dir.File("forward");
  const std::string backward = dir.File("backward");

  const nlohmann::json a1 = Import(forward, kAnna);
  EXPECT_EQ(a1["imported"], 9) << a1;
  const nlohmann::json b1 = Import(forward, kBen);
  EXPECT_EQ(b1["imported"], 1) << b1;  // "See you", only on Ben's phone
  EXPECT_EQ(b1["duplicates"], 8) << b1;

  const nlohmann::json b2 = Import(backward, kBen);
  EXPECT_EQ(b2["imported"], 9) << b2;
  const nlohmann::json a2 = Import(backward, kAnna);
  EXPECT_EQ(a2["imported"], 1) << a2;  // "Thanks, see you at 2", only on Anna's phone
  EXPECT_EQ(a2["duplicates"], 8) << a2;

  const std::vector<std::string> stored = Stored(forward);
  ASSERT_EQ(stored.size(), 10u);
  EXPECT_EQ(stored, Stored(backward));
  const std::string thread = "dm:+447700900201 +447700900202|";
  EXPECT_EQ(Count(stored, "sms|" + thread + "+447700900201|ok|"), 3);  // Anna's three "ok"s
  EXPECT_EQ(Count(stored, "sms|" + thread + "+447700900202|ok|"), 1);  // Ben's one
  EXPECT_EQ(Count(stored, "Running 5 min late"), 1);                   // 90 s apart
  EXPECT_EQ(Count(stored, "mms|" + thread +
                              "+447700900201|Whiteboard from this morning|"
                              "whiteboard.png:"),
            1);
}

TEST(SmsCrossExport, ReimportingEitherBackupStoresNothing) {
  TempDir dir;
  const std::string data = dir.File("data");
  Import(data, kAnna);
  Import(data, kBen);
  for (const Phone& phone : {kAnna, kBen}) {
    const nlohmann::json again = Import(data, phone);
    EXPECT_EQ(again["imported"], 0) << phone.file << " " << again;
    EXPECT_EQ(again["duplicates"], 9) << phone.file << " " << again;
  }
  EXPECT_EQ(Stored(data).size(), 10u);
}

// A group MMS thread of three, backed up from two of the phones: each phone lists the other two
// in mms@address, so the thread is keyed by everyone in it (the custodian included) and each
// message is stored once, in either order.
TEST(SmsCrossExport, GroupMmsFromTwoPhonesIsOneThreadStoredOnce) {
  const Phone anna = {"group_mms_anna.xml", "+447700900201"};
  const Phone ben = {"group_mms_ben.xml", "+447700900202"};
  TempDir dir;
  const std::string forward = dir.File("forward");
  const std::string backward = dir.File("backward");

  EXPECT_EQ(Import(forward, anna)["imported"], 4);
  const nlohmann::json b1 = Import(forward, ben);
  EXPECT_EQ(b1["imported"], 1) << b1;  // "Agreed, Friday 10am", only on Ben's phone
  EXPECT_EQ(b1["duplicates"], 3) << b1;
  EXPECT_EQ(Import(backward, ben)["imported"], 4);
  const nlohmann::json a2 = Import(backward, anna);
  EXPECT_EQ(a2["imported"], 1) << a2;  // "Sending the deck tonight", only on Anna's phone
  EXPECT_EQ(a2["duplicates"], 3) << a2;

  const std::vector<std::string> stored = Stored(forward);
  EXPECT_EQ(stored, Stored(backward));
  const std::string thread = "mms|group:+447700900201 +447700900202 +447700900203|";
  EXPECT_EQ(stored,
            (std::vector<std::string>{
                thread + "+447700900201|Sending the deck tonight|",
                thread + "+447700900201|Slides for Friday are in the shared folder|",  // 19 s skew
                thread + "+447700900202|ok|",
                thread + "+447700900203|Agreed, Friday 10am|",
                thread + "+447700900203|Thanks, I will review them|",
            }));
  for (const Phone& phone : {anna, ben}) {
    EXPECT_EQ(Import(forward, phone)["imported"], 0) << phone.file;
  }
}

}  // namespace
}  // namespace custos::testing
