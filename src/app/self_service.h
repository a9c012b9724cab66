// SPDX-License-Identifier: Apache-2.0
// Employees see what is monitored (issue 15; docs/api.md, "What is monitored about me"): the
// use cases behind GET /api/v1/me, POST /api/v1/me/acknowledgements and
// `custos policy acknowledgements` / GET /api/v1/policy/acknowledgements.
//
// The subject is a directory person (SelfRequest::person_id), taken from the authenticated
// principal: today the person a device credential's device is enrolled to; later the person a
// user session's user is linked to. Nothing here takes a person from a request body.
//
// Thread-safety: free functions over Custos's thread-safe services.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "app/custos.h"
#include "app/policy_service.h"
#include "archive/acknowledgements.h"
#include "core/status.h"
#include "core/time.h"
#include "devices/service.h"
#include "directory/resolver.h"

namespace custos::app {

// Whose view: the principal's directory person and, for a device credential, its device.
struct SelfRequest {
  std::string person_id;  // decimal directory person id; "" when the principal has none
  std::string device_id;  // the credential's device; "" for other principals
};

struct SelfIdentity {
  std::string kind;  // "email", "phone" or "handle"
  std::string value;
};

// A channel the archive holds conversations of in which one of the person's identities takes part.
struct SelfChannel {
  std::string channel;
  std::int64_t conversations = 0;
  std::int64_t messages = 0;  // all messages of those conversations, anyone's
  core::Micros last_message_at = 0;
};

// A retention class that can govern the person's messages (docs/retention.md, "Which class
// governs a message"), in precedence order (longest period first, then configuration order);
// the default class last.
struct SelfRetentionClass {
  std::string name;  // "default" for the default class
  std::string period;
  std::string legal_basis;
  bool is_default = false;
  // The criteria a message must also meet (a class with no desks criterion, or one naming a desk
  // the person belongs to, applies to every message of theirs that meets the rest).
  std::vector<std::string> channels;
  std::vector<std::string> desks;  // every desk of the class
  std::vector<std::string> rules;
  std::vector<std::string> severities;
  std::vector<std::string> actions;
  bool my_desk = false;  // a desk of the class counts the person as a member
};

// An open notice: custos has no notices of its own yet, so these are the remediation steps of
// the person's devices (a failing or unknown compliance rule) and a pending acknowledgement of
// the pack in force.
struct SelfNotice {
  std::string kind;                    // "device_remediation" or "policy_acknowledgement"
  std::string device_id;               // device_remediation
  std::string rule;                    // device_remediation: the device rule id
  std::string severity;                // device_remediation
  std::string message;                 // what to do
  std::optional<core::Micros> due_at;  // the end of the grace period, when there is one
};

struct SelfView {
  std::optional<directory::KnownPerson> person;  // nullopt: the principal has no directory person
  std::vector<devices::DeviceInfo> devices;
  std::vector<SelfIdentity> identities;  // the directory's identities of the person, in full
  std::vector<SelfChannel> channels;
  // The pack in force ("" when none) and the person's acknowledgement of it.
  std::string policy_name;
  std::string policy_version;
  bool policy_requires_acknowledgement = false;
  std::optional<archive::Acknowledgement> acknowledgement;
  std::vector<SelfRetentionClass> retention;
  std::vector<SelfNotice> notices;
};

// The view of `who`. A person id that is not a decimal id of the directory is kNotFound; no
// person and no device gives an empty view (who the principal is, and the pack in force).
core::Result<SelfView> DescribeSelf(Custos& custos, const SelfRequest& who);

// Acknowledges `version` for the principal's person (PolicyService::Acknowledge) with the
// principal's audit actor. kPermissionDenied (field "principal") when the principal has no
// directory person; errors of Acknowledge otherwise.
core::Result<AcknowledgeOutcome> AcknowledgePolicy(Custos& custos, const SelfRequest& who,
                                                   std::string_view version,
                                                   std::string_view actor);

struct AcknowledgementStatus {
  directory::KnownPerson person;
  std::optional<archive::Acknowledgement> acknowledgement;  // nullopt: not yet
};

struct AcknowledgementListing {
  std::string version;
  bool in_force = false;
  bool requires_acknowledgement = false;      // known for the version in force only
  std::vector<AcknowledgementStatus> people;  // every employee of the directory, in id order
  std::int64_t acknowledged = 0;
  std::int64_t pending = 0;
  // Acknowledgements by people no longer in the directory (or no longer employees).
  std::vector<archive::Acknowledgement> others;
};

// Who has and has not acknowledged `version`: every employee of the directory. kInvalidArgument
// for an empty version; kNotFound for a version never recorded.
core::Result<AcknowledgementListing> ListAcknowledgements(Custos& custos, std::string_view version);

}  // namespace custos::app
