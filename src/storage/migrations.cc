// SPDX-License-Identifier: Apache-2.0
// The registry of schema migrations: every module's migrations (storage/migrations/<owner>.cc,
// one file per owning module) listed in the one global order they are applied in.
//
// How to add a migration (e.g. a new table for module `foo`):
//   1. Take the next number: one more than the last entry of kAll below. Numbers are global
//      and gapless (CHECKed at startup); never reuse or renumber one.
//   2. Write it in the owning module's file, storage/migrations/<owner>.cc (create the file
//      pair from storage/migrations/search.{h,cc} when the module has none yet, and add it to
//      src/storage/CMakeLists.txt): a comment saying what it adds and why, then
//        const Migration kFooBars = {N, "foo bars", R"sql(CREATE TABLE foo_bars (...);)sql", ""};
//      and declare it in storage/migrations/<owner>.h. The last field is the PostgreSQL text,
//      empty until that adapter lands (docs/adr/0001-scale-out-postgresql.md).
//   3. Append it to kAll below, with its number in a comment.
//   4. The module reads and writes the new table only from its data-access files
//      (src/<module>/sql/, ARCHITECTURE.md "Storage and SQL"); tools/check_sql_placement.py
//      fails on SQL anywhere else.
// Never edit a shipped migration's number, name or SQL text, not even whitespace: the
// schema_migrations table of every existing data directory records the names, and
// `custos verify` compares the schema of the archive with a scratch database built from this
// list (archive/verifier_derived.cc). A change to the schema is always a new migration.
#include "storage/migrations.h"

#include "core/status.h"
#include "storage/migrations/app.h"
#include "storage/migrations/archive.h"
#include "storage/migrations/devices.h"
#include "storage/migrations/directory.h"
#include "storage/migrations/search.h"

namespace custos::storage {

const std::vector<Migration>& AllMigrations() {
  static const std::vector<Migration> kAll = [] {
    std::vector<Migration> all = {
        migrations::archive::kIngestSpine,             // 1
        migrations::archive::kHoldsAndRetention,       // 2
        migrations::archive::kVerdictsAndPacks,        // 3
        migrations::archive::kAttachmentContent,       // 4
        migrations::devices::kDevices,                 // 5
        migrations::directory::kIdentityDirectory,     // 6
        migrations::devices::kSealedDeviceData,        // 7
        migrations::app::kTokenExpiry,                 // 8
        migrations::archive::kPersonHoldIdentities,    // 9
        migrations::search::kSearchPrefixes,           // 10
        migrations::app::kConsumerCursors,             // 11
        migrations::app::kUsersAndSessions,            // 12
        migrations::archive::kPolicyAcknowledgements,  // 13
        migrations::archive::kAccessAudit,             // 14
        migrations::app::kUserOidcLinks,               // 15
    };
    for (std::size_t i = 0; i < all.size(); ++i) {
      CUSTOS_CHECK(all[i].version == static_cast<int>(i) + 1);
    }
    return all;
  }();
  return kAll;
}

}  // namespace custos::storage
