// SPDX-License-Identifier: Apache-2.0
// The search use case (docs/search.md): a query in the search/query.h language over the keyed
// full-text index, newest first, a page at a time, each result with the stored message and a
// plain-text snippet around its first match. `GET /api/v1/search`, `custos search` and the
// export by query (app/export_service.h) all use it.
//
// Thread-safety: Search may be called concurrently (each call reads in its own transaction).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/content_scope.h"
#include "archive/message_store.h"
#include "core/status.h"
#include "model/message.h"
#include "search/index.h"
#include "storage/database.h"

namespace custos::app {

struct SearchResult {
  model::Message message;
  std::string snippet;  // a short excerpt around the first match, plain text
};

struct SearchResults {
  std::vector<SearchResult> results;
  std::optional<std::string> next_cursor;
};

class SearchService {
 public:
  // kInvalidArgument naming each rule id (`rule:` terms) that is unknown (Custos::CheckRules).
  using RuleCheck = std::function<core::Status(const std::vector<std::string>& rules)>;

  // All pointers must outlive the service.
  SearchService(storage::Database* db, const search::Index* index,
                const archive::MessageStore* store, RuleCheck check_rules);

  // Full-text search, newest first, at most `limit` results after `cursor` (the previous page's
  // next_cursor). kInvalidArgument for a bad query or cursor; kFailedPrecondition for a prefix
  // query on an index that predates prefix search (rebuilt at the next writing open).
  // A scoped `scope` (a reviewer's) returns only the messages it lets through: pages of the
  // index are read until `limit` of them are found (or 10,000 hits were examined, then with a
  // cursor to go on), so a page never says how many were hidden.
  core::Result<SearchResults> Search(std::string_view query, std::optional<std::string> cursor,
                                     int limit, const ContentScope& scope = {}) const;

 private:
  storage::Database* db_;
  const search::Index* index_;
  const archive::MessageStore* store_;
  RuleCheck check_rules_;
};

}  // namespace custos::app
