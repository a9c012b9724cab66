// SPDX-License-Identifier: Apache-2.0
#include "app/self_service.h"

#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <utility>

#include "app/retention_service.h"
#include "archive/message_store.h"
#include "archive/payload.h"
#include "core/text.h"

namespace custos::app {
namespace {

// Conversations read per page, and at most this many pages, for the channel summary.
constexpr int kConversationPage = 500;
constexpr int kMaxConversationPages = 200;

core::Result<std::int64_t> ParsePersonId(const std::string& text) {
  std::int64_t id = 0;
  const char* end = text.data() + text.size();
  const auto [ptr, ec] = std::from_chars(text.data(), end, id);
  if (text.empty() || ec != std::errc() || ptr != end || id <= 0) {
    return core::NotFound("person: \"" + std::string(core::TruncateUtf8(text, 40)) +
                          "\" is not a directory person id");
  }
  return id;
}

core::Result<std::optional<directory::KnownPerson>> FindPerson(Custos& custos,
                                                               const std::string& person_id) {
  if (person_id.empty()) {
    return std::optional<directory::KnownPerson>();
  }
  ASSIGN_OR_RETURN(const std::int64_t id, ParsePersonId(person_id));
  ASSIGN_OR_RETURN(std::vector<directory::KnownPerson> people, custos.directory().People());
  for (directory::KnownPerson& p : people) {
    if (p.id == id) {
      return std::optional<directory::KnownPerson>(std::move(p));
    }
  }
  return core::NotFound("person: no directory person " + person_id);
}

std::string IdentityKind(const std::string& identity) {
  if (identity.find('@') != std::string::npos && identity.front() != '@') {
    return "email";
  }
  if (identity.size() > 1 && identity.front() == '+' &&
      std::all_of(identity.begin() + 1, identity.end(),
                  [](char c) { return c >= '0' && c <= '9'; })) {
    return "phone";
  }
  return "handle";
}

std::vector<SelfIdentity> Identities(const directory::KnownPerson& person) {
  std::vector<SelfIdentity> out;
  std::set<std::string> seen;
  for (const std::string& identity : person.identities) {
    if (identity.empty() || identity == person.name || !seen.insert(identity).second) {
      continue;  // the name is not an identity messages carry
    }
    out.push_back({IdentityKind(identity), identity});
  }
  return out;
}

core::Result<std::vector<SelfChannel>> Channels(Custos& custos,
                                                const directory::KnownPerson& person) {
  if (person.primary.empty()) {
    return std::vector<SelfChannel>();
  }
  ASSIGN_OR_RETURN(std::vector<std::string> hashes, custos.PersonIdentityHashes(person.primary));
  archive::ConversationFilter filter;
  filter.participant_hashes = std::move(hashes);
  std::map<std::string, SelfChannel> by_channel;
  std::optional<archive::PageCursor> after;
  for (int page = 0; page < kMaxConversationPages; ++page) {
    ASSIGN_OR_RETURN(auto conversations,
                     custos.store().ListConversations(filter, after, kConversationPage));
    for (const model::Conversation& c : conversations.items) {
      SelfChannel& s = by_channel[c.channel];
      s.channel = c.channel;
      ++s.conversations;
      s.messages += c.message_count;
      s.last_message_at = std::max(s.last_message_at, c.last_message_at);
    }
    if (!conversations.next) {
      break;
    }
    after = conversations.next;
  }
  std::vector<SelfChannel> out;
  for (auto& [name, channel] : by_channel) {
    out.push_back(std::move(channel));
  }
  return out;
}

std::vector<SelfRetentionClass> RetentionClasses(
    Custos& custos, const std::optional<directory::KnownPerson>& person) {
  const archive::RetentionPolicy policy = custos.retention().PolicyAt(core::SystemClock().Now());
  // The desks the person belongs to: a desk lists their handle (compared as the archive does).
  std::set<std::string> mine;
  if (person) {
    std::set<std::string> handles;
    for (const std::string& identity : person->identities) {
      handles.insert(archive::NormaliseHandle(identity));
    }
    for (const auto& [desk, members] : policy.desks) {
      for (const std::string& member : members) {
        if (handles.count(archive::NormaliseHandle(member)) != 0) {
          mine.insert(desk);
        }
      }
    }
  }
  std::vector<const archive::RetentionClass*> order;
  for (const archive::RetentionClass& c : policy.classes) {
    order.push_back(&c);
  }
  // Longest period first (an earlier cutoff), then configuration order.
  std::stable_sort(order.begin(), order.end(),
                   [](const auto& a, const auto& b) { return a->cutoff < b->cutoff; });
  std::vector<SelfRetentionClass> out;
  for (const archive::RetentionClass* c : order) {
    SelfRetentionClass r{c->name,
                         c->period,
                         c->legal_basis,
                         false,
                         c->channels,
                         c->desks,
                         c->rules,
                         c->severities,
                         c->actions,
                         std::any_of(c->desks.begin(), c->desks.end(),
                                     [&](const std::string& d) { return mine.count(d) != 0; })};
    out.push_back(std::move(r));
  }
  const archive::RetentionClass& d = policy.default_class;
  out.push_back({"default", d.period, d.legal_basis, true, {}, {}, {}, {}, {}, false});
  return out;
}

std::vector<SelfNotice> DeviceNotices(const std::vector<devices::DeviceInfo>& list) {
  std::vector<SelfNotice> out;
  for (const devices::DeviceInfo& d : list) {
    for (const devices::RuleResult& r : d.results) {
      if (r.outcome != devices::Outcome::kFail && r.outcome != devices::Outcome::kUnknown) {
        continue;
      }
      out.push_back({"device_remediation", d.device_id, r.rule_id,
                     std::string(devices::Name(r.severity)), r.remediation, r.grace_ends_at});
    }
  }
  return out;
}

}  // namespace

core::Result<SelfView> DescribeSelf(Custos& custos, const SelfRequest& who) {
  SelfView view;
  ASSIGN_OR_RETURN(view.person, FindPerson(custos, who.person_id));
  if (!who.device_id.empty()) {
    // The devices enrolled to the same person as the credential's (also when it was enrolled
    // unlisted, and so is known only by the identity it was enrolled with).
    ASSIGN_OR_RETURN(view.devices, custos.devices().PersonDevices(who.device_id));
  } else if (view.person && !view.person->primary.empty()) {
    ASSIGN_OR_RETURN(view.devices, custos.devices().List(view.person->primary));
  }
  if (view.person) {
    view.identities = Identities(*view.person);
    ASSIGN_OR_RETURN(view.channels, Channels(custos, *view.person));
  }
  if (const std::shared_ptr<const policy::Pack> pack = custos.policy().current()) {
    view.policy_name = pack->Name();
    view.policy_version = pack->Version();
    view.policy_requires_acknowledgement = pack->RequiresAcknowledgement();
    if (view.person) {
      ASSIGN_OR_RETURN(view.acknowledgement,
                       custos.policy().AcknowledgementOf(pack->Version(), view.person->id));
    }
  }
  view.retention = RetentionClasses(custos, view.person);
  view.notices = DeviceNotices(view.devices);
  if (view.person && view.policy_requires_acknowledgement && !view.acknowledgement) {
    view.notices.push_back({"policy_acknowledgement", "", "", "",
                            "acknowledge policy pack " + view.policy_version +
                                ": POST /api/v1/me/acknowledgements {\"version\": \"" +
                                view.policy_version + "\"}",
                            std::nullopt});
  }
  return view;
}

core::Result<AcknowledgeOutcome> AcknowledgePolicy(Custos& custos, const SelfRequest& who,
                                                   std::string_view version,
                                                   std::string_view actor) {
  if (who.person_id.empty()) {
    return core::PermissionDenied(
        "principal: " + std::string(actor) +
        " is not linked to a directory person, so it cannot acknowledge a policy (a device "
        "enrolled with --unlisted, or an API token)");
  }
  ASSIGN_OR_RETURN(const std::int64_t id, ParsePersonId(who.person_id));
  ASSIGN_OR_RETURN(std::vector<directory::KnownPerson> people, custos.directory().People());
  const auto person = std::find_if(people.begin(), people.end(),
                                   [id](const directory::KnownPerson& p) { return p.id == id; });
  if (person == people.end()) {
    return core::NotFound("person: no directory person " + who.person_id);
  }
  return custos.policy().Acknowledge(version, id, person->name, actor);
}

core::Result<AcknowledgementListing> ListAcknowledgements(Custos& custos,
                                                          std::string_view version) {
  if (version.empty()) {
    return core::InvalidArgument("version: needs the pack version");
  }
  AcknowledgementListing out;
  out.version = std::string(version);
  ASSIGN_OR_RETURN(std::vector<archive::Acknowledgement> acks,
                   custos.policy().Acknowledgements(version));
  if (const std::shared_ptr<const policy::Pack> pack = custos.policy().current();
      pack != nullptr && pack->Version() == out.version) {
    out.in_force = true;
    out.requires_acknowledgement = pack->RequiresAcknowledgement();
  }
  std::map<std::int64_t, archive::Acknowledgement> by_person;
  for (archive::Acknowledgement& a : acks) {
    by_person.emplace(a.person_id, std::move(a));
  }
  ASSIGN_OR_RETURN(std::vector<directory::KnownPerson> people, custos.directory().People());
  for (directory::KnownPerson& p : people) {
    if (!p.employee) {
      continue;
    }
    AcknowledgementStatus status{std::move(p), std::nullopt};
    if (auto it = by_person.find(status.person.id); it != by_person.end()) {
      status.acknowledgement = std::move(it->second);
      by_person.erase(it);
      ++out.acknowledged;
    } else {
      ++out.pending;
    }
    out.people.push_back(std::move(status));
  }
  for (auto& [id, ack] : by_person) {
    out.others.push_back(std::move(ack));
  }
  return out;
}

}  // namespace custos::app
