// SPDX-License-Identifier: Apache-2.0
// Helpers every route uses to read a request (http::Request) and build a JSON answer: the error
// body {"error":{"code","message","request_id"}}, request ids, pagination parameters, and the
// JSON form of messages and conversations.
// Thread-safety: pure functions (NewRequestId uses a per-thread generator).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/message_store.h"
#include "core/json_reader.h"
#include "core/status.h"
#include "http/message.h"
#include "model/directory.h"
#include "model/message.h"

namespace custos::http {

using Json = nlohmann::ordered_json;

inline constexpr const char* kRequestIdHeader = "X-Request-Id";
inline constexpr int kDefaultPageLimit = 50;
inline constexpr int kMaxPageLimit = 500;
// The JSON limits of a request body; its size is the route's to bound (the transport refuses a
// larger body with 413 before reading it).
inline constexpr core::JsonLimits kBodyJsonLimits{std::size_t{64} << 20, 32, 65'536};

// 16 random hex digits.
std::string NewRequestId();

// A JSON response (application/json).
Response JsonResponse(int http_status, const Json& body);

// A response with `content_type` and `body` as given.
Response TextResponse(int http_status, std::string content_type, std::string body);

// The error response: {"error":{"code","message"[,"field"],"request_id"}} with the HTTP status
// from HttpStatusFor() (or `http_status` when non-zero). Server faults are logged with the
// request id and answered with a generic message. Every error answer is built here, but for the
// blocked answers of a stored message (422 blocked_by_policy, 403 device_blocked), which add it.
Response ErrorResponse(const core::Status& status, std::string_view request_id, int http_status = 0,
                       std::string_view field = {});

// The field named at the start of an invalid-argument message ("os.api_level: expected ..."),
// "" when the message does not start with one.
std::string FieldOf(const core::Status& status);

// A parameter not in `accepted`, or one given twice, is kInvalidArgument naming it; `*field`
// (when not null) is then set to the parameter. So a typo or an unsupported filter (`?state=`
// where there is no such filter) is never silently ignored.
core::Status CheckQueryParams(const Request& req, const std::vector<std::string>& accepted,
                              std::string* field = nullptr);

// An optional query parameter's value: nullopt when absent; kInvalidArgument when present but
// empty (`?channel=`).
core::Result<std::optional<std::string>> OptionalParam(const Request& req, const char* name);

// A list filter on a string member of the listed objects: `?param=value` keeps the items whose
// `member` equals value (ASCII case-insensitive); a value not in `known` is kInvalidArgument
// naming the parameter and the values it takes.
struct ItemFilter {
  const char* param;
  const char* member;
  std::initializer_list<std::string_view> known;
};

// Applies each filter present in the request to the JSON array `items`.
core::Status FilterItems(const Request& req, Json& items,
                         std::initializer_list<ItemFilter> filters);

// `limit` query parameter: absent -> 50; an integer in [1, 500] otherwise kInvalidArgument.
core::Result<int> ParseLimit(const Request& req);

// `cursor` query parameter: absent or empty -> nullopt; undecodable -> kInvalidArgument.
core::Result<std::optional<archive::PageCursor>> ParseCursor(const Request& req);

// A request body through the one bounded JSON reader (core/json_reader.h): kInvalidArgument
// naming the limit and position for malformed JSON, nesting deeper than 32 levels or more than
// 65,536 elements. The body's size is bounded before by the route's limit (Route::max_body_bytes).
core::Result<Json> ParseJsonBody(std::string_view body,
                                 const core::JsonLimits& limits = kBodyJsonLimits);

// The request body as a JSON object; an empty body is {}. kInvalidArgument for what
// ParseJsonBody refuses, another JSON type, or a member not in `allowed` (so a typo such as
// "dryrun" is an error, never silently ignored).
core::Result<Json> ParseObjectBody(const Request& req,
                                   std::initializer_list<std::string_view> allowed);

// The request's preferred representation is text/plain (its Accept header names text/plain
// and not application/json).
bool WantsText(const Request& req);

// A positive decimal id from a path segment; kInvalidArgument naming `what` otherwise.
core::Result<std::int64_t> ParseId(std::string_view text, std::string_view what);

// The canonical JSON of a message (capture::EncodeMessage) with "id" first and, when known
// (non-zero), "conversation_id".
Json MessageJson(const model::Message& message, std::int64_t conversation_id = 0);

Json ConversationJson(const model::Conversation& conversation);

// null when there is no next page.
Json CursorJson(const std::optional<archive::PageCursor>& next);

}  // namespace custos::http
