// SPDX-License-Identifier: Apache-2.0
#include "storage/migrations/search.h"

namespace custos::storage::migrations::search {

// Migration 10: prefix search (docs/search.md). The index now also holds keyed hashes of each
// token's prefixes; an archive whose messages were indexed before is marked so that the next
// writable open rebuilds its index from the sealed records (app/custos.cc), and until then
// prefix searches say so instead of missing those messages.
const Migration kSearchPrefixes = {10, "search index with prefixes", R"sql(
INSERT OR REPLACE INTO settings (key, value)
  SELECT 'search_index_format', '1' WHERE EXISTS (SELECT 1 FROM messages);
)sql",
                                   ""};

}  // namespace custos::storage::migrations::search
