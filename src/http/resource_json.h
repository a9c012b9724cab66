// SPDX-License-Identifier: Apache-2.0
// The JSON forms of holds, retention reports and message histories, shared by the REST API
// (routes/holds.cc, routes/retention.cc, routes/messages.cc) and the `--json` output of the
// matching `custos` subcommands, so both front ends print the same objects
// (docs/api/openapi.yaml: Hold, RetentionReport, MessageHistory). Times are RFC 3339 UTC.
// Thread-safety: pure functions.
#pragma once

#include <cstdint>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/custos.h"
#include "app/retention_service.h"
#include "archive/holds.h"
#include "model/message.h"

namespace custos::http {

// {"id","record_id","name","scope","active","created_at", then by scope "person" |
// "conversation_id" | "query" and "matched", then when released "released_at",
// "release_record_id" and, when given, "release_reason"}.
nlohmann::ordered_json HoldJson(const archive::Hold& hold);

// {"items":[Hold...]}
nlohmann::ordered_json HoldListJson(const std::vector<archive::Hold>& holds);

// {"dry_run","as_of","batches","count","items":[{"message_id","record_id","conversation_id",
// "channel","kind","sent_at","class","period","legal_basis"[,"disposition_record_id"]}]}
nlohmann::ordered_json RetentionReportJson(const app::RetentionReport& report);

// {"message_id","items":[StoredMessage...]}: the original message first, then each event
// about it. `message_id` is the original's id (the id asked for when the history is empty).
nlohmann::ordered_json HistoryJson(std::int64_t asked_id,
                                   const std::vector<model::Message>& history);

// Adds "verdict" to each message object of `items` (found by its "id"): the sealed verdict's
// body ({"action","blocked","hits":[{"rule","clause","severity","action","evidence":[{"begin",
// "end","text","masked","source",...}]}],"message_id","pack_version","severity"}), or null when
// the message had no hits or its verdict was disposed of with it.
core::Status AttachVerdicts(app::Custos& custos, nlohmann::ordered_json& items);

// {"items":[{"message_id","record_id","conversation_id","channel","direction","sent_at",
// "action","severity","blocked","pack_version","rules":[...],"verdict":{...}|null}],
// "next_cursor"} (GET /api/v1/verdicts, `custos verdicts list --json`).
nlohmann::ordered_json VerdictListJson(const app::VerdictListing& listing);

}  // namespace custos::http
