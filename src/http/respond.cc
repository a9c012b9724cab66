// SPDX-License-Identifier: Apache-2.0
#include "http/respond.h"

#include <algorithm>
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

core::Status CheckQueryParams(const httplib::Request& req,
                              std::initializer_list<std::string_view> accepted) {
  std::string names;
  for (std::string_view a : accepted) {
    names += (names.empty() ? "" : ", ") + std::string(a);
  }
  for (auto it = req.params.begin(); it != req.params.end(); ++it) {
    const std::string& name = it->first;
    if (std::find(accepted.begin(), accepted.end(), name) == accepted.end()) {
      return core::InvalidArgument(
          "unknown query parameter \"" + std::string(core::TruncateUtf8(name, 64)) + "\" (" +
          (names.empty() ? std::string("this endpoint takes none") : "accepted: " + names) + ")");
    }
    if (req.params.count(name) > 1) {
      return core::InvalidArgument("query parameter \"" + name + "\" is given more than once");
    }
  }
  return core::Status::Ok();
}

bool AcceptQueryParams(const httplib::Request& req, httplib::Response& res,
                       std::initializer_list<std::string_view> accepted) {
  const core::Status s = CheckQueryParams(req, accepted);
  if (s.ok()) {
    return true;
  }
  // The offending name is the first quoted word of the message.
  std::string field;
  for (auto it = req.params.begin(); it != req.params.end(); ++it) {
    if (std::find(accepted.begin(), accepted.end(), it->first) == accepted.end() ||
        req.params.count(it->first) > 1) {
      field = std::string(core::TruncateUtf8(it->first, 64));
      break;
    }
  }
  SendError(res, s, 400, field);
  return false;
}

core::Result<std::optional<std::string>> OptionalParam(const httplib::Request& req,
                                                       const char* name) {
  if (!req.has_param(name)) {
    return std::optional<std::string>();
  }
  std::string value = req.get_param_value(name);
  if (core::TrimAscii(value).empty()) {
    return core::InvalidArgument("query parameter \"" + std::string(name) + "\" needs a value");
  }
  return std::optional<std::string>(std::move(value));
}

core::Status FilterItems(const httplib::Request& req, Json& items,
                         std::initializer_list<ItemFilter> filters) {
  for (const ItemFilter& f : filters) {
    ASSIGN_OR_RETURN(std::optional<std::string> value, OptionalParam(req, f.param));
    if (!value) {
      continue;
    }
    const std::string wanted = core::ToLowerAscii(*value);
    if (std::find(f.known.begin(), f.known.end(), wanted) == f.known.end()) {
      std::string list;
      for (std::string_view k : f.known) {
        list += (list.empty() ? "" : ", ") + std::string(k);
      }
      return core::InvalidArgument(
          "query parameter \"" + std::string(f.param) + "\": unknown value \"" +
          std::string(core::TruncateUtf8(*value, 64)) + "\" (one of: " + list + ")");
    }
    Json kept = Json::array();
    for (Json& item : items) {
      if (item.is_object() && item.contains(f.member) && item[f.member].is_string() &&
          item[f.member].get<std::string>() == wanted) {
        kept.push_back(std::move(item));
      }
    }
    items = std::move(kept);
  }
  return core::Status::Ok();
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
  if (message.record_id != 0) {
    out["record_id"] = message.record_id;  // the message's record in the log (not its id)
  }
  Json canonical = Json::parse(capture::EncodeMessage(message), nullptr, false);
  if (canonical.is_object()) {
    for (auto it = canonical.begin(); it != canonical.end(); ++it) {
      if (it.key() != "id" && it.key() != "record_id") {
        out[it.key()] = std::move(it.value());
      }
    }
  }
  if (conversation_id != 0) {
    out["conversation_id"] = conversation_id;
  }
  if (!message.device.empty()) {
    out["device"] = message.device;  // sent with this device's credential (docs/devices.md)
  }
  if (!message.principal.empty()) {
    out["principal"] = message.principal;  // its idempotency namespace
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
