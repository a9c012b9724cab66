// SPDX-License-Identifier: Apache-2.0
// Custos::Open as named steps (app/startup.h). Each step opens one part and its stop releases
// it, so that ~Custos tears down in exactly the reverse order, whatever the members' order.
// A new part of the composition root is one more Add here; a new background loop is one line
// in app/workers.cc.
#include <filesystem>
#include <system_error>

#include <sys/stat.h>

#include "app/commit/steps.h"
#include "app/custos.h"
#include "app/oidc_settings.h"
#include "app/workers.h"
#include "archive/payload.h"
#include "config/config.h"
#include "core/log.h"
#include "directory/identity.h"
#include "policy/pack.h"
#include "storage/sqlite/sqlite_database.h"

namespace custos::app {
namespace {

core::Status MakeDir(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return core::InvalidArgument("cannot create data directory " + path + ": " + ec.message());
  }
  if (::chmod(path.c_str(), 0700) != 0) {
    CUSTOS_LOG_WARN("cannot restrict {} to its owner (mode 0700)", path);
  }
  return core::Status::Ok();
}

std::string PolicyPackToInstall(const OpenOptions& options) {
  if (options.default_policy_pack.empty()) {
    return DefaultPackDir();
  }
  return options.default_policy_pack == kNoPolicyPack ? std::string() : options.default_policy_pack;
}

}  // namespace

void Custos::AddSteps(const OpenOptions& options) {
  const std::string dir = options.data_dir;
  const std::string config_path = dir + "/custos.yaml";
  const bool read_only = options.read_only;

  steps_.Add(
      "data directory",
      [this, dir, read_only]() -> core::Status {
        if (read_only) {
          return std::filesystem::exists(dir + "/custos.db")
                     ? core::Status::Ok()
                     : core::NotFound("no custos data directory at " + dir);
        }
        RETURN_IF_ERROR(MakeDir(dir));
        RETURN_IF_ERROR(MakeDir(dir + "/keys"));
        // One writer per data directory, for this object's life (app/data_lock.h).
        ASSIGN_OR_RETURN(lock_, DataLock::Acquire(dir));
        return core::Status::Ok();
      },
      [this] { lock_.reset(); });

  steps_.Add(
      "keys",
      [this, dir, read_only]() -> core::Status {
        const std::string path = dir + "/keys/keyring";
        auto keys = read_only ? crypto::KeyRing::Load(path) : crypto::KeyRing::LoadOrCreate(path);
        if (!keys.has_value()) {
          return keys.error();
        }
        keys_ = std::make_unique<crypto::KeyRing>(std::move(keys).value());
        return core::Status::Ok();
      },
      [this] { keys_.reset(); });

  steps_.Add(
      "storage",  // opens custos.db and applies the migrations
      [this, dir, read_only]() -> core::Status {
        storage::SqliteOptions db_options;
        db_options.read_only = read_only;
        ASSIGN_OR_RETURN(db_, storage::OpenSqlite(dir + "/custos.db", db_options));
        return core::Status::Ok();
      },
      [this] { db_.reset(); });

  steps_.Add(
      "archive",  // message store, attachments, search index, directory, import runs
      [this, read_only]() -> core::Status {
        store_ = std::make_unique<archive::MessageStore>(db_.get(), keys_.get(), clock_);
        attachments_ = std::make_unique<archive::AttachmentStore>(db_.get(), keys_.get(), clock_);
        const crypto::KeyRing* keyring = keys_.get();
        index_ = std::make_unique<search::Index>(
            [keyring](std::string_view token) {
              return keyring->IndexHash(std::string("token\x1f") + std::string(token));
            },
            [keyring](std::string_view handle) { return archive::IdentityHash(*keyring, handle); });
        directory_ = std::make_unique<directory::Directory>(db_.get(), keys_.get(), clock_);
        import_runs_ = std::make_unique<directory::ImportRuns>(db_.get(), keys_.get(), clock_);
        return read_only ? core::Status::Ok() : RebuildSearchIndexIfOld();
      },
      [this] {
        import_runs_.reset();
        directory_.reset();
        index_.reset();
        attachments_.reset();
        store_.reset();
      });

  steps_.Add(
      "log",
      [this, dir, read_only]() -> core::Status {
        ASSIGN_OR_RETURN(log_, LogService::Open(db_.get(), keys_.get(), clock_,
                                                dir + "/keys/log-signer", read_only));
        return core::Status::Ok();
      },
      [this] { log_.reset(); });

  steps_.Add(
      "retention",
      [this, config_path]() -> core::Status {
        ASSIGN_OR_RETURN(retention_, RetentionService::Open(db_.get(), keys_.get(), store_.get(),
                                                            index_.get(), clock_, config_path));
        retention_->SetDirectory(directory_.get());  // person holds resolve through it
        return core::Status::Ok();
      },
      [this] { retention_.reset(); });

  steps_.Add(
      "policy",
      [this, dir, read_only, install = PolicyPackToInstall(options)]() -> core::Status {
        ASSIGN_OR_RETURN(
            policy_, PolicyService::Open(db_.get(), keys_.get(), clock_, dir, install, read_only));
        // Retention classes with `rules` match the rule ids of archived verdicts; the ids are
        // checked against the pack in force at every run (app/retention_service.h).
        retention_->SetPackRules([policy = policy_.get()] {
          std::vector<std::string> ids;
          if (const std::shared_ptr<const policy::Pack> pack = policy->current()) {
            for (const policy::RuleInfo& rule : pack->Rules()) {
              ids.push_back(rule.id);
            }
          }
          return ids;
        });
        ASSIGN_OR_RETURN(const RetentionService::RuleCheck check, retention_->CheckRules());
        for (const std::string& w : check.warnings) {
          CUSTOS_LOG_WARN("retention: {}", w);
        }
        for (const std::string& e : check.errors) {
          CUSTOS_LOG_WARN("retention: {} (retention runs refuse until it is fixed)", e);
        }
        return core::Status::Ok();
      },
      [this] { policy_.reset(); });

  // After the policy step: the device rules are the devices/ part of the pack in force
  // (installed at first start), and follow it when another pack is applied.
  steps_.Add(
      "devices",
      [this, dir, config_path, read_only]() -> core::Status {
        ASSIGN_OR_RETURN(auto nanomdm, devices::LoadNanoMdmConfig(config_path));
        if (nanomdm) {
          nanomdm_ = std::make_unique<devices::NanoMdmClient>(std::move(*nanomdm));
        }
        ASSIGN_OR_RETURN(devices::Policy device_policy, devices::LoadDevicePolicy(dir));
        // The gate reads senders' phone numbers like the directory does
        // (directory.default_region).
        std::string region = "GB";
        if (config::LoadResult loaded =
                config::LoadConfigFile(config_path, config::ProcessEnvironment());
            loaded.ok() && directory::IsKnownRegion(loaded.config.directory_default_region)) {
          region = loaded.config.directory_default_region;
        }
        devices_ = std::make_unique<devices::DeviceService>(db_.get(), keys_.get(), clock_,
                                                            std::move(device_policy), region);
        if (!read_only) {
          // Device rows from before migration 7 are sealed now (docs/devices.md, "Storage").
          ASSIGN_OR_RETURN(const int sealed, devices_->SealLegacyRows());
          if (sealed > 0) {
            CUSTOS_LOG_INFO("devices: sealed {} device rows written before migration 7", sealed);
          }
        }
        policy_->SetOnChange([devices = devices_.get(), dir] {
          core::Result<devices::Policy> next = devices::LoadDevicePolicy(dir);
          if (!next.has_value()) {  // checked before the pack was applied; files changed since
            CUSTOS_LOG_WARN("devices: keeping the device policy in force: {}",
                            next.error().message());
            return;
          }
          devices->SetPolicy(std::move(next).value());
        });
        return core::Status::Ok();
      },
      [this] {
        policy_->SetOnChange({});
        devices_.reset();
        nanomdm_.reset();
      });

  // The people who log in: the users store and the `auth` settings (a bad role in
  // auth.require_2fa_roles stops startup, naming its position).
  steps_.Add(
      "people",
      [this, config_path]() -> core::Status {
        config::LoadResult loaded =
            config::LoadConfigFile(config_path, config::ProcessEnvironment());
        RETURN_IF_ERROR(loaded.ToStatus());
        ASSIGN_OR_RETURN(auth_settings_, LoadAuthSettings(loaded.config));
        users_ = std::make_unique<Users>(db_.get(), keys_.get(), clock_);
        return core::Status::Ok();
      },
      [this] { users_.reset(); });

  // Single sign-on: the client is made from the settings (a bad `auth.oidc` fails startup,
  // naming the position); the provider is contacted at the first login, not here.
  steps_.Add(
      "single sign-on",
      [this, config_path]() -> core::Status {
        oidc_accounts_ = std::make_unique<OidcAccounts>(db_.get(), keys_.get(), clock_);
        ASSIGN_OR_RETURN(std::optional<oidc::OidcConfig> config, LoadOidcConfig(config_path));
        if (!config) {
          return core::Status::Ok();
        }
        const std::string issuer = config->issuer;
        auto client = oidc::OidcClient::Create(std::move(*config));
        if (!client.has_value()) {
          return core::InvalidArgument(config_path + ": " + client.error().message());
        }
        oidc_ = std::move(client).value();
        CUSTOS_LOG_INFO("single sign-on: OpenID Connect provider {}", issuer);
        return core::Status::Ok();
      },
      [this] {
        oidc_.reset();
        oidc_accounts_.reset();
      });

  if (read_only) {
    return;  // reads only: no ingest service, no workers
  }
  steps_.Add(
      "ingest",
      [this]() -> core::Status {
        ingest_ = std::make_unique<IngestService>(
            db_.get(), &metrics_,
            DefaultCommitSteps({.store = store_.get(),
                                .index = index_.get(),
                                .keys = keys_.get(),
                                .clock = clock_,
                                .attachments = attachments_.get()}));
        const policy::Engine* engine = &policy_->engine();
        ingest_->SetEvaluator([engine](const model::Message& m) { return engine->Evaluate(m); });
        ingest_->SetGate(devices_.get());  // the device gate (docs/devices.md)
        return core::Status::Ok();
      },
      [this] { ingest_.reset(); });
}

void Custos::AddWorkerSteps() {
  workers_ = MakeWorkers({.log = log_.get(),
                          .ingest = ingest_.get(),
                          .retention = retention_.get(),
                          .devices = devices_.get(),
                          .nanomdm = nanomdm_.get()});
  for (const std::unique_ptr<core::Worker>& worker : workers_) {
    steps_.AddWorker(worker.get());
  }
}

}  // namespace custos::app
