// SPDX-License-Identifier: Apache-2.0
#include "http/resource_json.h"

#include <string>

#include "core/time.h"
#include "http/respond.h"

namespace custos::http {

Json HoldJson(const archive::Hold& hold) {
  Json out = {{"id", hold.id},           {"record_id", hold.record_id},
              {"name", hold.name},       {"scope", std::string(archive::HoldScopeName(hold.scope))},
              {"active", hold.active()}, {"created_at", core::FormatRfc3339(hold.created_at)}};
  switch (hold.scope) {
    case archive::HoldScope::kPerson:
      out["person"] = hold.person;
      if (hold.person_id > 0) {
        out["person_id"] = hold.person_id;
        out["person_name"] = hold.person_name;
      }
      out["identities"] = hold.identities;
      break;
    case archive::HoldScope::kConversation:
      out["conversation_id"] = hold.conversation_id;
      break;
    case archive::HoldScope::kQuery:
      out["query"] = hold.query;
      out["matched"] = hold.matched_at_creation;
      break;
  }
  if (hold.covers >= 0) {
    out["covers"] = hold.covers;  // messages covered now
  }
  if (hold.released_at) {
    out["released_at"] = core::FormatRfc3339(*hold.released_at);
  }
  if (hold.release_record_id) {
    out["release_record_id"] = *hold.release_record_id;
  }
  if (!hold.release_reason.empty()) {
    out["release_reason"] = hold.release_reason;
  }
  return out;
}

Json HoldListJson(const std::vector<archive::Hold>& holds) {
  Json items = Json::array();
  for (const archive::Hold& h : holds) {
    items.push_back(HoldJson(h));
  }
  return Json{{"items", std::move(items)}};
}

Json RetentionReportJson(const app::RetentionReport& report) {
  Json items = Json::array();
  for (const archive::Expired& e : report.items) {
    Json item = {{"message_id", e.message_id},
                 {"record_id", e.record_id},
                 {"conversation_id", e.conversation_id},
                 {"channel", e.channel},
                 {"kind", e.kind},
                 {"sent_at", core::FormatRfc3339(e.sent_at)},
                 {"class", e.class_name},
                 {"period", e.period},
                 {"legal_basis", e.legal_basis}};
    if (e.disposition_record_id != 0) {
      item["disposition_record_id"] = e.disposition_record_id;
    }
    items.push_back(std::move(item));
  }
  return Json{{"dry_run", report.dry_run},
              {"as_of", core::FormatRfc3339(report.as_of)},
              {"batches", report.batches},
              {"count", report.items.size()},
              {"items", std::move(items)}};
}

Json HistoryJson(std::int64_t asked_id, const std::vector<model::Message>& history) {
  Json items = Json::array();
  for (const model::Message& m : history) {
    items.push_back(MessageJson(m, m.conversation_id));
  }
  return Json{{"message_id", history.empty() ? asked_id : history.front().id},
              {"items", std::move(items)}};
}

core::Status AttachVerdicts(app::Custos& custos, Json& items) {
  for (Json& item : items) {
    if (!item.is_object() || !item.contains("id") || !item["id"].is_number_integer()) {
      continue;
    }
    auto verdict = custos.policy().VerdictOf(item["id"].get<std::int64_t>());
    if (!verdict.has_value()) {
      if (verdict.error().code() == core::StatusCode::kFailedPrecondition) {
        item["verdict"] = nullptr;  // disposed of with its message
        continue;
      }
      return verdict.error();
    }
    item["verdict"] =
        *verdict ? Json::parse(**verdict, nullptr, /*allow_exceptions=*/false) : Json(nullptr);
  }
  return core::Status::Ok();
}

Json VerdictListJson(const app::VerdictListing& listing) {
  Json items = Json::array();
  for (const app::VerdictItem& v : listing.items) {
    const archive::VerdictSummary& s = v.row.summary;
    Json item = {{"message_id", s.message_id},
                 {"record_id", s.record_id},
                 {"conversation_id", v.row.conversation_id},
                 {"channel", v.row.channel},
                 {"direction", v.row.direction},
                 {"sent_at", core::FormatRfc3339(v.row.sent_at)},
                 {"action", s.action},
                 {"severity", s.severity},
                 {"blocked", s.blocked},
                 {"pack_version", s.pack_version},
                 {"rules", s.rules}};
    item["verdict"] = v.verdict_json.empty()
                          ? Json(nullptr)
                          : Json::parse(v.verdict_json, nullptr, /*allow_exceptions=*/false);
    items.push_back(std::move(item));
  }
  return Json{{"items", std::move(items)},
              {"next_cursor", listing.next_cursor ? Json(*listing.next_cursor) : Json(nullptr)}};
}

}  // namespace custos::http
