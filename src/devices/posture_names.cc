// SPDX-License-Identifier: Apache-2.0
// Text names of the posture enums.
#include <array>
#include <utility>

#include "devices/posture.h"

namespace custos::devices {
namespace {

template <typename E, std::size_t N>
core::Result<E> Lookup(const std::array<std::pair<E, std::string_view>, N>& table,
                       std::string_view s, std::string_view what) {
  for (const auto& [value, name] : table) {
    if (name == s) {
      return value;
    }
  }
  std::string allowed;
  for (const auto& [value, name] : table) {
    allowed += allowed.empty() ? "" : ", ";
    allowed += name;
  }
  return core::InvalidArgument(std::string(what) + ": unknown value '" + std::string(s) +
                               "' (one of: " + allowed + ")");
}

template <typename E, std::size_t N>
std::string_view NameOf(const std::array<std::pair<E, std::string_view>, N>& table, E v) {
  for (const auto& [value, name] : table) {
    if (value == v) {
      return name;
    }
  }
  return "unknown";
}

constexpr std::array<std::pair<Platform, std::string_view>, 4> kPlatforms{{
    {Platform::kUnknown, "unknown"},
    {Platform::kIos, "ios"},
    {Platform::kIpados, "ipados"},
    {Platform::kAndroid, "android"},
}};
constexpr std::array<std::pair<Ownership, std::string_view>, 3> kOwnerships{{
    {Ownership::kUnknown, "unknown"},
    {Ownership::kCorporate, "corporate"},
    {Ownership::kPersonal, "personal"},
}};
constexpr std::array<std::pair<Source, std::string_view>, 7> kSources{{
    {Source::kAppleMdm, "apple_mdm"},
    {Source::kAppleDdm, "apple_ddm"},
    {Source::kAmapi, "amapi"},
    {Source::kIntuneGraph, "intune_graph"},
    {Source::kFleet, "fleet"},
    {Source::kAgent, "agent"},
    {Source::kFileImport, "file_import"},
}};
constexpr std::array<std::pair<IntegrityPosture, std::string_view>, 4> kIntegrity{{
    {IntegrityPosture::kUnknown, "unknown"},
    {IntegrityPosture::kSecure, "secure"},
    {IntegrityPosture::kAtRisk, "at_risk"},
    {IntegrityPosture::kCompromised, "compromised"},
}};
constexpr std::array<std::pair<Attestation, std::string_view>, 4> kAttestation{{
    {Attestation::kUnknown, "unknown"},
    {Attestation::kNone, "none"},
    {Attestation::kSoftware, "software"},
    {Attestation::kHardware, "hardware"},
}};
constexpr std::array<std::pair<ThreatLevel, std::string_view>, 5> kThreat{{
    {ThreatLevel::kUnknown, "unknown"},
    {ThreatLevel::kSecured, "secured"},
    {ThreatLevel::kLow, "low"},
    {ThreatLevel::kMedium, "medium"},
    {ThreatLevel::kHigh, "high"},
}};

}  // namespace

std::string_view Name(Tri v) {
  return v == Tri::kTrue ? "true" : v == Tri::kFalse ? "false" : "unknown";
}

std::string_view Name(Platform v) { return NameOf(kPlatforms, v); }

std::string_view Name(Ownership v) { return NameOf(kOwnerships, v); }

std::string_view Name(PrivacyTier v) { return v == PrivacyTier::kCorporate ? "corporate" : "byod"; }

std::string_view Name(Source v) { return NameOf(kSources, v); }

std::string_view Name(IntegrityPosture v) { return NameOf(kIntegrity, v); }

std::string_view Name(Attestation v) { return NameOf(kAttestation, v); }

std::string_view Name(ThreatLevel v) { return NameOf(kThreat, v); }

core::Result<Platform> ParsePlatform(std::string_view s) {
  return Lookup(kPlatforms, s, "platform");
}

core::Result<Ownership> ParseOwnership(std::string_view s) {
  return Lookup(kOwnerships, s, "ownership");
}

core::Result<Source> ParseSource(std::string_view s) { return Lookup(kSources, s, "source"); }

core::Result<IntegrityPosture> ParseIntegrity(std::string_view s) {
  return Lookup(kIntegrity, s, "integrity.posture");
}

core::Result<Attestation> ParseAttestation(std::string_view s) {
  return Lookup(kAttestation, s, "integrity.attestation");
}

core::Result<ThreatLevel> ParseThreat(std::string_view s) {
  return Lookup(kThreat, s, "threat.level");
}

}  // namespace custos::devices
