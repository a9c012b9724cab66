// SPDX-License-Identifier: Apache-2.0
// `custos import slack PATH`: a Slack workspace export, as the zip or the unpacked directory
// (docs/formats/slack.md). users/channels/groups/dms/mpims.json are read first
// (slack_workspace.h); then each conversation's per-day files in date order, one Item per
// message: plain messages, thread replies (target_source_id = the thread parent), edits
// (message_changed) and deletions (message_deleted) as events, joins and leaves as events,
// files as attachment references without bytes; text with mrkdwn tokens resolved
// (slack_mrkdwn.h). Ids: source "slack-export", source_id "<channel id>:<ts>".
// Thread-safety: the Format is immutable; a Source is used by one thread.
#pragma once

#include <nlohmann/json.hpp>

#include "importers/registry.h"
#include "importers/slack_workspace.h"

namespace custos::importers {

const Format& SlackFormat();

// One element of a per-day file to an Item (exposed for tests).
Item MapSlackMessage(const nlohmann::json& m, const SlackConversation& conv,
                     const SlackWorkspace& ws, Position where);

// "1500000000.000100" to microseconds; nullopt when malformed.
std::optional<core::Micros> SlackTsToMicros(std::string_view ts);

}  // namespace custos::importers
