// SPDX-License-Identifier: Apache-2.0
// JSON <-> PostureReport. Each object is read through a Fields cursor that remembers which keys
// it consumed; the rest are copied to raw_evidence under their dotted path.
#include <set>

#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "devices/posture.h"

// RETURN_IF_ERROR around a lambda that itself uses RETURN_IF_ERROR would shadow its variable.
#define NESTED_RETURN_IF_ERROR(expr)                \
  do {                                              \
    ::custos::core::Status nested_status_ = (expr); \
    if (!nested_status_.ok())                       \
      return nested_status_;                        \
  } while (false)

namespace custos::devices {
namespace {

using nlohmann::json;

core::Status TypeError(const std::string& path, std::string_view expected) {
  return core::InvalidArgument(path + ": expected " + std::string(expected));
}

class Fields {
 public:
  Fields(const json& obj, std::string prefix, json* evidence)
      : obj_(obj), prefix_(std::move(prefix)), evidence_(evidence) {}

  ~Fields() {
    for (const auto& [key, value] : obj_.items()) {
      if (!used_.count(key)) {
        (*evidence_)[prefix_ + key] = value;
      }
    }
  }

  Fields(const Fields&) = delete;
  Fields& operator=(const Fields&) = delete;

  std::string Path(const std::string& key) const { return prefix_ + key; }

  const json* Get(const std::string& key) {
    used_.insert(key);
    auto it = obj_.find(key);
    if (it == obj_.end() || it->is_null()) {
      return nullptr;
    }
    return &*it;
  }

  core::Status Str(const std::string& key, std::optional<std::string>* out) {
    const json* v = Get(key);
    if (v == nullptr) {
      return core::Status::Ok();
    }
    if (!v->is_string()) {
      return TypeError(Path(key), "a string");
    }
    *out = v->get<std::string>();
    return core::Status::Ok();
  }

  core::Status Str(const std::string& key, std::string* out) {
    std::optional<std::string> v;
    RETURN_IF_ERROR(Str(key, &v));
    if (v) {
      *out = *v;
    }
    return core::Status::Ok();
  }

  core::Status Int(const std::string& key, std::optional<int>* out) {
    const json* v = Get(key);
    if (v == nullptr) {
      return core::Status::Ok();
    }
    if (!v->is_number_integer()) {
      return TypeError(Path(key), "an integer");
    }
    *out = v->get<int>();
    return core::Status::Ok();
  }

  core::Status Bool(const std::string& key, Tri* out) {
    const json* v = Get(key);
    if (v == nullptr) {
      return core::Status::Ok();
    }
    if (!v->is_boolean()) {
      return TypeError(Path(key), "true, false or null");
    }
    *out = v->get<bool>() ? Tri::kTrue : Tri::kFalse;
    return core::Status::Ok();
  }

  core::Status Time(const std::string& key, std::optional<core::Micros>* out) {
    std::optional<std::string> text;
    RETURN_IF_ERROR(Str(key, &text));
    if (!text) {
      return core::Status::Ok();
    }
    auto t = core::ParseRfc3339(*text);
    if (!t) {
      return core::InvalidArgument(Path(key) + ": " + t.error().message());
    }
    *out = *t;
    return core::Status::Ok();
  }

  template <typename E, typename ParseFn>
  core::Status Enum(const std::string& key, E* out, ParseFn parse) {
    std::optional<std::string> text;
    RETURN_IF_ERROR(Str(key, &text));
    if (!text) {
      return core::Status::Ok();
    }
    auto v = parse(*text);
    if (!v) {
      return core::InvalidArgument(Path(key) + ": " + v.error().message());
    }
    *out = *v;
    return core::Status::Ok();
  }

  // Calls `fn(Fields&)` on a nested object, if present.
  template <typename Fn>
  core::Status Object(const std::string& key, Fn fn) {
    const json* v = Get(key);
    if (v == nullptr) {
      return core::Status::Ok();
    }
    if (!v->is_object()) {
      return TypeError(Path(key), "an object");
    }
    Fields sub(*v, Path(key) + ".", evidence_);
    return fn(sub);
  }

 private:
  const json& obj_;
  std::string prefix_;
  json* evidence_;
  std::set<std::string> used_;
};

core::Result<AppInfo> ParseApp(const json& v, const std::string& path) {
  if (!v.is_object() || !v.contains("id") || !v["id"].is_string()) {
    return TypeError(path, "an object with a string 'id'");
  }
  AppInfo app{v["id"].get<std::string>(), ""};
  if (v.contains("version") && v["version"].is_string()) {
    app.version = v["version"].get<std::string>();
  }
  return app;
}

core::Status Apps(Fields& f, const std::string& key, std::optional<std::vector<AppInfo>>* out) {
  const json* v = f.Get(key);
  if (v == nullptr) {
    return core::Status::Ok();
  }
  if (!v->is_array()) {
    return TypeError(f.Path(key), "an array");
  }
  out->emplace();
  for (std::size_t i = 0; i < v->size(); ++i) {
    ASSIGN_OR_RETURN(AppInfo app, ParseApp((*v)[i], f.Path(key) + "[" + std::to_string(i) + "]"));
    (*out)->push_back(std::move(app));
  }
  return core::Status::Ok();
}

// An array of app ids (strings).
core::Status IdList(Fields& f, const std::string& key, std::vector<std::string>* out) {
  const json* v = f.Get(key);
  if (v == nullptr) {
    return core::Status::Ok();
  }
  if (!v->is_array()) {
    return TypeError(f.Path(key), "an array of app ids");
  }
  for (const auto& id : *v) {
    if (!id.is_string() || id.get<std::string>().empty()) {
      return TypeError(f.Path(key), "an array of app ids");
    }
    out->push_back(id.get<std::string>());
  }
  return core::Status::Ok();
}

core::Status ParseTop(Fields& f, PostureReport* r) {
  RETURN_IF_ERROR(f.Str("schema_version", &r->schema_version));
  RETURN_IF_ERROR(f.Str("report_id", &r->report_id));
  RETURN_IF_ERROR(f.Str("device_id", &r->device_id));
  RETURN_IF_ERROR(f.Str("user_id", &r->user_id));
  RETURN_IF_ERROR(f.Enum("platform", &r->platform, ParsePlatform));
  RETURN_IF_ERROR(f.Enum("ownership", &r->ownership, ParseOwnership));
  RETURN_IF_ERROR(f.Str("management_mode", &r->management_mode));
  f.Get("privacy_tier");  // derived from ownership, never trusted from the report
  RETURN_IF_ERROR(f.Enum("source", &r->source, ParseSource));
  std::optional<core::Micros> collected;
  RETURN_IF_ERROR(f.Time("collected_at", &collected));
  if (r->device_id.empty()) {
    return core::InvalidArgument("device_id: required");
  }
  if (!collected) {
    return core::InvalidArgument("collected_at: required (RFC 3339)");
  }
  r->collected_at = *collected;
  f.Get("received_at");   // set by the server
  f.Get("raw_evidence");  // merged back by ParsePostureJson, still untrusted
  return core::Status::Ok();
}

core::Status ParseBody(Fields& f, PostureReport* r) {
  NESTED_RETURN_IF_ERROR(f.Object("os", [&](Fields& o) -> core::Status {
    RETURN_IF_ERROR(o.Str("version", &r->os_version));
    RETURN_IF_ERROR(o.Str("build", &r->os_build));
    RETURN_IF_ERROR(o.Str("security_patch_level", &r->security_patch_level));
    RETURN_IF_ERROR(o.Int("api_level", &r->api_level));
    return o.Str("update_status", &r->update_status);
  }));
  NESTED_RETURN_IF_ERROR(f.Object("integrity", [&](Fields& o) -> core::Status {
    RETURN_IF_ERROR(o.Enum("posture", &r->integrity, ParseIntegrity));
    if (const json* risks = o.Get("risks"); risks != nullptr) {
      if (!risks->is_array()) {
        return TypeError(o.Path("risks"), "an array of strings");
      }
      for (const auto& risk : *risks) {
        if (!risk.is_string()) {
          return TypeError(o.Path("risks"), "an array of strings");
        }
        r->integrity_risks.push_back(risk.get<std::string>());
      }
    }
    RETURN_IF_ERROR(o.Enum("attestation", &r->attestation, ParseAttestation));
    RETURN_IF_ERROR(o.Bool("dev_mode", &r->dev_mode));
    RETURN_IF_ERROR(o.Bool("adb", &r->adb));
    RETURN_IF_ERROR(o.Bool("unknown_sources", &r->unknown_sources));
    return o.Bool("verify_apps", &r->verify_apps);
  }));
  NESTED_RETURN_IF_ERROR(f.Object("encryption", [&](Fields& o) -> core::Status {
    RETURN_IF_ERROR(o.Bool("enabled", &r->encryption_enabled));
    return o.Str("status", &r->encryption_status);
  }));
  NESTED_RETURN_IF_ERROR(f.Object("passcode", [&](Fields& o) -> core::Status {
    RETURN_IF_ERROR(o.Bool("present", &r->passcode_present));
    RETURN_IF_ERROR(o.Bool("compliant", &r->passcode_compliant));
    return o.Object("applied", [&](Fields& a) -> core::Status {
      PasscodeApplied& p = r->passcode;
      RETURN_IF_ERROR(a.Int("min_length", &p.min_length));
      RETURN_IF_ERROR(a.Str("quality", &p.quality));
      RETURN_IF_ERROR(a.Str("complexity_band", &p.complexity));
      RETURN_IF_ERROR(a.Int("min_symbols", &p.min_symbols));
      RETURN_IF_ERROR(a.Int("max_inactivity_min", &p.max_inactivity_min));
      RETURN_IF_ERROR(a.Int("max_age_days", &p.max_age_days));
      RETURN_IF_ERROR(a.Int("history", &p.history));
      RETURN_IF_ERROR(a.Int("max_failed_attempts", &p.max_failed_attempts));
      RETURN_IF_ERROR(a.Int("max_grace_min", &p.max_grace_min));
      return a.Bool("separate_work_lock", &p.separate_work_lock);
    });
  }));
  NESTED_RETURN_IF_ERROR(
      f.Object("biometric", [&](Fields& o) { return o.Bool("allowed", &r->biometric_allowed); }));
  NESTED_RETURN_IF_ERROR(
      f.Object("vpn", [&](Fields& o) { return o.Bool("always_on", &r->vpn_always_on); }));
  NESTED_RETURN_IF_ERROR(f.Object("apps", [&](Fields& o) -> core::Status {
    RETURN_IF_ERROR(Apps(o, "managed", &r->apps_managed));
    RETURN_IF_ERROR(Apps(o, "all", &r->apps_all));
    if (const json* m = o.Get("messaging_client"); m != nullptr) {
      ASSIGN_OR_RETURN(r->messaging_client, ParseApp(*m, o.Path("messaging_client")));
    }
    return o.Object("blocklist_check", [&](Fields& b) -> core::Status {
      BlocklistCheck check;
      RETURN_IF_ERROR(IdList(b, "checked", &check.checked));
      RETURN_IF_ERROR(IdList(b, "present", &check.present));
      r->blocklist_check = std::move(check);
      return core::Status::Ok();
    });
  }));
  NESTED_RETURN_IF_ERROR(f.Object("management", [&](Fields& o) -> core::Status {
    RETURN_IF_ERROR(o.Bool("enrolled", &r->enrolled));
    RETURN_IF_ERROR(o.Bool("supervised", &r->supervised));
    RETURN_IF_ERROR(o.Bool("lost_mode", &r->lost_mode));
    RETURN_IF_ERROR(o.Time("last_checkin", &r->last_checkin));
    RETURN_IF_ERROR(o.Str("policy_version", &r->policy_version));
    if (const json* n = o.Get("noncompliance"); n != nullptr && n->is_array()) {
      for (const auto& item : *n) {
        if (item.is_object()) {
          r->noncompliance.push_back(
              {item.value("setting", ""), item.value("reason", ""), item.value("detail", "")});
        }
      }
    }
    return core::Status::Ok();
  }));
  NESTED_RETURN_IF_ERROR(
      f.Object("threat", [&](Fields& o) { return o.Enum("level", &r->threat, ParseThreat); }));
  NESTED_RETURN_IF_ERROR(f.Object("location", [&](Fields& o) -> core::Status {
    const json* lat = o.Get("lat");
    const json* lon = o.Get("lon");
    const json* acc = o.Get("accuracy");
    if (lat == nullptr || lon == nullptr || !lat->is_number() || !lon->is_number()) {
      return TypeError(o.Path("lat"), "numbers lat and lon");
    }
    r->location = Location{lat->get<double>(), lon->get<double>(),
                           acc != nullptr && acc->is_number() ? acc->get<double>() : 0.0};
    return core::Status::Ok();
  }));
  return f.Object("hardware", [&](Fields& o) -> core::Status {
    RETURN_IF_ERROR(o.Str("serial", &r->hardware.serial));
    RETURN_IF_ERROR(o.Str("imei", &r->hardware.imei));
    RETURN_IF_ERROR(o.Str("meid", &r->hardware.meid));
    RETURN_IF_ERROR(o.Str("wifi_mac", &r->hardware.wifi_mac));
    return o.Str("udid", &r->hardware.udid);
  });
}

json TriJson(Tri t) { return t == Tri::kUnknown ? json(nullptr) : json(t == Tri::kTrue); }

template <typename T>
void Put(json& obj, const char* key, const std::optional<T>& v) {
  if (v) {
    obj[key] = *v;
  }
}

void PutTri(json& obj, const char* key, Tri t) {
  if (t != Tri::kUnknown) {
    obj[key] = TriJson(t);
  }
}

json AppsJson(const std::vector<AppInfo>& apps) {
  json out = json::array();
  for (const auto& a : apps) {
    out.push_back({{"id", a.id}, {"version", a.version}});
  }
  return out;
}

}  // namespace

core::Result<PostureReport> ParsePostureJson(std::string_view text) {
  ASSIGN_OR_RETURN(json doc, core::ParseJson(text, core::kRequestJsonLimits, "posture report"));
  if (!doc.is_object()) {
    return core::InvalidArgument("posture report: expected a JSON object");
  }
  PostureReport r;
  json evidence = json::object();
  {
    Fields top(doc, "", &evidence);
    RETURN_IF_ERROR(ParseTop(top, &r));
    RETURN_IF_ERROR(ParseBody(top, &r));
  }
  if (auto it = doc.find("raw_evidence"); it != doc.end() && it->is_object()) {
    for (const auto& [key, value] : it->items()) {
      evidence[key] = value;
    }
  }
  r.raw_evidence = evidence.dump();
  r.privacy_tier =
      r.ownership == Ownership::kCorporate ? PrivacyTier::kCorporate : PrivacyTier::kByod;
  return r;
}

std::string PostureToJson(const PostureReport& r) {
  json j;
  j["schema_version"] = r.schema_version;
  j["report_id"] = r.report_id;
  j["device_id"] = r.device_id;
  j["user_id"] = r.user_id;
  j["platform"] = Name(r.platform);
  j["ownership"] = Name(r.ownership);
  j["management_mode"] = r.management_mode;
  j["privacy_tier"] = Name(r.privacy_tier);
  j["source"] = Name(r.source);
  j["collected_at"] = core::FormatRfc3339(r.collected_at);
  if (r.received_at != 0) {
    j["received_at"] = core::FormatRfc3339(r.received_at);
  }
  json os = json::object();
  Put(os, "version", r.os_version);
  Put(os, "build", r.os_build);
  Put(os, "security_patch_level", r.security_patch_level);
  Put(os, "api_level", r.api_level);
  Put(os, "update_status", r.update_status);
  j["os"] = os;
  json integ = {{"posture", Name(r.integrity)}, {"attestation", Name(r.attestation)}};
  integ["risks"] = r.integrity_risks;
  PutTri(integ, "dev_mode", r.dev_mode);
  PutTri(integ, "adb", r.adb);
  PutTri(integ, "unknown_sources", r.unknown_sources);
  PutTri(integ, "verify_apps", r.verify_apps);
  j["integrity"] = integ;
  json enc = json::object();
  PutTri(enc, "enabled", r.encryption_enabled);
  Put(enc, "status", r.encryption_status);
  j["encryption"] = enc;
  json applied = json::object();
  const PasscodeApplied& p = r.passcode;
  Put(applied, "min_length", p.min_length);
  Put(applied, "quality", p.quality);
  Put(applied, "complexity_band", p.complexity);
  Put(applied, "min_symbols", p.min_symbols);
  Put(applied, "max_inactivity_min", p.max_inactivity_min);
  Put(applied, "max_age_days", p.max_age_days);
  Put(applied, "history", p.history);
  Put(applied, "max_failed_attempts", p.max_failed_attempts);
  Put(applied, "max_grace_min", p.max_grace_min);
  PutTri(applied, "separate_work_lock", p.separate_work_lock);
  json pass = {{"applied", applied}};
  PutTri(pass, "present", r.passcode_present);
  PutTri(pass, "compliant", r.passcode_compliant);
  j["passcode"] = pass;
  j["biometric"] = json::object();
  PutTri(j["biometric"], "allowed", r.biometric_allowed);
  j["vpn"] = json::object();
  PutTri(j["vpn"], "always_on", r.vpn_always_on);
  json apps = json::object();
  if (r.apps_managed) {
    apps["managed"] = AppsJson(*r.apps_managed);
  }
  if (r.apps_all) {
    apps["all"] = AppsJson(*r.apps_all);
  }
  if (r.messaging_client) {
    apps["messaging_client"] = {{"id", r.messaging_client->id},
                                {"version", r.messaging_client->version}};
  }
  if (r.blocklist_check) {
    apps["blocklist_check"] = {{"checked", r.blocklist_check->checked},
                               {"present", r.blocklist_check->present}};
  }
  j["apps"] = apps;
  json mgmt = json::object();
  PutTri(mgmt, "enrolled", r.enrolled);
  PutTri(mgmt, "supervised", r.supervised);
  PutTri(mgmt, "lost_mode", r.lost_mode);
  if (r.last_checkin) {
    mgmt["last_checkin"] = core::FormatRfc3339(*r.last_checkin);
  }
  Put(mgmt, "policy_version", r.policy_version);
  json nc = json::array();
  for (const auto& n : r.noncompliance) {
    nc.push_back({{"setting", n.setting}, {"reason", n.reason}, {"detail", n.detail}});
  }
  mgmt["noncompliance"] = nc;
  j["management"] = mgmt;
  j["threat"] = {{"level", Name(r.threat)}};
  if (r.location) {
    j["location"] = {
        {"lat", r.location->lat}, {"lon", r.location->lon}, {"accuracy", r.location->accuracy}};
  }
  if (!r.hardware.empty()) {
    json hw = json::object();
    Put(hw, "serial", r.hardware.serial);
    Put(hw, "imei", r.hardware.imei);
    Put(hw, "meid", r.hardware.meid);
    Put(hw, "wifi_mac", r.hardware.wifi_mac);
    Put(hw, "udid", r.hardware.udid);
    j["hardware"] = hw;
  }
  json evidence = json::parse(r.raw_evidence, nullptr, false);
  if (!evidence.is_discarded() && !evidence.empty()) {
    j["raw_evidence"] = evidence;
  }
  return j.dump();
}

}  // namespace custos::devices
