// SPDX-License-Identifier: Apache-2.0
// The default region of phone numbers (docs/directory.md), through the real binary: from
// DIR/custos.yaml (`directory: {default_region: ..}`) for `custos directory import` and
// `custos import FORMAT`, overridden by --region, and bad values named with their file and key.
#include <filesystem>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

constexpr int kExitDataError = 65;
constexpr int kExitConfig = 78;

// One received SMS from `address`.
std::string SmsFrom(const std::string& address, const std::string& body) {
  return "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"1\">\n"
         "  <sms protocol=\"0\" address=\"" +
         address + "\" date=\"1767225600000\" type=\"1\" subject=\"null\" body=\"" + body +
         "\" read=\"1\" status=\"-1\" date_sent=\"0\" />\n</smses>\n";
}

class ImportRegion : public ::testing::Test {
 protected:
  ImportRegion() : data_(dir_.File("data")), people_(dir_.File("people.csv")) {
    std::filesystem::create_directories(data_);
  }

  void Config(const std::string& yaml) { WriteFile(data_ + "/custos.yaml", yaml); }

  RunResult Directory(const std::vector<std::string>& extra = {}) {
    std::vector<std::string> args = {"directory", "import", people_, "--data", data_};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCustos(args);
  }

  RunResult ImportSms(const std::string& address, const std::string& body,
                      const std::vector<std::string>& extra = {}) {
    const std::string file = dir_.File("sms.xml");
    WriteFile(file, SmsFrom(address, body));
    std::vector<std::string> args = {"import",      "sms-backup",    file,    "--data", data_,
                                     "--custodian", "carl@firm.com", "--json"};
    args.insert(args.end(), extra.begin(), extra.end());
    return RunCustos(args);
  }

  std::string Search(const std::string& query) {
    const RunResult r = RunCustos({"search", "--data", data_, "--json", query});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return r.out;
  }

  TempDir dir_;
  std::string data_;
  std::string people_;
};

TEST_F(ImportRegion, TheConfiguredRegionNormalisesDirectoryAndImportNumbers) {
  Config("directory:\n  default_region: us\n");
  WriteFile(people_, "name,emails,phones\nAnna Jones,anna@firm.com,(202) 555-0143\n");
  const RunResult dir = Directory();
  ASSERT_EQ(dir.exit_code, 0) << dir.err;
  // Stored as +12025550143: an SMS from the international form is hers...
  const RunResult a = ImportSms("+1 202 555 0143", "international form");
  ASSERT_EQ(a.exit_code, 0) << a.err;
  // ... and so is one from the national form, read in the configured region.
  const RunResult b = ImportSms("202-555-0143", "national form");
  ASSERT_EQ(b.exit_code, 0) << b.err;
  const std::string hers = Search("from:anna@firm.com channel:sms");
  EXPECT_NE(hers.find("international form"), std::string::npos) << hers;
  EXPECT_NE(hers.find("national form"), std::string::npos) << hers;
}

TEST_F(ImportRegion, TheFlagOverridesTheConfiguredRegion) {
  Config("directory:\n  default_region: US\n");
  WriteFile(people_, "name,emails,phones\nAnna Jones,anna@firm.com,+12025550143\n");
  ASSERT_EQ(Directory().exit_code, 0);
  // In GB, 202 555 0143 is not Anna's number: the message stays an external party's.
  const RunResult r = ImportSms("2025550143", "read as british", {"--region", "GB"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Search("from:anna@firm.com channel:sms").find("read as british"), std::string::npos);
  EXPECT_NE(Search("channel:sms british").find("read as british"), std::string::npos);
}

TEST_F(ImportRegion, AnUnknownConfiguredRegionIsAConfigurationErrorNamingFileAndKey) {
  Config("# regions\ndirectory:\n  default_region: XX\n");
  WriteFile(people_, "name,emails,phones\nAnna Jones,anna@firm.com,07700 900123\n");
  const RunResult dir = Directory();
  EXPECT_EQ(dir.exit_code, kExitConfig) << dir.err;
  EXPECT_NE(dir.err.find("custos.yaml:3:19: directory.default_region \"XX\" is not a region"),
            std::string::npos)
      << dir.err;
  const RunResult imp = ImportSms("07700 900123", "never stored");
  EXPECT_EQ(imp.exit_code, kExitConfig) << imp.err;
  EXPECT_NE(imp.err.find("custos.yaml:3:19"), std::string::npos) << imp.err;
  EXPECT_FALSE(std::filesystem::exists(data_ + "/custos.db"));
  // --region wins over the file's region.
  const RunResult flag = Directory({"--region", "GB"});
  EXPECT_EQ(flag.exit_code, 0) << flag.err;
  // Not a two-letter code at all: the loader's own error, same file and position.
  Config("# regions\ndirectory:\n  default_region: Britain\n");
  const RunResult form = Directory();
  EXPECT_EQ(form.exit_code, kExitConfig) << form.err;
  EXPECT_NE(form.err.find("custos.yaml:3:19: directory.default_region \"Britain\" must be"),
            std::string::npos)
      << form.err;
}

TEST_F(ImportRegion, AnUnknownFlagRegionIsRejectedBeforeAnythingIsImported) {
  WriteFile(people_, "name,emails,phones\nAnna Jones,anna@firm.com,07700 900123\n");
  const RunResult dir = Directory({"--region", "Narnia"});
  EXPECT_EQ(dir.exit_code, kExitDataError) << dir.err;
  EXPECT_NE(dir.err.find("--region \"Narnia\" is not a region libphonenumber knows"),
            std::string::npos)
      << dir.err;
  const RunResult imp = ImportSms("07700 900123", "never stored", {"--region", "QQ"});
  EXPECT_EQ(imp.exit_code, kExitDataError) << imp.err;
  EXPECT_FALSE(std::filesystem::exists(data_ + "/custos.db"));
}

}  // namespace
}  // namespace custos::testing
