// SPDX-License-Identifier: Apache-2.0
// End-to-end tests of `custos record show` and `custos record history` on the demo data.
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "custos_runner.h"
#include "demo_archive.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

using nlohmann::json;

constexpr int kExitNoInput = 66;

TEST(RecordShow, PrintsTheCanonicalRecordExactlyOrPretty) {
  TempDir dir;
  const std::string data = CopyDemoData(dir);
  const RunResult canonical = RunCustos({"record", "show", "7", "--canonical", "--data", data});
  ASSERT_EQ(canonical.exit_code, 0) << canonical.err;
  EXPECT_EQ(canonical.out.rfind("{\"at\":\"", 0), 0U) << canonical.out;
  EXPECT_NE(canonical.out.find(",\"id\":7,\"kind\":\"message\",\"v\":1}"), std::string::npos);
  EXPECT_NE(canonical.out.back(), '\n');
  // Canonical JSON: re-serialising with sorted keys and no whitespace gives the same bytes.
  EXPECT_EQ(json::parse(canonical.out).dump(), canonical.out);

  const RunResult pretty = RunCustos({"record", "show", "7", "--data", data});
  ASSERT_EQ(pretty.exit_code, 0) << pretty.err;
  EXPECT_NE(pretty.out.find("\"kind\": \"message\""), std::string::npos) << pretty.out;
  EXPECT_EQ(json::parse(pretty.out), json::parse(canonical.out));

  const RunResult missing = RunCustos({"record", "show", "99999999", "--data", data});
  EXPECT_EQ(missing.exit_code, kExitNoInput);
  EXPECT_NE(missing.err.find("99999999"), std::string::npos) << missing.err;
}

TEST(RecordHistory, ShowsTheOriginalThenItsEdit) {
  TempDir dir;
  const std::string data = CopyDemoData(dir);
  const std::int64_t edit =
      QueryInt(data, "SELECT id FROM messages WHERE kind = 'edit' ORDER BY id LIMIT 1");
  ASSERT_GT(edit, 0) << "the demo data has no edit";

  RunResult r = RunCustos({"record", "history", std::to_string(edit), "--json", "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json history = json::parse(r.out);
  const json& items = history["items"];
  ASSERT_GE(items.size(), 2U) << r.out;
  const json& original = items[0];
  EXPECT_EQ(history["message_id"], original["id"]);
  EXPECT_FALSE(original.contains("edited_of")) << original;
  bool found = false;
  for (const json& item : items) {
    if (item["id"] == edit) {
      found = true;
      EXPECT_EQ(item["edited_of"], original["source_id"]) << item;
      EXPECT_NE(item["text"], original["text"]);
      EXPECT_FALSE(item["from"].get<std::string>().empty());
    }
  }
  EXPECT_TRUE(found) << r.out;

  // Asking by the original's id gives the same history; the text form names each version.
  r = RunCustos({"record", "history", std::to_string(original["id"].get<std::int64_t>()), "--json",
                 "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out), history);
  r = RunCustos({"record", "history", std::to_string(edit), "--data", data});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("  message  "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  edit     "), std::string::npos) << r.out;

  r = RunCustos({"record", "history", "99999999", "--data", data});
  EXPECT_EQ(r.exit_code, kExitNoInput) << r.err;
}

}  // namespace
}  // namespace custos::testing
