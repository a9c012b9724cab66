// SPDX-License-Identifier: Apache-2.0
// The role table (app/access/permissions.h) and docs/access.md's copy of it.
#include "app/access/permissions.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

namespace custos::app {
namespace {

std::string SourceDir() {
  if (const char* env = std::getenv("CUSTOS_SOURCE_DIR"); env != nullptr && *env != '\0') {
    return env;
  }
  return CUSTOS_SOURCE_DIR_AT_BUILD;
}

TEST(RoleTable, AdminHasNoContentAndComplianceOfficerHasAll) {
  const PermissionSet admin = *RolePermissions("admin");
  EXPECT_TRUE(admin.Has(Permission::kUsersManage));
  EXPECT_TRUE(admin.Has(Permission::kTokensManage));
  EXPECT_TRUE(admin.Has(Permission::kKeysManage));
  EXPECT_TRUE(admin.Has(Permission::kPolicyManage));
  EXPECT_TRUE(admin.Has(Permission::kDevicesManage));
  for (Permission p : {Permission::kMessagesRead, Permission::kEventsRead, Permission::kExport}) {
    EXPECT_FALSE(admin.Has(p)) << PermissionName(p);
  }
  const PermissionSet officer = *RolePermissions("compliance_officer");
  for (Permission p :
       {Permission::kMessagesRead, Permission::kEventsRead, Permission::kExport,
        Permission::kHoldsManage, Permission::kRetentionManage, Permission::kReviewWork}) {
    EXPECT_TRUE(officer.Has(p)) << PermissionName(p);
  }
  EXPECT_FALSE(officer.Has(Permission::kUsersManage));
}

TEST(RoleTable, AuditorAndPrivacyOfficerReadNoContent) {
  for (const char* role : {"auditor", "privacy_officer", "employee", "ingest", "webhook"}) {
    const PermissionSet set = *RolePermissions(role);
    EXPECT_FALSE(set.Has(Permission::kMessagesRead)) << role;
    EXPECT_FALSE(set.Has(Permission::kEventsRead)) << role;
    EXPECT_FALSE(set.Has(Permission::kExport)) << role;
  }
  EXPECT_TRUE(RolePermissions("auditor")->Has(Permission::kAuditRead));
  EXPECT_TRUE(RolePermissions("auditor")->Has(Permission::kArchiveRead));
  EXPECT_FALSE(RolePermissions("auditor")->Has(Permission::kHoldsManage));
  EXPECT_TRUE(RolePermissions("privacy_officer")->Has(Permission::kPrivacyManage));
  EXPECT_EQ(*RolePermissions("employee"), (PermissionSet{Permission::kPublic, Permission::kSelf}));
  EXPECT_EQ(*RolePermissions("ingest"),
            (PermissionSet{Permission::kPublic, Permission::kMessagesWrite}));
  EXPECT_EQ(*RolePermissions("device"),
            (PermissionSet{Permission::kPublic, Permission::kDeviceAgent, Permission::kSelf}));
  EXPECT_FALSE(RolePermissions("root").has_value());
}

TEST(RoleTable, SeveralRolesAreTheUnion) {
  const PermissionSet both = RolesPermissions({"admin", "compliance_officer"});
  EXPECT_TRUE(both.Has(Permission::kUsersManage));
  EXPECT_TRUE(both.Has(Permission::kMessagesRead));
  EXPECT_EQ(RolesPermissions({"root"}), PermissionSet{Permission::kPublic});
}

TEST(RoleTable, PermissionNamesAreUniqueAndRoundTrip) {
  EXPECT_EQ(AllPermissions().size(), kPermissionCount);
  for (Permission p : AllPermissions()) {
    EXPECT_EQ(PermissionNamed(PermissionName(p)), p);
    EXPECT_FALSE(PermissionDescription(p).empty());
  }
  EXPECT_FALSE(PermissionNamed("messages.delete").has_value());
  // The set holds permissions beyond 32 bits' worth of room.
  PermissionSet set{Permission::kReviewWork};
  EXPECT_TRUE(set.Has(Permission::kReviewWork));
  EXPECT_FALSE(set.Has(Permission::kPublic));
}

TEST(ParseRoles, TakesCommaListsAndRepeatsInTableOrder) {
  auto roles = ParseRoles({"reviewer, admin", "auditor"}, RoleHolder::kUser);
  ASSERT_TRUE(roles.has_value()) << roles.error().message();
  EXPECT_EQ(*roles, (std::vector<std::string>{"admin", "reviewer", "auditor"}));
  EXPECT_EQ(JoinRoles(*roles), "admin,reviewer,auditor");
  EXPECT_EQ(SplitRoles("admin,reviewer,auditor"), *roles);
}

TEST(ParseRoles, RefusesUnknownUnsuitableDuplicateAndNoRoles) {
  auto unknown = ParseRoles({"admin,root"}, RoleHolder::kUser);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(unknown.error().message().find("role: unknown role \"root\""), std::string::npos);
  EXPECT_NE(unknown.error().message().find("compliance_officer"), std::string::npos);
  EXPECT_FALSE(ParseRoles({"ingest"}, RoleHolder::kUser).has_value());
  EXPECT_FALSE(ParseRoles({"employee"}, RoleHolder::kToken).has_value());
  EXPECT_FALSE(ParseRoles({"device"}, RoleHolder::kToken).has_value());
  EXPECT_FALSE(ParseRoles({"admin", "admin"}, RoleHolder::kToken).has_value());
  EXPECT_FALSE(ParseRoles({}, RoleHolder::kToken).has_value());
  EXPECT_FALSE(ParseRoles({"admin,"}, RoleHolder::kToken).has_value());
  EXPECT_TRUE(ParseRoles({"ingest"}, RoleHolder::kToken).has_value());
}

// docs/access.md holds the output of `custos access table --markdown` between two markers; this
// fails when the code's table and the document's disagree.
TEST(RoleTable, DocsAccessMdHoldsTheGeneratedTable) {
  std::ifstream in(SourceDir() + "/docs/access.md");
  ASSERT_TRUE(in) << "cannot read docs/access.md under " << SourceDir();
  std::stringstream text;
  text << in.rdbuf();
  const std::string doc = text.str();
  const std::string begin = "<!-- BEGIN generated: custos access table --markdown -->\n";
  const std::string end = "<!-- END generated -->";
  const std::size_t b = doc.find(begin);
  ASSERT_NE(b, std::string::npos) << "docs/access.md lacks the marker " << begin;
  const std::size_t e = doc.find(end, b);
  ASSERT_NE(e, std::string::npos) << "docs/access.md lacks the marker " << end;
  EXPECT_EQ(doc.substr(b + begin.size(), e - b - begin.size()), RoleTableMarkdown())
      << "docs/access.md's roles table is out of date: replace it with the output of "
         "`custos access table --markdown`";
}

}  // namespace
}  // namespace custos::app
