// SPDX-License-Identifier: Apache-2.0
#include <fstream>
#include <tuple>

#include <gtest/gtest.h>

#include "policy/loader/reader.h"
#include "policy/policy.h"
#include "testing/temp_dir.h"

namespace custos::policy {
namespace {

using Files = std::vector<std::pair<std::string, std::string>>;

// (code, file, line, column) of every diagnostic.
std::vector<std::tuple<std::string, std::string, int, int>> Positions(const LoadResult& r) {
  std::vector<std::tuple<std::string, std::string, int, int>> out;
  for (const Diagnostic& d : r.diagnostics.All()) {
    out.emplace_back(std::string(DiagCodeName(d.code)), d.pos.file, d.pos.line, d.pos.column);
  }
  return out;
}

bool Has(const LoadResult& r, std::string code, std::string file, int line, int column) {
  const auto all = Positions(r);
  return std::find(all.begin(), all.end(), std::tuple{code, file, line, column}) != all.end();
}

constexpr const char* kBroken = R"(- pack: demo
  required_engine_version: 2
  work_hours: {days: [mon, fun], start: "8:00", timezone: Mars/Base}
- list: words
  items: [ok]
  include: [missing, loop_a]
- list: loop_a
  include: [loop_b]
- list: loop_b
  include: [loop_a]
- list: from_file
  file: lists/none.txt
- macro: m1
  condition: m2 and true
- macro: m2
  condition: m1
- detector: emp
  pattern: '(a)\1'
- detector: payment_card
  pattern: 'x'
- rule: r1
  clause: c
  condition: text matches list:nope and channel == whatsap
  severity: extreme
  action: block
  colour: red
- rule: r2
  condition: "attachment.size == \"big\" or detect(no_such) >= high"
  severity: low
  action: warn
- rule: r3
  clause: c3
  condition: |
    text contains "x"
      and sender.grup == 'a'
  severity: low
  action: warn
  tests:
    - text: hi
      expect: [r9]
- rule: r1
  clause: dup
  condition: text regex 'a(?=b)' or m1 or undefined_macro
  severity: low
  action: flag
)";

TEST(PolicyLoader, ReportsEveryErrorOfABrokenPackWithItsPosition) {
  const LoadResult r = LoadPackFromFiles({{"a.yaml", kBroken},
                                          {"b.yaml", "- rule: x\n  condition: [unclosed\n"},
                                          {"c.yaml", "rule: not-a-list\n"},
                                          {"d.yaml", "- rules: typo\n- 42\n"}});
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Has(r, "engine_version", "a.yaml", 2, 28));
  EXPECT_TRUE(Has(r, "invalid_value", "a.yaml", 3, 28));  // fun
  EXPECT_TRUE(Has(r, "invalid_value", "a.yaml", 3, 41));  // 8:00
  EXPECT_TRUE(Has(r, "invalid_value", "a.yaml", 3, 59));  // Mars/Base
  EXPECT_TRUE(Has(r, "unknown_reference", "a.yaml", 6, 13));
  EXPECT_TRUE(Has(r, "reference_cycle", "a.yaml", 10, 13));
  EXPECT_TRUE(Has(r, "file_read", "a.yaml", 12, 9));
  EXPECT_TRUE(Has(r, "reference_cycle", "a.yaml", 15, 3));
  EXPECT_TRUE(Has(r, "bad_pattern", "a.yaml", 18, 12));
  EXPECT_TRUE(Has(r, "duplicate", "a.yaml", 19, 13));
  EXPECT_TRUE(Has(r, "unknown_reference", "a.yaml", 23, 27));  // list:nope
  EXPECT_TRUE(Has(r, "unknown_channel", "a.yaml", 23, 52));    // whatsap
  EXPECT_TRUE(Has(r, "invalid_value", "a.yaml", 24, 13));      // extreme
  EXPECT_TRUE(Has(r, "unknown_key", "a.yaml", 26, 3));         // colour
  EXPECT_TRUE(Has(r, "missing_key", "a.yaml", 27, 3));         // clause of r2
  EXPECT_TRUE(Has(r, "type_mismatch", "a.yaml", 28, 35));
  EXPECT_TRUE(Has(r, "unknown_reference", "a.yaml", 28, 52));  // no_such
  EXPECT_TRUE(Has(r, "condition_syntax", "a.yaml", 35, 11));   // sender.grup, 2nd block line
  EXPECT_TRUE(Has(r, "unknown_reference", "a.yaml", 39, 7));   // expects r9
  EXPECT_TRUE(Has(r, "duplicate", "a.yaml", 41, 3));           // r1 again
  EXPECT_TRUE(Has(r, "bad_pattern", "a.yaml", 43, 14));        // look-ahead
  EXPECT_TRUE(Has(r, "unknown_reference", "a.yaml", 43, 43));  // undefined_macro
  EXPECT_TRUE(Has(r, "yaml_parse", "b.yaml", 3, 1));
  EXPECT_TRUE(Has(r, "yaml_shape", "c.yaml", 1, 1));
  EXPECT_TRUE(Has(r, "unknown_key", "d.yaml", 1, 3));
  EXPECT_TRUE(Has(r, "yaml_shape", "d.yaml", 2, 3));
  EXPECT_GE(r.diagnostics.ErrorCount(), 25) << r.diagnostics.ToText();
  for (const Diagnostic& d : r.diagnostics.All()) {
    EXPECT_GT(d.pos.line, 0) << d.ToString();
  }
}

TEST(PolicyLoader, DiagnosticsNameTheItemAndRenderAsTextAndJson) {
  const LoadResult r = LoadPackFromFiles({{"r.yaml", R"(- rule: r
  clause: c
  condition: text matches list:nope
  severity: low
  action: warn
  tests: [{text: x, expect: []}]
)"}});
  ASSERT_EQ(r.diagnostics.All().size(), 1u);
  EXPECT_EQ(r.diagnostics.All()[0].ToString(),
            "r.yaml:3:27: error[unknown_reference]: rule condition 'r': unknown list 'nope'");
  const std::string json = r.diagnostics.ToJson();
  EXPECT_NE(json.find("\"code\":\"unknown_reference\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"line\":3,\"column\":27"), std::string::npos) << json;
  EXPECT_NE(json.find("\"item\":\"r\""), std::string::npos) << json;
  EXPECT_TRUE(r.diagnostics.ToText().ends_with("\n1 error, 0 warnings\n"));
}

// The column of a syntax error in `condition: <written>`, on line 3 of the file.
std::pair<int, int> ErrorAt(const std::string& written) {
  const LoadResult r = LoadPackFromFiles(
      {{"p.yaml", "- rule: r\n  clause: c\n  condition: " + written +
                      "\n  severity: low\n  action: warn\n  tests: [{text: x, expect: []}]\n"}});
  for (const Diagnostic& d : r.diagnostics.All()) {
    if (d.code == DiagCode::kConditionSyntax) {
      return {d.pos.line, d.pos.column};
    }
  }
  return {0, 0};
}

TEST(PolicyLoader, MapsConditionOffsetsIntoEveryScalarStyle) {
  // "channel == sms and and" fails at the second "and" (offset 19).
  EXPECT_EQ(ErrorAt("channel == sms and and"), std::pair(3, 33));
  EXPECT_EQ(ErrorAt("\"channel == sms and and\""), std::pair(3, 34));
  EXPECT_EQ(ErrorAt("'channel == sms and and'"), std::pair(3, 34));
  EXPECT_EQ(ErrorAt("\"text contains \\\"a\\\" and and\""), std::pair(3, 39));
  EXPECT_EQ(ErrorAt("|\n    channel == sms\n      and and"), std::pair(5, 11));
  EXPECT_EQ(ErrorAt(">\n    channel == sms\n    and and"), std::pair(5, 9));
  EXPECT_EQ(ErrorAt("channel == sms\n    and and"), std::pair(4, 9));
}

TEST(PolicyLoader, WarningsDoNotPreventLoading) {
  const LoadResult r = LoadPackFromFiles({{"r.yaml", R"(- list: spare
  items: [a]
- macro: spare_macro
  condition: channel == sms
- rule: r
  clause: c
  condition: text contains "x" and channel == smoke_signal
  severity: low
  action: warn
)"}});
  EXPECT_TRUE(r.ok()) << r.diagnostics.ToText();
  EXPECT_EQ(r.diagnostics.ErrorCount(), 0);
  EXPECT_EQ(r.diagnostics.WarningCount(), 4) << r.diagnostics.ToText();  // 2 unused, no_tests,
                                                                         // unknown_channel
}

TEST(PolicyLoader, LintsCostlyAndUnsupportedPatternsWithTheReasonAndPosition) {
  std::string many = "w0";
  for (int i = 1; i < 40; ++i) {
    many += "|w" + std::to_string(i);
  }
  const LoadResult r = LoadPackFromFiles({{"p.yaml", R"(- detector: slow_start
  pattern: '[a-z]+@corp'
- rule: r1
  clause: c
  condition: text regex '(?<=acct )[0-9]{8}' or text regex '(ab|cd)+x'
  severity: low
  action: warn
- rule: r2
  clause: c
  condition: text regex ')" + many + R"(' or detect(slow_start) >= low
  severity: low
  action: warn
- detector: repeated
  pattern: '(x)y\1'
)"}});
  EXPECT_FALSE(r.ok());
  EXPECT_TRUE(Has(r, "costly_pattern", "p.yaml", 2, 12)) << r.diagnostics.ToText();
  EXPECT_TRUE(Has(r, "bad_pattern", "p.yaml", 5, 14)) << r.diagnostics.ToText();
  EXPECT_TRUE(Has(r, "costly_pattern", "p.yaml", 5, 49)) << r.diagnostics.ToText();
  EXPECT_TRUE(Has(r, "costly_pattern", "p.yaml", 10, 14)) << r.diagnostics.ToText();
  EXPECT_TRUE(Has(r, "bad_pattern", "p.yaml", 14, 12)) << r.diagnostics.ToText();
  const std::string text = r.diagnostics.ToText();
  EXPECT_NE(text.find("look-behind '(?<='"), std::string::npos) << text;
  EXPECT_NE(text.find("back-reference '\\1'"), std::string::npos) << text;
  EXPECT_NE(text.find("alternation of 40 branches"), std::string::npos) << text;
  EXPECT_NE(text.find("unbounded repeat"), std::string::npos) << text;
}

TEST(PolicyLoader, PackVersionIsTheContentHashOfAllFilesInPathOrder) {
  const Files a = {{"rules.yaml", "[]\n"}, {"lists/x.txt", "foo\n"}};
  const Files b = {{"lists/x.txt", "foo\n"}, {"rules.yaml", "[]\n"}};
  const Files c = {{"lists/x.txt", "bar\n"}, {"rules.yaml", "[]\n"}};
  const Files d = {{"lists/y.txt", "foo\n"}, {"rules.yaml", "[]\n"}};
  const std::string va = LoadPackFromFiles(a).version;
  EXPECT_EQ(va.size(), 64u);
  EXPECT_EQ(va, LoadPackFromFiles(b).version);
  EXPECT_NE(va, LoadPackFromFiles(c).version);
  EXPECT_NE(va, LoadPackFromFiles(d).version);
  EXPECT_EQ(LoadPackFromFiles(a).pack->Version(), va);
}

TEST(PolicyLoader, LoadsADirectoryWithListFilesAndSkipsHiddenOnes) {
  testing::TempDir dir;
  std::filesystem::create_directories(dir.File("lists"));
  std::filesystem::create_directories(dir.File(".git"));
  std::ofstream(dir.File("lists/words.txt")) << "# comment\n\nbadword\n  other word  \n";
  std::ofstream(dir.File(".git/junk.yaml")) << "not: [valid\n";
  std::ofstream(dir.File(".hidden.yaml")) << "also: broken\n";
  std::ofstream(dir.File("rules.yaml")) << R"(- list: words
  file: lists/words.txt
- rule: words
  clause: c
  condition: text matches list:words
  severity: low
  action: flag
  tests:
    - {text: "an Other  Word here", expect: [words]}
    - {text: "badwords", expect: []}
)";
  const LoadResult r = LoadPack(dir.Path());
  ASSERT_TRUE(r.ok()) << r.diagnostics.ToText();
  EXPECT_EQ(r.diagnostics.All().size(), 0u) << r.diagnostics.ToText();
  const TestReport report = RunPackTests(*r.pack);
  EXPECT_TRUE(report.ok()) << report.ToText();
  EXPECT_EQ(report.passed, 2);
}

TEST(PolicyLoader, AMissingDirectoryIsAnError) {
  const LoadResult r = LoadPack("/nonexistent/custos/pack");
  EXPECT_FALSE(r.ok());
  ASSERT_EQ(r.diagnostics.All().size(), 1u);
  EXPECT_EQ(r.diagnostics.All()[0].code, DiagCode::kFileRead);
}

TEST(PolicyLoader, ListFilesMustStayInsideThePack) {
  const LoadResult r = LoadPackFromFiles({{"r.yaml", "- list: l\n  file: ../etc/passwd\n"}});
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(Has(r, "invalid_value", "r.yaml", 2, 9)) << r.diagnostics.ToText();
}

}  // namespace
}  // namespace custos::policy
