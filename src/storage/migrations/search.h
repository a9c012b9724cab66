// SPDX-License-Identifier: Apache-2.0
// The schema migrations owned by the full-text index (search/). Each is registered in the global
// order by storage/migrations.cc (which says how to add one); their numbers, names and SQL text
// never change once shipped.
//
// Thread-safety: constants, initialised before any code runs.
#pragma once

#include "storage/migrations.h"

namespace custos::storage::migrations::search {

extern const Migration kSearchPrefixes;  // 10

}  // namespace custos::storage::migrations::search
