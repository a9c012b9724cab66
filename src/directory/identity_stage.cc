// SPDX-License-Identifier: Apache-2.0
#include "directory/identity_stage.h"

#include <algorithm>
#include <set>
#include <string_view>

#include "core/text.h"

namespace custos::directory {
namespace {

// Sources whose ids are derived from one exporter's view (no ids shared between participants):
// the content fingerprint (same clock) or the cross-export matcher (clocks differ).
bool NeedsFingerprint(const model::Message& m) {
  return m.source == "whatsapp-export" && m.target_source_id.empty();
}

bool NeedsMatcher(const model::Message& m) {
  return m.source == "sms-backup" && m.target_source_id.empty();
}

// A group MMS or RCS thread of SMS Backup & Restore: "a~b~c" (sms_backup_mapping.cc).
bool IsSmsGroup(const model::Message& m) {
  return m.source == "sms-backup" && m.conversation.find('~') != std::string::npos;
}

bool HandleLike(const Resolved& r) {
  return r.person_id != 0 || r.identity.starts_with('+') ||
         r.identity.find('@') != std::string::npos;
}

}  // namespace

IdentityStage::IdentityStage(Resolver resolver, const std::string& custodian,
                             std::int64_t import_run, CrossExportMatcher::StoredProbe stored)
    : resolver_(std::move(resolver)), import_run_(import_run), matcher_(std::move(stored)) {
  if (!custodian.empty()) {
    custodian_ = resolver_.Resolve(custodian);
  }
}

const Resolved& IdentityStage::Resolve(const std::string& raw) {
  auto it = cache_.find(raw);
  if (it == cache_.end()) {
    it = cache_.emplace(raw, resolver_.Resolve(raw)).first;
  }
  return it->second;
}

void IdentityStage::Note(const Resolved& r, bool* external) {
  if (r.identity.empty() || r.identity == kSystemSender) {
    return;
  }
  if (!r.employee) {
    *external = true;
    external_.insert(r.identity);
  }
}

core::Status IdentityStage::Apply(model::Message& m, core::Micros sender_time) {
  m.import_run = import_run_;
  bool external = false;
  if (!m.from.empty() && m.from != kSystemSender) {
    const Resolved& from = Resolve(m.from);
    m.from = from.identity;
    Note(from, &external);
  }
  for (std::string& to : m.to) {
    const Resolved& r = Resolve(to);
    to = r.identity;
    Note(r, &external);
  }
  if (!custodian_.identity.empty()) {
    Note(custodian_, &external);
  }
  if (IsSmsGroup(m)) {
    // Each phone lists the others in mms@address: the thread is everyone in it, this phone's
    // custodian included, so both phones' backups name it alike.
    std::set<std::string> members;
    for (std::string_view part : core::Split(m.conversation, '~')) {
      const Resolved& r = Resolve(std::string(part));
      Note(r, &external);
      members.insert(r.identity);
    }
    members.insert(m.from);
    members.insert(m.to.begin(), m.to.end());
    if (!custodian_.identity.empty()) {
      members.insert(custodian_.identity);
    }
    members.erase("");
    m.conversation = "group:";
    for (const std::string& who : members) {
      m.conversation += (m.conversation.size() > 6 ? " " : "") + who;
    }
  } else if (!custodian_.identity.empty()) {
    const Resolved& other = Resolve(m.conversation);
    if (HandleLike(other) && other.identity != custodian_.identity) {
      Note(other, &external);
      const auto [a, b] = std::minmax(other.identity, custodian_.identity);
      m.conversation = "dm:" + a + " " + b;
    }
  }
  if (NeedsFingerprint(m)) {
    m.source_id = fingerprint_.Next(m);
  } else if (NeedsMatcher(m)) {
    ASSIGN_OR_RETURN(m.source_id,
                     matcher_.SourceIdFor(m, sender_time != 0 ? sender_time : m.sent_at));
  }
  bool& label = conversations_[{m.channel, m.conversation}];
  label = label || external;
  return core::Status::Ok();
}

std::vector<std::string> IdentityStage::ExternalIdentities() const {
  return {external_.begin(), external_.end()};
}

std::vector<ConversationLabel> IdentityStage::Labels() const {
  std::vector<ConversationLabel> out;
  for (const auto& [key, external] : conversations_) {
    out.push_back({key.first, key.second, external});
  }
  return out;
}

}  // namespace custos::directory
