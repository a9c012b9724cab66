// SPDX-License-Identifier: Apache-2.0
#include "app/retention_service.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "archive/records.h"
#include "archive/verdicts.h"
#include "core/log.h"
#include "core/mutex.h"
#include "core/text.h"
#include "directory/directory.h"
#include "directory/identity.h"
#include "model/message.h"
#include "search/query.h"

namespace custos::app {
namespace {

constexpr int kQueryPage = 5'000;
constexpr core::Micros kFirstScheduledRun = 60 * core::kMicrosPerSecond;

// Checks what the config module cannot: channel names.
core::Status CheckConfig(const config::Config& c) {
  config::LoadResult problems;
  for (const config::RetentionClassConfig& rc : c.retention_classes) {
    for (const std::string& channel : rc.channels) {
      if (!model::IsKnownChannel(channel)) {
        problems.errors.push_back(
            {rc.channels_where, "unknown channel \"" + channel +
                                    "\" (known: " + std::string(model::KnownChannelsList()) + ")"});
      }
    }
  }
  return problems.ToStatus();
}

}  // namespace

core::Result<std::unique_ptr<RetentionService>> RetentionService::Open(
    storage::Database* db, const crypto::KeyRing* keys, const archive::MessageStore* store,
    const search::Index* index, const core::Clock* clock, const std::string& config_path) {
  config::LoadResult loaded = config::LoadConfigFile(config_path, config::ProcessEnvironment());
  RETURN_IF_ERROR(loaded.ToStatus());
  RETURN_IF_ERROR(CheckConfig(loaded.config));
  return std::unique_ptr<RetentionService>(
      new RetentionService(db, keys, store, index, clock, std::move(loaded.config)));
}

RetentionService::RetentionService(storage::Database* db, const crypto::KeyRing* keys,
                                   const archive::MessageStore* store, const search::Index* index,
                                   const core::Clock* clock, config::Config config)
    : db_(db),
      keys_(keys),
      store_(store),
      index_(index),
      clock_(clock),
      config_(std::move(config)),
      holds_(keys) {}

void RetentionService::SetPackRules(std::function<std::vector<std::string>()> pack_rules) {
  pack_rules_ = std::move(pack_rules);
}

core::Result<RetentionService::RuleCheck> RetentionService::CheckRules() const {
  RuleCheck check;
  bool any = false;
  for (const config::RetentionClassConfig& c : config_.retention_classes) {
    any = any || !c.rules.empty();
  }
  if (!any) {
    return check;
  }
  std::set<std::string> in_force;
  if (pack_rules_) {
    for (std::string& id : pack_rules_()) {
      in_force.insert(std::move(id));
    }
  }
  std::set<std::string> archived;
  {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(std::vector<std::string> rules, archive::RecordedRules(*tx));
    archived.insert(rules.begin(), rules.end());
  }
  for (const config::RetentionClassConfig& c : config_.retention_classes) {
    for (std::size_t i = 0; i < c.rules.size(); ++i) {
      const std::string& rule = c.rules[i];
      if (in_force.count(rule) > 0) {
        continue;
      }
      const config::Position& where =
          i < c.rule_positions.size() ? c.rule_positions[i] : c.rules_where;
      if (archived.count(rule) > 0) {
        check.warnings.push_back(
            config::Diagnostic{where, "retention class \"" + c.name + "\": rule \"" + rule +
                                          "\" is not in the policy pack in force; only messages"
                                          " earlier packs flagged with it match"}
                .ToString());
      } else {
        check.errors.push_back(config::Diagnostic{
            where, "retention class \"" + c.name + "\": unknown rule \"" + rule +
                       "\": neither the policy pack in force" + (pack_rules_ ? "" : " (none)") +
                       " nor any archived verdict has it, so the class would"
                       " match nothing"}
                                   .ToString());
      }
    }
  }
  return check;
}

archive::RetentionPolicy RetentionService::PolicyAt(core::Micros now) const {
  archive::RetentionPolicy p;
  for (const config::RetentionClassConfig& c : config_.retention_classes) {
    archive::RetentionClass rc;
    rc.name = c.name;
    rc.legal_basis = c.legal_basis;
    rc.period = c.period.Text();
    rc.cutoff = c.period.Before(now);
    rc.channels = c.channels;
    rc.desks = c.desks;
    rc.rules = c.rules;
    rc.severities = c.severities;
    rc.actions = c.actions;
    p.classes.push_back(std::move(rc));
  }
  const config::Duration& d = config_.retention_default_period;
  p.default_class.name = "default";
  p.default_class.legal_basis = config_.retention_default_legal_basis;
  p.default_class.period = d.Text();
  p.default_class.cutoff = d.Before(now);
  p.desks = config_.desks;
  return p;
}

archive::RuleLookup RetentionService::VerdictLookup() const {
  bool per_hit = false;  // severities and actions of every hit are in the sealed record only
  for (const config::RetentionClassConfig& c : config_.retention_classes) {
    per_hit = per_hit || !c.severities.empty() || !c.actions.empty();
  }
  return archive::ArchivedVerdictLookup(keys_, per_hit);
}

core::Result<std::vector<std::int64_t>> RetentionService::MatchQuery(
    storage::Transaction& tx, std::string_view query_text) const {
  ASSIGN_OR_RETURN(search::Query query, search::ParseQuery(query_text));
  std::vector<std::int64_t> ids;
  search::ConversationIds conversations;  // an unknown one matches nothing (yet)
  for (const std::string& c : query.Values(search::Term::Kind::kConversation)) {
    ASSIGN_OR_RETURN(conversations[c], store_->ResolveConversation(c));
  }
  std::optional<std::pair<core::Micros, std::int64_t>> after;
  do {
    ASSIGN_OR_RETURN(search::SearchPage page,
                     index_->Search(tx, query, conversations, after, kQueryPage));
    for (const search::Hit& hit : page.hits) {
      ids.push_back(hit.message_id);
    }
    after = page.next;
  } while (after);
  return ids;
}

core::Result<RetentionReport> RetentionService::Run(const RetentionRunOptions& options) {
  return RunOnce(options, nullptr);
}

core::Result<RetentionReport> RetentionService::RunOnce(const RetentionRunOptions& options,
                                                        const std::function<bool()>* stop) {
  core::MutexLock run_lock(&run_mu_);
  RetentionReport report;
  report.dry_run = options.dry_run;
  report.as_of = clock_->Now();
  // A class that names a rule nothing knows cannot be honoured: dispose of nothing (the
  // messages it was meant to keep would go under a shorter class).
  ASSIGN_OR_RETURN(const RuleCheck check, CheckRules());
  if (!check.errors.empty()) {
    std::string message = "invalid retention configuration:";
    for (const std::string& e : check.errors) {
      message += "\n  " + e;
    }
    return core::InvalidArgument(message);
  }
  const archive::Retention retention(keys_, PolicyAt(report.as_of), VerdictLookup());
  const int batch_size = options.batch_size > 0 ? options.batch_size : config_.retention_batch_size;
  if (!options.dry_run) {
    RETURN_IF_ERROR(DisposeBatches(retention, batch_size, stop, &report));
    if (!report.items.empty()) {
      // Shredded ciphertext must not linger in the write-ahead log's older frames (the writer's
      // secure_delete has zeroed it in the pages themselves): copy the log into the database
      // file and truncate it. Readers holding an old snapshot can keep it from completing; the
      // next run (or closing the archive) finishes the job, so that is a warning, not a failure.
      if (const core::Status emptied = db_->CheckpointWal(); !emptied.ok()) {
        CUSTOS_LOG_WARN("retention: {}", emptied.ToString());
      }
    }
    return report;
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(archive::HeldSet held,
                   holds_.Covered(*tx, [this](storage::Transaction& t, std::string_view q) {
                     return MatchQuery(t, q);
                   }));
  std::optional<archive::PageCursor> cursor;
  do {
    ASSIGN_OR_RETURN(archive::ExpiredScan scan,
                     retention.FindExpired(*tx, held, cursor, batch_size));
    std::move(scan.items.begin(), scan.items.end(), std::back_inserter(report.items));
    cursor = scan.next;
  } while (cursor);
  return report;
}

core::Status RetentionService::DisposeBatches(const archive::Retention& retention, int batch_size,
                                              const std::function<bool()>* stop,
                                              RetentionReport* report) {
  const archive::QueryMatcher matcher = [this](storage::Transaction& t, std::string_view q) {
    return MatchQuery(t, q);
  };
  const archive::IndexRemover remove = [this](storage::Transaction& t, const model::Message& m) {
    return index_->Remove(t, m.id, m.text);
  };
  std::optional<archive::PageCursor> cursor;
  while (true) {
    if (stop != nullptr && (*stop)()) {
      return core::Status::Ok();  // shutting down: the next run continues
    }
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
    // Holds are re-read in every batch's transaction, so a hold committed meanwhile counts.
    ASSIGN_OR_RETURN(archive::HeldSet held, holds_.Covered(*tx, matcher));
    ASSIGN_OR_RETURN(archive::ExpiredScan scan,
                     retention.FindExpired(*tx, held, cursor, batch_size));
    if (scan.items.empty()) {
      return core::Status::Ok();
    }
    ASSIGN_OR_RETURN(archive::RecordAppender records, archive::RecordAppender::Begin(*tx, *keys_));
    const core::Micros at = clock_->Now();
    for (archive::Expired& item : scan.items) {
      RETURN_IF_ERROR(retention.Dispose(*tx, records, &item, at, remove));
    }
    RETURN_IF_ERROR(tx->Commit());
    ++report->batches;
    std::move(scan.items.begin(), scan.items.end(), std::back_inserter(report->items));
    if (!scan.next) {
      return core::Status::Ok();
    }
    cursor = scan.next;
  }
}

namespace {

std::string Shown(std::string_view value) {
  std::string out(value.substr(0, 80));
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20) {
      c = '?';
    }
  }
  return "\"" + out + "\"";
}

// `identity` (already normalised) and, for a phone number, its other spellings.
void Add(const std::string& identity, std::vector<std::string>* identities,
         std::vector<std::string>* spellings) {
  identities->push_back(identity);
  if (!identity.empty() && identity[0] == '+') {
    for (std::string& s : directory::PhoneSpellings(identity)) {
      spellings->push_back(std::move(s));
    }
  }
}

}  // namespace

core::Status RetentionService::ResolvePerson(const HoldRequest& request,
                                             archive::HoldSpec* spec) const {
  const std::string& region = config_.directory_default_region;
  std::vector<directory::KnownPerson> people;
  if (directory_ != nullptr) {
    ASSIGN_OR_RETURN(people, directory_->People());
  }
  directory::Resolver resolver(region);
  for (const directory::KnownPerson& p : people) {
    resolver.AddPerson(p);
  }
  // The directory person `value` names (by name or any identity, a JID or URI as its number).
  auto find = [&](std::string_view value) -> const directory::KnownPerson* {
    std::vector<std::string> forms = {std::string(core::TrimAscii(value))};
    if (auto phone = directory::PhoneOfJidOrUri(value)) {
      forms.push_back(*phone);
    }
    for (const std::string& form : forms) {
      if (form.empty()) {
        continue;
      }
      const std::int64_t id = resolver.Resolve(form).person_id;
      for (const directory::KnownPerson& p : people) {
        if (id != 0 && p.id == id) {
          return &p;
        }
      }
    }
    return nullptr;
  };
  std::vector<const directory::KnownPerson*> persons;
  std::vector<std::string> identities;
  std::vector<std::string> spellings;
  if (request.person) {
    const std::string person(core::TrimAscii(*request.person));
    if (person.empty()) {
      return core::InvalidArgument("a person hold needs the person's name or identity");
    }
    const directory::KnownPerson* p = find(person);
    if (p == nullptr) {
      return core::NotFound(
          "no person " + Shown(person) + " in the identity directory (" +
          std::to_string(people.size()) +
          " people; matched by name, phone, e-mail, handle or WhatsApp ID): import the "
          "directory (custos directory import) or hold the raw identity with --identity "
          "(API: \"identities\")");
    }
    persons.push_back(p);
  }
  for (const std::string& raw : request.identities) {
    const std::string trimmed(core::TrimAscii(raw));
    std::string value = trimmed;
    if (auto phone = directory::PhoneOfJidOrUri(trimmed)) {
      value = *phone;
    }
    std::string normalised;
    if (value.empty() || !core::IsValidUtf8(value)) {
      return core::InvalidArgument("identity " + Shown(raw) + " is empty or not UTF-8");
    } else if (directory::LooksLikePhone(value)) {
      auto e164 = directory::PhoneToE164(value, region);
      if (!e164) {
        return core::InvalidArgument("identity " + Shown(raw) +
                                     " is not a valid phone number (region " + region + ")");
      }
      if (!directory::IsFullLengthNumber(*e164)) {
        return core::InvalidArgument("identity " + Shown(raw) +
                                     " is too short to be a full phone number (only a local "
                                     "number without its area code would be that long)");
      }
      normalised = *e164;
    } else if (value.find_first_of(" \t\r\n") != std::string::npos) {
      return core::InvalidArgument(
          "identity " + Shown(raw) +
          " is not a phone number, e-mail address, WhatsApp ID or handle (hold a person by"
          " name with --person / \"person\")");
    } else if (const std::size_t at = value.find('@'); at != std::string::npos) {
      const std::string domain = core::ToLowerAscii(value.substr(at + 1));
      if (domain == "g.us" || domain.ends_with(".g.us")) {
        return core::InvalidArgument("identity " + Shown(raw) +
                                     " is a WhatsApp group, not a person: hold the conversation");
      }
      if (at == 0 || domain.empty() || domain.find('@') != std::string::npos ||
          domain.find('.') == std::string::npos) {
        return core::InvalidArgument("identity " + Shown(raw) +
                                     " is not a valid e-mail address or WhatsApp ID");
      }
      normalised = core::ToLowerAscii(value);
    } else {
      normalised = value;
    }
    if (const directory::KnownPerson* p = find(normalised)) {
      persons.push_back(p);
    }
    Add(normalised, &identities, &spellings);
    if (spec->person.empty() && !request.person) {
      spec->person = normalised;
    }
  }
  if (!request.person && request.identities.empty()) {
    return core::InvalidArgument("a person hold needs the person's name or identity");
  }
  if (request.person) {
    spec->person = std::string(core::TrimAscii(*request.person));
  }
  std::set<std::int64_t> seen;
  for (const directory::KnownPerson* p : persons) {
    if (!seen.insert(p->id).second) {
      continue;
    }
    if (spec->person_id == 0) {
      spec->person_id = p->id;
      spec->person_name = p->name;
    }
    if (!p->name.empty()) {
      identities.push_back(p->name);
    }
    for (const std::string& identity : p->identities) {
      Add(directory::NormaliseIdentity(identity, region), &identities, &spellings);
    }
  }
  spec->identities = std::move(identities);
  spec->spellings = std::move(spellings);
  return core::Status::Ok();
}

core::Result<archive::Hold> RetentionService::CreateHold(const HoldRequest& request) {
  archive::HoldSpec spec;
  spec.name = request.name;
  const bool person_scope = request.person.has_value() || !request.identities.empty();
  const int scopes =
      (person_scope ? 1 : 0) + (request.conversation ? 1 : 0) + (request.query ? 1 : 0);
  if (scopes != 1) {
    return core::InvalidArgument(
        "a hold needs exactly one of person (or identities), conversation or query");
  }
  if (core::TrimAscii(request.name).empty()) {
    return core::InvalidArgument("a hold needs a name");
  }
  if (person_scope) {
    spec.scope = archive::HoldScope::kPerson;
    RETURN_IF_ERROR(ResolvePerson(request, &spec));
  } else if (request.conversation) {
    spec.scope = archive::HoldScope::kConversation;
    ASSIGN_OR_RETURN(auto id, store_->ResolveConversation(*request.conversation));
    if (!id) {
      return core::NotFound("no conversation \"" + request.conversation->substr(0, 80) + "\"");
    }
    spec.conversation_id = *id;
  } else {
    spec.scope = archive::HoldScope::kQuery;
    spec.query = *request.query;
    RETURN_IF_ERROR(search::ParseQuery(spec.query).status());
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  std::vector<std::int64_t> snapshot;
  if (spec.scope == archive::HoldScope::kQuery) {
    ASSIGN_OR_RETURN(snapshot, MatchQuery(*tx, spec.query));
  }
  ASSIGN_OR_RETURN(archive::RecordAppender records, archive::RecordAppender::Begin(*tx, *keys_));
  ASSIGN_OR_RETURN(archive::Hold hold, holds_.Create(*tx, records, spec, clock_->Now(), snapshot));
  const archive::QueryMatcher matcher = [this](storage::Transaction& t, std::string_view q) {
    return MatchQuery(t, q);
  };
  ASSIGN_OR_RETURN(hold.covers, holds_.Covers(*tx, hold, matcher));
  RETURN_IF_ERROR(tx->Commit());
  return hold;
}

core::Result<std::vector<archive::Hold>> RetentionService::ListHolds() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::vector<archive::Hold> holds, holds_.List(*tx));
  const archive::QueryMatcher matcher = [this](storage::Transaction& t, std::string_view q) {
    return MatchQuery(t, q);
  };
  for (archive::Hold& h : holds) {
    ASSIGN_OR_RETURN(h.covers, holds_.Covers(*tx, h, matcher));
  }
  return holds;
}

core::Result<archive::Hold> RetentionService::ReleaseHold(std::int64_t id,
                                                          std::string_view reason) {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(archive::RecordAppender records, archive::RecordAppender::Begin(*tx, *keys_));
  ASSIGN_OR_RETURN(archive::Hold hold, holds_.Release(*tx, records, id, clock_->Now(), reason));
  RETURN_IF_ERROR(tx->Commit());
  hold.covers = 0;  // a released hold covers nothing
  return hold;
}

std::optional<std::chrono::milliseconds> RetentionService::ScheduleInterval() const {
  if (!config_.retention_schedule) {
    return std::nullopt;
  }
  // The schedule's length as of now on the injected clock (a month is not always 30 days).
  const core::Micros now = clock_->Now();
  const core::Micros interval =
      std::max<core::Micros>(config_.retention_schedule->After(now) - now, core::kMicrosPerSecond);
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::microseconds(interval));
}

std::chrono::milliseconds RetentionService::FirstScheduledRun() const {
  return std::min(ScheduleInterval().value_or(std::chrono::milliseconds(0)),
                  std::chrono::duration_cast<std::chrono::milliseconds>(
                      std::chrono::microseconds(kFirstScheduledRun)));
}

void RetentionService::RunScheduled(const std::function<bool()>& stop_requested) {
  auto report = RunOnce({}, &stop_requested);
  if (!report.has_value()) {
    CUSTOS_LOG_ERROR("retention run failed: {}", report.error().ToString());
  } else if (!report->items.empty()) {
    CUSTOS_LOG_INFO("retention: disposed of {} records in {} transactions", report->items.size(),
                    report->batches);
  }
}

}  // namespace custos::app
