// SPDX-License-Identifier: Apache-2.0
// The schema migrations owned by the identity directory (directory/): people, identities, parties,
// import runs and conversation labels. Each is registered in the global order by
// storage/migrations.cc (which says how to add one); their numbers, names and SQL text never change
// once shipped.
//
// Thread-safety: constants, initialised before any code runs.
#pragma once

#include "storage/migrations.h"

namespace custos::storage::migrations::directory {

extern const Migration kIdentityDirectory;  // 6

}  // namespace custos::storage::migrations::directory
