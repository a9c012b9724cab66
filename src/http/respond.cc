// SPDX-License-Identifier: Apache-2.0
#include "http/respond.h"

#include <charconv>
#include <random>

#include "capture/jsonl.h"
#include "core/log.h"
#include "core/text.h"
#include "core/time.h"
#include "http/status_mapping.h"

namespace custos::http {

namespace {

constexpr const char* kJsonType = "application/json";

}  // namespace

std::string NewRequestId() {
  thread_local std::mt19937_64 rng{std::random_device{}()};
  static constexpr char kHex[] = "0123456789abcdef";
  std::uint64_t bits = rng();
  std::string id(16, '0');
  for (char& c : id) {
    c = kHex[bits & 0xF];
    bits >>= 4;
  }
  return id;
}

std::string RequestIdOf(const httplib::Response& res) {
  return res.get_header_value(kRequestIdHeader);
}

void SendJson(httplib::Response& res, int http_status, const Json& body) {
  res.status = http_status;
  res.set_content(body.dump(-1, ' ', false, Json::error_handler_t::replace), kJsonType);
}

void SendError(httplib::Response& res, const core::Status& status, int http_status,
               std::string_view field) {
  const std::string request_id = RequestIdOf(res);
  std::string message = status.message();
  if (IsServerFault(status.code())) {
    CUSTOS_LOG_ERROR("request {}: {}", request_id, status.ToString());
    message = "internal error; quote request id " + request_id + " to the operator";
  }
  Json error = {{"code", core::StatusCodeName(status.code())}, {"message", message}};
  if (!field.empty()) {
    error["field"] = field;
  }
  error["request_id"] = request_id;
  // Headers a handler may have set for a success (content type of a stream) must not leak.
  res.content_provider_ = nullptr;
  res.content_length_ = 0;
  res.is_chunked_content_provider_ = false;
  SendJson(res, http_status != 0 ? http_status : HttpStatusFor(status), Json{{"error", error}});
}

core::Result<int> ParseLimit(const httplib::Request& req) {
  if (!req.has_param("limit")) {
    return kDefaultPageLimit;
  }
  const std::string text = req.get_param_value("limit");
  int limit = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > kMaxPageLimit) {
    return core::InvalidArgument("query parameter \"limit\": expected an integer from 1 to " +
                                 std::to_string(kMaxPageLimit));
  }
  return limit;
}

core::Result<std::optional<archive::PageCursor>> ParseCursor(const httplib::Request& req) {
  const std::string text = req.get_param_value("cursor");
  if (text.empty()) {
    return std::optional<archive::PageCursor>();
  }
  auto cursor = archive::DecodeCursor(text);
  if (!cursor) {
    return core::InvalidArgument("query parameter \"cursor\": " + cursor.error().message());
  }
  return std::optional<archive::PageCursor>(*cursor);
}

core::Result<Json> ParseJsonBody(std::string_view body, const core::JsonLimits& limits) {
  return core::ParseOrderedJson(body, limits, "request body");
}

core::Result<Json> ParseObjectBody(const httplib::Request& req,
                                   std::initializer_list<std::string_view> allowed) {
  if (core::TrimAscii(req.body).empty()) {
    return Json::object();
  }

  ASSIGN_OR_RETURN(Json body, ParseJsonBody(req.body));
  if (!body.is_object()) {
    return core::InvalidArgument("expected a JSON object as the request body");
  }
  for (auto it = body.begin(); it != body.end(); ++it) {
    bool known = false;
    for (std::string_view name : allowed) {
      known = known || it.key() == name;
    }
    if (!known) {
      std::string names;
      for (std::string_view name : allowed) {
        names += (names.empty() ? "" : ", ") + std::string(name);
      }
      return core::InvalidArgument("unknown member \"" +
                                   std::string(core::TruncateUtf8(it.key(), 64)) +
                                   "\" (known: " + names + ")");
    }
  }
  return body;
}

bool WantsText(const httplib::Request& req) {
  const std::string accept = core::ToLowerAscii(req.get_header_value("Accept"));
  return accept.find("text/plain") != std::string::npos &&
         accept.find("application/json") == std::string::npos;
}

core::Result<std::int64_t> ParseId(std::string_view text, std::string_view what) {
  std::int64_t id = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), id);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || id <= 0) {
    return core::InvalidArgument(std::string(what) + ": expected a positive integer, got \"" +
                                 std::string(text.substr(0, 64)) + "\"");
  }
  return id;
}

Json MessageJson(const model::Message& message, std::int64_t conversation_id) {
  Json out = {{"id", message.id}};
  Json canonical = Json::parse(capture::EncodeMessage(message), nullptr, false);
  if (canonical.is_object()) {
    for (auto it = canonical.begin(); it != canonical.end(); ++it) {
      if (it.key() != "id") {
        out[it.key()] = std::move(it.value());
      }
    }
  }
  if (conversation_id != 0) {
    out["conversation_id"] = conversation_id;
  }
  return out;
}

Json ConversationJson(const model::Conversation& conversation) {
  return {{"id", conversation.id},
          {"channel", conversation.channel},
          {"conversation", conversation.source_key},
          {"message_count", conversation.message_count},
          {"first_message_at", core::FormatRfc3339(conversation.first_message_at)},
          {"last_message_at", core::FormatRfc3339(conversation.last_message_at)},
          {"participants", conversation.participants}};
}

Json CursorJson(const std::optional<archive::PageCursor>& next) {
  if (!next) {
    return nullptr;
  }
  return archive::EncodeCursor(*next);
}

}  // namespace custos::http
