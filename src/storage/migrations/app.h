// SPDX-License-Identifier: Apache-2.0
// The schema migrations owned by app: API tokens (app/tokens.h), users and sessions
// (app/users.h), users' single sign-on identities (app/oidc_accounts.h), and the durable log
// cursors (app/cursor/cursor_runner.h). Each is registered in the global order by
// storage/migrations.cc (which says how to add one); their numbers, names and SQL text never
// change once shipped.
//
// Thread-safety: constants, initialised before any code runs.
#pragma once

#include "storage/migrations.h"

namespace custos::storage::migrations::app {

extern const Migration kTokenExpiry;       // 8
extern const Migration kConsumerCursors;   // 11
extern const Migration kUsersAndSessions;  // 12
extern const Migration kUserOidcLinks;     // 15

}  // namespace custos::storage::migrations::app
