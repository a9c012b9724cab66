// SPDX-License-Identifier: Apache-2.0
// Every registered route × every role, over real HTTP against an in-process server on
// 127.0.0.1 (issue 15): a role with the route's permission is let through the dispatcher (the
// handler answers, whatever it says: 200, 400, 404, ...); a role without it gets 403
// `permission_denied` whose message names the permission; a credential the route does not accept
// gets 401. The API token roles are real tokens (app/tokens.h); `device` is a real device
// credential; every role a user may hold is also a real user's browser session (the cookie and
// its CSRF token, http/sessions.h), and a content role's session that has not enrolled its
// required second factor is let through only to the `self` and public routes.
#include <fstream>
#include <map>
#include <regex>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <httplib.h>
#include <nlohmann/json.hpp>

#include "app/custos.h"
#include "app/tokens.h"
#include "app/users.h"
#include "http/permissions.h"
#include "http/principal.h"
#include "http/routes.h"
#include "http/server.h"
#include "testing/temp_dir.h"

namespace custos::http {
namespace {

using nlohmann::json;

bool Accepts(const Route& route, AuthScheme scheme) {
  return std::find(route.schemes.begin(), route.schemes.end(), scheme) != route.schemes.end();
}

// The route's template with each "{param}" replaced by "1".
std::string ConcretePath(const std::string& templ) {
  return std::regex_replace(templ, std::regex("\\{[^}]+\\}"), "1");
}

class RouteMatrixTest : public ::testing::Test {
 protected:
  void SetUp() override {
    app::OpenOptions options;
    options.data_dir = dir_.Path();
    options.default_policy_pack = app::kNoPolicyPack;
    // Users' sessions without a second factor, except the one user below who must enrol.
    std::ofstream(dir_.File("custos.yaml")) << "auth:\n  require_2fa_roles: none\n";
    auto custos = app::Custos::Open(options);
    ASSERT_TRUE(custos.has_value()) << custos.error().message();
    custos_ = std::move(*custos);
    for (const app::RoleInfo& role : AllRoles()) {
      if (role.for_users) {
        users_[std::string(role.name)] = NewUser(std::string(role.name), false);
      }
    }
    must_enrol_user_ = NewUser("reviewer", true);
    for (const app::RoleInfo& role : AllRoles()) {
      if (!role.for_tokens) {
        continue;
      }
      app::TokenRequest request;
      request.roles = {std::string(role.name)};
      request.name = std::string(role.name);
      request.actor = "test";
      auto created = app::CreateToken(dir_.Path(), request);
      ASSERT_TRUE(created.has_value()) << created.error().message();
      tokens_[std::string(role.name)] = created->token;
    }
    server_ = std::make_unique<Server>(custos_.get());
    ServerOptions server_options;
    server_options.port = 0;
    server_options.worker_threads = 2;
    ASSERT_TRUE(server_->Start(server_options).ok());
    client_ = std::make_unique<httplib::Client>("127.0.0.1", server_->port());
    client_->set_read_timeout(10, 0);
    device_credential_ = EnrollDevice();
  }

  void TearDown() override {
    if (server_) {
      server_->Stop();
    }
  }

  std::string EnrollDevice() {
    const json body = {{"person", "alice@example.com"},
                       {"platform", "android"},
                       {"ownership", "corporate"},
                       {"unlisted", true}};
    auto e = client_->Post("/api/v1/devices", Bearer(tokens_.at("compliance_officer")), body.dump(),
                           "application/json");
    EXPECT_TRUE(e && e->status == 201) << (e ? e->body : "no response");
    if (!e || e->status != 201) {
      return "";
    }
    auto r = client_->Post(
        "/api/v1/device/enroll",
        json{{"enrollment_token", json::parse(e->body).value("enrollment_token", "")}}.dump(),
        "application/json");
    EXPECT_TRUE(r && r->status == 201) << (r ? r->body : "no response");
    return r && r->status == 201 ? json::parse(r->body).value("credential", "") : "";
  }

  static httplib::Headers Bearer(const std::string& token) {
    return {{"Authorization", "Bearer " + token}};
  }

  // A user of `role` (without a second factor).
  std::int64_t NewUser(const std::string& role, bool require_2fa) {
    app::NewUserRequest request;
    request.login = "user-" + role + (require_2fa ? "-2fa" : "");
    request.roles = {role};
    request.require_2fa = require_2fa;
    auto user = custos_->users().Add(request, "test");
    EXPECT_TRUE(user.has_value()) << user.error().message();
    return user.has_value() ? user->info.id : 0;
  }

  // A new browser session of user `id`: the Cookie and X-CSRF-Token headers. A new one for each
  // call, since the logout and revoke routes end the session they are called with.
  httplib::Headers NewSession(std::int64_t id) {
    auto session = custos_->users().CreateSession(id, "127.0.0.1", "matrix");
    EXPECT_TRUE(session.has_value()) << session.error().message();
    if (!session.has_value()) {
      return {};
    }
    return {{"Cookie", "custos_session=" + session->session_id},
            {"X-CSRF-Token", session->csrf_token}};
  }

  struct Answer {
    int status = 0;
    std::string body;
  };

  // Calls the route with `credential`. The event stream never ends, so only its status is read.
  Answer Call(const Route& route, const std::string& credential) {
    return Call(route, Bearer(credential));
  }

  Answer Call(const Route& route, const httplib::Headers& headers) {
    const std::string path = ConcretePath(route.path);
    Answer answer;
    if (route.path == "/api/v1/events") {
      client_->Get(path, headers, httplib::ResponseHandler([&](const httplib::Response& r) {
                     answer.status = r.status;
                     return r.status != 200;  // stop before reading an open stream
                   }),
                   httplib::ContentReceiver([](const char*, std::size_t) { return true; }));
      if (answer.status != 200) {
        auto res = client_->Get(path, headers);
        answer = {res ? res->status : 0, res ? res->body : ""};
      }
      return answer;
    }
    const auto send = [&]() -> httplib::Result {
      if (route.method == "GET") {
        return client_->Get(path, headers);
      }
      if (route.method == "POST") {
        return client_->Post(path, headers, "{}", "application/json");
      }
      if (route.method == "PUT") {
        return client_->Put(path, headers, "{}", "application/json");
      }
      if (route.method == "PATCH") {
        return client_->Patch(path, headers, "{}", "application/json");
      }
      return client_->Delete(path, headers);
    };
    const httplib::Result res = send();
    if (res) {
      answer = {res->status, res->body};
    }
    return answer;
  }

  testing::TempDir dir_;
  std::unique_ptr<app::Custos> custos_;
  std::unique_ptr<Server> server_;
  std::unique_ptr<httplib::Client> client_;
  std::map<std::string, std::string> tokens_;  // role -> token
  std::string device_credential_;
  std::map<std::string, std::int64_t> users_;  // user role -> a user of that role
  std::int64_t must_enrol_user_ = 0;           // a reviewer without its required second factor
};

// Let through by the dispatcher: neither 401 nor its 403 for a missing permission.
bool Admitted(const std::string& pattern, const std::string& role, int status,
              const std::string& body) {
  if (status == 401 || status == 0) {
    ADD_FAILURE() << pattern << " as " << role << ": " << status << " " << body;
    return false;
  }
  if (status == 403 && body.find("lacks the permission") != std::string::npos) {
    ADD_FAILURE() << pattern << " as " << role << ": refused " << body;
    return false;
  }
  return true;
}

void ExpectForbidden(const std::string& pattern, const std::string& role, Permission needed,
                     int status, const std::string& body) {
  EXPECT_EQ(status, 403) << pattern << " as " << role << ": " << body;
  const json error = json::parse(body, nullptr, false);
  ASSERT_TRUE(error.is_object()) << pattern << " as " << role << ": " << body;
  EXPECT_EQ(error["error"].value("code", ""), "permission_denied") << body;
  const std::string message = error["error"].value("message", "");
  EXPECT_NE(message.find("lacks the permission " + std::string(PermissionName(needed))),
            std::string::npos)
      << pattern << " as " << role << ": " << message;
}

TEST_F(RouteMatrixTest, EveryRouteAnswersEveryRoleAsTheTableSays) {
  ASSERT_FALSE(device_credential_.empty());
  int checked = 0;
  for (const Route& route : AllRoutes()) {
    const std::string pattern = route.Pattern();
    const Permission needed = *route.permission;
    const bool takes_token =
        Accepts(route, AuthScheme::kBearerToken) || Accepts(route, AuthScheme::kWebhookToken);
    for (const auto& [role, token] : tokens_) {
      const Answer a = Call(route, token);
      ++checked;
      if (needed == Permission::kPublic) {
        Admitted(pattern, role, a.status, a.body);
      } else if (!takes_token) {
        EXPECT_EQ(a.status, 401) << pattern << " as " << role << ": " << a.body;
      } else if (RolePermissions(role)->Has(needed)) {
        Admitted(pattern, role, a.status, a.body);
      } else {
        ExpectForbidden(pattern, role, needed, a.status, a.body);
      }
    }
    // The device credential.
    const Answer a = Call(route, device_credential_);
    ++checked;
    if (needed == Permission::kPublic ||
        (Accepts(route, AuthScheme::kDeviceCredential) && RolePermissions("device")->Has(needed))) {
      Admitted(pattern, "device", a.status, a.body);
    } else {
      EXPECT_EQ(a.status, 401) << pattern << " as device: " << a.body;
    }
    // Each user role's browser session.
    for (const auto& [role, user] : users_) {
      const Answer s = Call(route, NewSession(user));
      ++checked;
      if (needed == Permission::kPublic ||
          (Accepts(route, AuthScheme::kSession) && RolePermissions(role)->Has(needed))) {
        Admitted(pattern, "session of " + role, s.status, s.body);
      } else if (!Accepts(route, AuthScheme::kSession)) {
        EXPECT_EQ(s.status, 401) << pattern << " as session of " << role << ": " << s.body;
      } else {
        ExpectForbidden(pattern, "session of " + role, needed, s.status, s.body);
      }
    }
    // A reviewer's session before its required second factor: self-service and public only.
    const Answer e = Call(route, NewSession(must_enrol_user_));
    ++checked;
    if (needed == Permission::kPublic ||
        (Accepts(route, AuthScheme::kSession) && needed == Permission::kSelf)) {
      Admitted(pattern, "must-enrol session", e.status, e.body);
    } else if (!Accepts(route, AuthScheme::kSession)) {
      EXPECT_EQ(e.status, 401) << pattern << " as must-enrol session: " << e.body;
    } else {
      ExpectForbidden(pattern, "must-enrol session", needed, e.status, e.body);
      EXPECT_NE(e.body.find("enrol a second factor"), std::string::npos) << e.body;
    }
  }
  EXPECT_GT(checked, 300);
}

// Every route a token may call, a user's session may call too (AllRoutes adds kSession); a
// webhook-only or device-only route takes no session.
TEST_F(RouteMatrixTest, SessionsAreAcceptedWhereverApiTokensAre) {
  for (const Route& route : AllRoutes()) {
    if (Accepts(route, AuthScheme::kBearerToken)) {
      EXPECT_TRUE(Accepts(route, AuthScheme::kSession)) << route.Pattern();
    }
  }
}

TEST_F(RouteMatrixTest, AnEmployeeHasOnlyThePublicAndSelfServiceRoutes) {
  Principal employee;
  employee.roles = {"employee"};
  employee.permissions = RolesPermissions(employee.roles);
  for (const Route& route : AllRoutes()) {
    EXPECT_EQ(employee.Has(*route.permission),
              *route.permission == Permission::kPublic || *route.permission == Permission::kSelf)
        << route.Pattern();
  }
}

TEST(FirstStartToken, IsTheBreakGlassAdminComplianceOfficerAndIngest) {
  testing::TempDir dir;
  app::OpenOptions options;
  options.data_dir = dir.Path();
  options.default_policy_pack = app::kNoPolicyPack;
  auto custos = app::Custos::Open(options);
  ASSERT_TRUE(custos.has_value()) << custos.error().message();
  auto first = (*custos)->BootstrapAdminToken();
  ASSERT_TRUE(first.has_value() && first->has_value());
  auto info = (*custos)->VerifyToken((*first)->token);
  ASSERT_TRUE(info.has_value()) << info.error().message();
  EXPECT_EQ(info->roles, (std::vector<std::string>{"admin", "compliance_officer", "ingest"}));
  const Principal p = Principal::ApiToken(info->id, info->name, info->roles);
  EXPECT_TRUE(p.Has(Permission::kUsersManage));
  EXPECT_TRUE(p.Has(Permission::kMessagesRead));
  EXPECT_TRUE(p.Has(Permission::kMessagesWrite));
  EXPECT_EQ(p.role, "admin,compliance_officer,ingest");
  auto again = (*custos)->BootstrapAdminToken();
  ASSERT_TRUE(again.has_value());
  EXPECT_FALSE(again->has_value());
}

}  // namespace
}  // namespace custos::http
