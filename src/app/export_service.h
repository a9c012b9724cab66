// SPDX-License-Identifier: Apache-2.0
// The export use case: which stored messages and events a search query (search/query.h)
// selects, handed over oldest first. `custos export jsonl --query Q` writes them as canonical
// JSON Lines; an API eDiscovery export applies the very same selection.
//
// Simple filters (conversation:, channel:, after:, before:) stream from the message store in
// time order; full-text, from: and anything with OR or NOT go through the search index (every
// match collected, then handed over oldest first). A conversation the query names that is not
// in the archive is an error (kNotFound), never "nothing to export".
//
// Thread-safety: Select may be called concurrently (reads only).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "app/search_service.h"
#include "archive/message_store.h"
#include "core/status.h"
#include "model/message.h"

namespace custos::app {

class ExportService {
 public:
  // Called for each selected record, oldest first; an error stops the export and is returned.
  using Sink = std::function<core::Status(const model::Message& m)>;

  // Both must outlive the service.
  ExportService(const archive::MessageStore* store, const SearchService* search);

  // Hands every record `query` selects ("" selects everything) to `sink`, oldest first, and
  // returns how many it handed over. kInvalidArgument for a bad query; kNotFound naming a
  // conversation the query names that is not in the archive; the sink's error.
  core::Result<std::int64_t> Select(const std::string& query, const Sink& sink) const;

 private:
  core::Status SelectBySearch(const std::string& query, const Sink& sink,
                              std::int64_t* count) const;

  const archive::MessageStore* store_;
  const SearchService* search_;
};

}  // namespace custos::app
