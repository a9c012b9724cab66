// SPDX-License-Identifier: Apache-2.0
// `custos users ...` and `custos tokens create --role a,b --scope` with the real binary on a
// data directory (issue 15): a user added with a generated or a file password, listed and shown,
// disabled and enabled, roles and scope set, resets; bad input refused naming the field with
// nothing written; the changes are access_change records that `custos verify` accepts; the
// login and e-mail are nowhere on disk in plaintext.
#include <filesystem>
#include <string>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli/custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

using nlohmann::json;

class UsersCli : public ::testing::Test {
 protected:
  void SetUp() override {
    data_ = dir_.File("data");
    WriteFile(dir_.File("one.jsonl"), MessageLine(1) + "\n");
    const RunResult r = RunCustos({"import", "jsonl", dir_.File("one.jsonl"), "--data", data_});
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }

  RunResult Users(std::vector<std::string> args) {
    args.insert(args.begin(), "users");
    args.push_back("--data");
    args.push_back(data_);
    return RunCustos(args);
  }

  int UserCount() {
    const RunResult r = Users({"list", "--json"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
    return static_cast<int>(json::parse(r.out)["users"].size());
  }

  TempDir dir_;
  std::string data_;
};

TEST_F(UsersCli, AddsListsShowsAndChangesAUser) {
  RunResult r = Users({"add", "rita", "--role", "reviewer", "--scope", "Desk A", "--name",
                       "Rita Rossi", "--email", "rita@example.com", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json u = json::parse(r.out);
  const std::string password = u.value("password", "");
  EXPECT_EQ(password.size(), 20u);  // generated, printed once
  EXPECT_EQ(u["roles"], json::array({"reviewer"}));
  EXPECT_EQ(u["scope"], json::array({"Desk A"}));
  EXPECT_EQ(u["state"], "active");
  EXPECT_TRUE(u["must_enrol_2fa"].get<bool>());
  EXPECT_EQ(u["created_by"].get<std::string>().rfind("cli:", 0), 0u);

  WriteFile(dir_.File("pw"), "a long enough passphrase 42\n");
  r = Users({"add", "Olga", "--role", "admin,auditor", "--password-file", dir_.File("pw")});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out.find("password (shown once)"), std::string::npos) << r.out;

  r = Users({"list"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("rita"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("admin,auditor"), std::string::npos) << r.out;
  r = Users({"show", "OLGA"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("login           Olga"), std::string::npos) << r.out;

  ASSERT_EQ(Users({"disable", "rita"}).exit_code, 0);
  r = Users({"show", "rita", "--json"});
  EXPECT_EQ(json::parse(r.out)["state"], "disabled");
  EXPECT_NE(Users({"disable", "rita"}).exit_code, 0);  // already
  ASSERT_EQ(Users({"enable", "rita"}).exit_code, 0);
  r = Users({"set-role", "rita", "--role", "reviewer", "--role", "privacy_officer", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(json::parse(r.out)["roles"], json::array({"reviewer", "privacy_officer"}));
  r = Users({"set-scope", "rita", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(json::parse(r.out)["scope"].empty());
  r = Users({"reset-password", "rita"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("password (shown once): "), std::string::npos) << r.out;
  ASSERT_EQ(Users({"reset-2fa", "1"}).exit_code, 0);
  EXPECT_NE(Users({"show", "nobody"}).exit_code, 0);

  // Every change is a record of the log, and the archive still verifies.
  r = RunCustos({"verify", "--data", data_});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
  // Logins, names and e-mails are sealed: nowhere on disk in plaintext.
  for (const auto& entry : std::filesystem::recursive_directory_iterator(data_)) {
    if (entry.is_regular_file()) {
      const std::string bytes = ReadFile(entry.path().string());
      EXPECT_EQ(bytes.find("rita@example.com"), std::string::npos) << entry.path();
      EXPECT_EQ(bytes.find("Rita Rossi"), std::string::npos) << entry.path();
    }
  }
}

TEST_F(UsersCli, RefusesBadInputNamingTheFieldAndWritesNothing) {
  const auto refused = [&](std::vector<std::string> args, const std::string& words) {
    const RunResult r = Users(args);
    EXPECT_NE(r.exit_code, 0) << words;
    EXPECT_NE(r.err.find(words), std::string::npos) << r.err;
  };
  refused({"add", "bob", "--role", "root"}, "role: unknown role \"root\"");
  refused({"add", "bob", "--role", "ingest"}, "role: a user cannot have the role ingest");
  refused({"add", "bob/smith", "--role", "admin"}, "login: ");
  refused({"add", "bob", "--role", "admin", "--email", "bob"}, "email: ");
  WriteFile(dir_.File("weak"), "password123\n");
  refused({"add", "bob", "--role", "admin", "--password-file", dir_.File("weak")}, "password ");
  refused({"add", "bob", "--role", "admin", "--password-file", dir_.File("missing")},
          "--password-file");
  EXPECT_EQ(UserCount(), 0);
  ASSERT_EQ(Users({"add", "bob", "--role", "admin"}).exit_code, 0);
  refused({"add", "BOB", "--role", "admin"}, "login: \"BOB\" is taken");
  refused({"set-role", "bob", "--role", "superuser"}, "role: unknown role");
  EXPECT_EQ(UserCount(), 1);
}

TEST_F(UsersCli, TokensTakeSeveralRolesAndAScope) {
  RunResult r = RunCustos({"tokens", "create", "--role", "reviewer,auditor", "--scope", "Desk A",
                           "--name", "desk-a", "--json", "--data", data_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json t = json::parse(r.out);
  EXPECT_EQ(t["roles"], json::array({"reviewer", "auditor"}));
  EXPECT_EQ(t["role"], "reviewer,auditor");
  EXPECT_EQ(t["scope"], json::array({"Desk A"}));
  r = RunCustos({"tokens", "create", "--role", "employee", "--data", data_});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("role: an API token cannot have the role employee"), std::string::npos)
      << r.err;
  r = RunCustos({"tokens", "list", "--data", data_});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("reviewer,auditor [Desk A]"), std::string::npos) << r.out;
  r = RunCustos({"access", "table", "--markdown"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("| `messages.read` |"), std::string::npos) << r.out;
  // "Desk A" has nobody in the directory: a scope of it shows nothing, and the CLI says so.
  EXPECT_NE(
      RunCustos({"tokens", "create", "--role", "reviewer", "--scope", "Desk A", "--data", data_})
          .err.find("warning: no employee of the directory is in group 'desk a'"),
      std::string::npos);
}

// `--role` and `--scope` take one value each time (repeat them or comma-separate): a login
// written after them is the login, not one more role.
TEST_F(UsersCli, ARoleOptionDoesNotSwallowTheLogin) {
  WriteFile(dir_.File("pw"), "a long enough passphrase 913");
  RunResult r = Users({"add", "--role", "reviewer", "rita", "--scope", "sales", "--role", "auditor",
                       "--password-file", dir_.File("pw"), "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const json u = json::parse(r.out);
  EXPECT_EQ(u["login"], "rita");
  EXPECT_EQ(u["roles"], json::array({"reviewer", "auditor"}));
  EXPECT_EQ(u["scope"], json::array({"sales"}));
  EXPECT_NE(r.err.find("group 'sales'"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace custos::testing
