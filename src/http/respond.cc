// SPDX-License-Identifier: Apache-2.0
#include "http/respond.h"

#include <algorithm>
#include <charconv>
#include <utility>

#include "capture/jsonl.h"
#include "core/log.h"
#include "core/text.h"
#include "core/time.h"
#include "http/status_mapping.h"
#include "http/transport/error_response.h"

namespace custos::http {

namespace {

constexpr const char* kJsonType = "application/json";

}  // namespace

std::string NewRequestId() { return transport_internal::NewRequestId(); }

Response JsonResponse(int http_status, const Json& body) {
  return TextResponse(http_status, kJsonType,
                      body.dump(-1, ' ', false, Json::error_handler_t::replace));
}

Response TextResponse(int http_status, std::string content_type, std::string body) {
  Response res;
  res.status = http_status;
  res.content_type = std::move(content_type);
  res.body = std::move(body);
  return res;
}

Response ErrorResponse(const core::Status& status, std::string_view request_id, int http_status,
                       std::string_view field) {
  std::string message = status.message();
  if (IsServerFault(status.code())) {
    CUSTOS_LOG_ERROR("request {}: {}", request_id, status.ToString());
    message = "internal error; quote request id " + std::string(request_id) + " to the operator";
  }
  Json error = {{"code", core::StatusCodeName(status.code())}, {"message", message}};
  if (!field.empty()) {
    error["field"] = field;
  }
  error["request_id"] = request_id;
  return JsonResponse(http_status != 0 ? http_status : HttpStatusFor(status),
                      Json{{"error", error}});
}

std::string FieldOf(const core::Status& status) {
  const std::string& m = status.message();
  const std::size_t colon = m.find(':');
  if (colon == std::string::npos || colon == 0 || colon > 64 || m.find(' ') < colon) {
    return "";
  }
  return m.substr(0, colon);
}

core::Status CheckQueryParams(const Request& req, const std::vector<std::string>& accepted,
                              std::string* field) {
  std::string names;
  for (const std::string& a : accepted) {
    names += (names.empty() ? "" : ", ") + a;
  }
  for (const auto& [name, value] : req.query) {
    const std::string shown(core::TruncateUtf8(name, 64));
    if (std::find(accepted.begin(), accepted.end(), name) == accepted.end()) {
      if (field != nullptr) {
        *field = shown;
      }
      return core::InvalidArgument(
          "unknown query parameter \"" + shown + "\" (" +
          (names.empty() ? std::string("this endpoint takes none") : "accepted: " + names) + ")");
    }
    if (req.ParamCount(name) > 1) {
      if (field != nullptr) {
        *field = shown;
      }
      return core::InvalidArgument("query parameter \"" + shown + "\" is given more than once");
    }
  }
  return core::Status::Ok();
}

core::Result<std::optional<std::string>> OptionalParam(const Request& req, const char* name) {
  const std::optional<std::string_view> param = req.Param(name);
  if (!param) {
    return std::optional<std::string>();
  }
  std::string value(*param);
  if (core::TrimAscii(value).empty()) {
    return core::InvalidArgument("query parameter \"" + std::string(name) + "\" needs a value");
  }
  return std::optional<std::string>(std::move(value));
}

core::Status FilterItems(const Request& req, Json& items,
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

core::Result<int> ParseLimit(const Request& req) {
  const std::optional<std::string_view> param = req.Param("limit");
  if (!param) {
    return kDefaultPageLimit;
  }
  const std::string_view text = *param;
  int limit = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), limit);
  if (ec != std::errc() || end != text.data() + text.size() || limit < 1 || limit > kMaxPageLimit) {
    return core::InvalidArgument("query parameter \"limit\": expected an integer from 1 to " +
                                 std::to_string(kMaxPageLimit));
  }
  return limit;
}

core::Result<std::optional<archive::PageCursor>> ParseCursor(const Request& req) {
  const std::string text(req.Param("cursor").value_or(""));
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

core::Result<Json> ParseObjectBody(const Request& req,
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

bool WantsText(const Request& req) {
  const std::string accept = core::ToLowerAscii(req.headers.Get("Accept").value_or(""));
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
