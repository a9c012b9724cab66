// SPDX-License-Identifier: Apache-2.0
// The JSON forms of the employee's view and of policy acknowledgements (app/self_service.h),
// shared by the REST API (routes/me.cc, routes/policy.cc) and `custos policy acknowledgements
// --json`, so both front ends print the same objects (docs/api/openapi.yaml: Me,
// Acknowledgement, AcknowledgementListing). Times are RFC 3339 UTC.
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "app/self_service.h"
#include "archive/acknowledgements.h"
#include "http/principal.h"

namespace custos::http {

// {"record_id","version","person_id","acknowledged_at"}
nlohmann::ordered_json AcknowledgementJson(const archive::Acknowledgement& ack);

// {"principal":{"kind","id","actor","role","roles","display_name","person_id"},"person",
//  "devices","identities","channels","policy","retention","notices"} (docs/api.md).
nlohmann::ordered_json SelfViewJson(const Principal& principal, const app::SelfView& view);

// {"version","in_force","requires_acknowledgement","acknowledged","pending",
//  "items":[{"person_id","name","group","primary","acknowledged","acknowledged_at","record_id"}],
//  "others":[Acknowledgement...]}
nlohmann::ordered_json AcknowledgementListingJson(const app::AcknowledgementListing& listing);

}  // namespace custos::http
