// SPDX-License-Identifier: Apache-2.0
// `custos users add|list|show|disable|enable|set-role|set-scope|reset-password|reset-2fa` (docs/
// access.md, "Users"): the people who log in, managed on the data directory itself by whoever
// can read and write it, with the server running or stopped (app/users.h). Nothing is prompted:
// a password comes from --password-file, or a strong one is generated and printed once. Every
// change names the unix user as its actor ("cli:<user>") in an access_change record.
// `custos access table --markdown` prints docs/access.md's roles table from the code.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/access/permissions.h"
#include "app/access_records.h"
#include "app/users.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/time.h"

namespace custos::cli {
namespace {

struct UsersArgs {
  std::string data_dir;
  std::string who;  // a login or an id
  std::string login;
  std::string display_name;
  std::string email;
  std::vector<std::string> roles;
  std::vector<std::string> scope;
  std::string password_file;
  std::int64_t person = 0;
  bool require_2fa = false;
  bool no_require_2fa = false;
  bool json = false;
};

nlohmann::json UserJson(const app::UserInfo& u) {
  nlohmann::json out = {{"id", u.id},
                        {"login", u.login},
                        {"display_name", u.display_name},
                        {"email", u.email},
                        {"roles", u.roles},
                        {"scope", u.scope_groups},
                        {"state", app::UserStateName(u.state)},
                        {"totp_enrolled", u.totp_enrolled},
                        {"totp_algorithm", u.totp_algorithm},
                        {"recovery_codes_left", u.recovery_codes_left},
                        {"must_enrol_2fa", u.must_enrol_2fa},
                        {"person_id", nullptr},
                        {"created_at", core::FormatRfc3339(u.created_at)},
                        {"created_by", u.created_by},
                        {"disabled_at", nullptr},
                        {"disabled_by", u.disabled_by}};
  if (u.person_id) {
    out["person_id"] = *u.person_id;
  }
  if (u.disabled_at) {
    out["disabled_at"] = core::FormatRfc3339(*u.disabled_at);
  }
  return out;
}

void PrintUser(const app::UserInfo& u) {
  std::printf("user %lld\n", static_cast<long long>(u.id));
  std::printf("  login           %s\n", u.login.c_str());
  std::printf("  display name    %s\n", u.display_name.c_str());
  std::printf("  e-mail          %s\n", u.email.empty() ? "-" : u.email.c_str());
  std::printf("  roles           %s\n", app::JoinRoles(u.roles).c_str());
  std::printf("  scope           %s\n",
              u.scope_groups.empty() ? "(unscoped)" : app::JoinRoles(u.scope_groups).c_str());
  std::printf("  state           %s\n", std::string(app::UserStateName(u.state)).c_str());
  std::printf("  second factor   %s\n",
              u.totp_enrolled ? ("TOTP " + u.totp_algorithm + ", " +
                                 std::to_string(u.recovery_codes_left) + " recovery codes left")
                                    .c_str()
                              : (u.must_enrol_2fa ? "none (must enrol at next login)" : "none"));
  std::printf("  person          %s\n", u.person_id ? std::to_string(*u.person_id).c_str() : "-");
  std::printf("  created         %s by %s\n", core::FormatRfc3339(u.created_at).c_str(),
              u.created_by.c_str());
  if (u.disabled_at) {
    std::printf("  disabled        %s by %s\n", core::FormatRfc3339(*u.disabled_at).c_str(),
                u.disabled_by.c_str());
  }
}

// Runs `body` with the users store of the data directory.
template <typename Body>
int WithUsers(const std::string& what, const std::string& data_dir, Body body) {
  auto store = app::OpenAccessStore(data_dir);
  if (!store.has_value()) {
    return Fail(what, store.error());
  }
  const core::SystemClock clock;
  app::Users users(store->db.get(), store->keys.get(), &clock);
  return body(users);
}

int PrintResult(const std::string& what, const core::Result<app::UserInfo>& user, bool json,
                const std::string& done) {
  if (!user.has_value()) {
    return Fail(what, user.error());
  }
  if (json) {
    std::printf("%s\n", UserJson(*user).dump().c_str());
  } else {
    std::printf("custos: user %lld (%s) %s\n", static_cast<long long>(user->id),
                user->login.c_str(), done.c_str());
  }
  return kExitOk;
}

int RunAdd(const UsersArgs& args) {
  app::NewUserRequest request;
  request.login = args.login;
  request.display_name = args.display_name;
  request.email = args.email;
  request.roles = args.roles;
  request.scope_groups = args.scope;
  if (args.person > 0) {
    request.person_id = args.person;
  }
  if (args.require_2fa || args.no_require_2fa) {
    request.require_2fa = args.require_2fa;
  }
  if (!args.password_file.empty()) {
    auto password = ReadSecretFile(args.password_file);
    if (!password.has_value()) {
      return Fail("users add: --password-file", password.error());
    }
    if (password->empty()) {
      return Fail("users add", core::InvalidArgument("password: the --password-file is empty"));
    }
    request.password = std::move(*password);
  }
  return WithUsers("users add", args.data_dir, [&](app::Users& users) {
    auto added = users.Add(request, CliActor());
    if (!added.has_value()) {
      return Fail("users add", added.error());
    }
    WarnEmptyScopeGroups("users add", args.data_dir, added->info.scope_groups);
    if (args.json) {
      nlohmann::json out = UserJson(added->info);
      if (!added->generated_password.empty()) {
        out["password"] = added->generated_password;
      }
      std::printf("%s\n", out.dump().c_str());
      return kExitOk;
    }
    std::printf("custos: user %lld (%s, roles %s) added\n", static_cast<long long>(added->info.id),
                added->info.login.c_str(), app::JoinRoles(added->info.roles).c_str());
    if (!added->generated_password.empty()) {
      std::printf("password (shown once): %s\n", added->generated_password.c_str());
    }
    return kExitOk;
  });
}

int RunList(const UsersArgs& args) {
  return WithUsers("users list", args.data_dir, [&](app::Users& users) {
    auto list = users.List();
    if (!list.has_value()) {
      return Fail("users list", list.error());
    }
    if (args.json) {
      nlohmann::json out = nlohmann::json::array();
      for (const app::UserInfo& u : *list) {
        out.push_back(UserJson(u));
      }
      std::printf("%s\n", nlohmann::json{{"users", out}}.dump().c_str());
      return kExitOk;
    }
    if (list->empty()) {
      std::printf("no users in %s (add one with `custos users add`)\n", args.data_dir.c_str());
      return kExitOk;
    }
    std::printf("%-5s %-24s %-9s %-5s %-30s %s\n", "ID", "LOGIN", "STATE", "2FA", "ROLES", "SCOPE");
    for (const app::UserInfo& u : *list) {
      std::printf("%-5lld %-24s %-9s %-5s %-30s %s\n", static_cast<long long>(u.id),
                  u.login.c_str(), std::string(app::UserStateName(u.state)).c_str(),
                  u.totp_enrolled ? "yes" : "no", app::JoinRoles(u.roles).c_str(),
                  u.scope_groups.empty() ? "-" : app::JoinRoles(u.scope_groups).c_str());
    }
    return kExitOk;
  });
}

int RunShow(const UsersArgs& args) {
  return WithUsers("users show", args.data_dir, [&](app::Users& users) {
    auto user = users.Find(args.who);
    if (!user.has_value()) {
      return Fail("users show", user.error());
    }
    if (args.json) {
      std::printf("%s\n", UserJson(*user).dump().c_str());
    } else {
      PrintUser(*user);
    }
    return kExitOk;
  });
}

// `users <verb> USER ...`: finds the user, then runs `change`.
template <typename Change>
int RunChange(const std::string& what, const UsersArgs& args, const std::string& done,
              Change change) {
  return WithUsers(what, args.data_dir, [&](app::Users& users) {
    auto user = users.Find(args.who);
    if (!user.has_value()) {
      return Fail(what, user.error());
    }
    return PrintResult(what, change(users, user->id), args.json, done);
  });
}

int RunResetPassword(const UsersArgs& args) {
  std::string password;
  if (!args.password_file.empty()) {
    auto read = ReadSecretFile(args.password_file);
    if (!read.has_value()) {
      return Fail("users reset-password: --password-file", read.error());
    }
    if (read->empty()) {
      return Fail("users reset-password",
                  core::InvalidArgument("password: the --password-file is empty"));
    }
    password = std::move(*read);
  }
  return WithUsers("users reset-password", args.data_dir, [&](app::Users& users) {
    auto user = users.Find(args.who);
    if (!user.has_value()) {
      return Fail("users reset-password", user.error());
    }
    auto generated = users.ResetPassword(user->id, password, CliActor());
    if (!generated.has_value()) {
      return Fail("users reset-password", generated.error());
    }
    if (args.json) {
      nlohmann::json out = {{"id", user->id}, {"login", user->login}};
      if (!generated->empty()) {
        out["password"] = *generated;
      }
      std::printf("%s\n", out.dump().c_str());
      return kExitOk;
    }
    std::printf("custos: user %lld (%s): password reset; their sessions are ended\n",
                static_cast<long long>(user->id), user->login.c_str());
    if (!generated->empty()) {
      std::printf("password (shown once): %s\n", generated->c_str());
    }
    return kExitOk;
  });
}

void AddUserArgument(CLI::App* cmd, UsersArgs* args) {
  cmd->add_option("user", args->who, "The user's login or id (`custos users list`)")->required();
}

}  // namespace

void RegisterUsersCommand(CLI::App& root, int* exit_code) {
  CLI::App* users = root.add_subcommand(
      "users", "The people who log in: add, list, show, disable, enable, roles, scope, resets");
  users->require_subcommand(1);
  auto args = std::make_shared<UsersArgs>();

  CLI::App* add = users->add_subcommand(
      "add", "Add a user (a password from --password-file, or a generated one printed once)");
  add->add_option("login", args->login, "The login: letters, digits and . _ @ -")->required();
  add->add_option("--role", args->roles,
                  "Roles (repeat or comma-separate): admin, compliance_officer, reviewer, "
                  "auditor, privacy_officer, employee (docs/access.md)")
      ->allow_extra_args(false)
      ->required();
  add->add_option("--name", args->display_name, "Display name (default: the login)");
  add->add_option("--email", args->email, "E-mail address");
  add->add_option("--scope", args->scope,
                  "Read content only of these directory groups (repeat or comma-separate)")
      ->allow_extra_args(false)
      ->type_name("GROUP");
  add->add_option("--password-file", args->password_file,
                  "Read the password from this file ('-': standard input); default: generate")
      ->type_name("FILE");
  add->add_option("--person", args->person, "Link to this directory person id (an employee)")
      ->check(IntegerArgument("--person"));
  add->add_flag("--require-2fa", args->require_2fa,
                "Require a second factor at first login (default: when a role reads content)");
  add->add_flag("--no-require-2fa", args->no_require_2fa, "Do not require a second factor");
  add->add_flag("--json", args->json, "Print the user as JSON (with \"password\" if generated)");
  AddDataOption(add, &args->data_dir);
  add->callback([args, exit_code] { *exit_code = RunAdd(*args); });

  CLI::App* list = users->add_subcommand("list", "List the users");
  list->add_flag("--json", args->json, "Print {\"users\":[...]}");
  AddDataOption(list, &args->data_dir);
  list->callback([args, exit_code] { *exit_code = RunList(*args); });

  CLI::App* show = users->add_subcommand("show", "Show one user");
  AddUserArgument(show, args.get());
  show->add_flag("--json", args->json, "Print the user as JSON");
  AddDataOption(show, &args->data_dir);
  show->callback([args, exit_code] { *exit_code = RunShow(*args); });

  CLI::App* disable = users->add_subcommand("disable", "Disable a user and end their sessions");
  AddUserArgument(disable, args.get());
  disable->add_flag("--json", args->json, "Print the user as JSON");
  AddDataOption(disable, &args->data_dir);
  disable->callback([args, exit_code] {
    *exit_code = RunChange("users disable", *args, "disabled", [](app::Users& u, std::int64_t id) {
      return u.Disable(id, CliActor());
    });
  });

  CLI::App* enable = users->add_subcommand("enable", "Enable a disabled user again");
  AddUserArgument(enable, args.get());
  enable->add_flag("--json", args->json, "Print the user as JSON");
  AddDataOption(enable, &args->data_dir);
  enable->callback([args, exit_code] {
    *exit_code = RunChange("users enable", *args, "enabled",
                           [](app::Users& u, std::int64_t id) { return u.Enable(id, CliActor()); });
  });

  CLI::App* set_role = users->add_subcommand("set-role", "Replace a user's roles");
  AddUserArgument(set_role, args.get());
  set_role->add_option("--role", args->roles, "The new roles (repeat or comma-separate)")
      ->allow_extra_args(false)
      ->required();
  set_role->add_flag("--json", args->json, "Print the user as JSON");
  AddDataOption(set_role, &args->data_dir);
  set_role->callback([args, exit_code] {
    *exit_code = RunChange(
        "users set-role", *args, "now has the roles " + app::JoinRoles(args->roles),
        [&](app::Users& u, std::int64_t id) { return u.SetRoles(id, args->roles, CliActor()); });
  });

  CLI::App* set_scope =
      users->add_subcommand("set-scope", "Replace a user's content scope (no --scope: unscoped)");
  AddUserArgument(set_scope, args.get());
  set_scope->add_option("--scope", args->scope, "Directory groups (repeat or comma-separate)")
      ->allow_extra_args(false)
      ->type_name("GROUP");
  set_scope->add_flag("--json", args->json, "Print the user as JSON");
  AddDataOption(set_scope, &args->data_dir);
  set_scope->callback([args, exit_code] {
    *exit_code =
        RunChange("users set-scope", *args, "scope set", [&](app::Users& u, std::int64_t id) {
          auto changed = u.SetScope(id, args->scope, CliActor());
          if (changed.has_value()) {
            WarnEmptyScopeGroups("users set-scope", args->data_dir, changed->scope_groups);
          }
          return changed;
        });
  });

  CLI::App* reset_password = users->add_subcommand(
      "reset-password", "Set a new password (from --password-file, or generated and printed once)");
  AddUserArgument(reset_password, args.get());
  reset_password
      ->add_option("--password-file", args->password_file,
                   "Read the password from this file ('-': standard input); default: generate")
      ->type_name("FILE");
  reset_password->add_flag("--json", args->json, "Print {\"id\",\"login\",\"password\"}");
  AddDataOption(reset_password, &args->data_dir);
  reset_password->callback([args, exit_code] { *exit_code = RunResetPassword(*args); });

  CLI::App* reset_2fa = users->add_subcommand(
      "reset-2fa", "Remove a user's second factor and recovery codes (enrol again at next login)");
  AddUserArgument(reset_2fa, args.get());
  reset_2fa->add_flag("--json", args->json, "Print the user as JSON");
  AddDataOption(reset_2fa, &args->data_dir);
  reset_2fa->callback([args, exit_code] {
    *exit_code = RunChange(
        "users reset-2fa", *args, "has no second factor now and must enrol at the next login",
        [](app::Users& u, std::int64_t id) { return u.ResetTwoFactor(id, CliActor()); });
  });
}

void RegisterAccessCommand(CLI::App& root, int* exit_code) {
  CLI::App* access = root.add_subcommand("access", "Roles and permissions (docs/access.md)");
  access->require_subcommand(1);
  auto markdown = std::make_shared<bool>(false);
  CLI::App* table =
      access->add_subcommand("table", "Print the permissions × roles table from the code");
  table->add_flag("--markdown", *markdown, "As Markdown (the form docs/access.md holds)");
  table->callback([markdown, exit_code] {
    (void)*markdown;  // Markdown is the one form so far.
    std::printf("%s", app::RoleTableMarkdown().c_str());
    *exit_code = kExitOk;
  });
}

}  // namespace custos::cli
