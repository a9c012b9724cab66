// SPDX-License-Identifier: Apache-2.0
// IP addresses: detectors "ipv4" and "ipv6" and their strict validators.
//
// ipv4 primary match: four dot-separated runs of 1-3 digits, not preceded or followed by a
// word character, a dot or another number ("1.2.3.4.5" and "v1.2.3.4" are not found).
// ipv4 validator: each part 0-255 written without leading zeros ("010.1.1.1" is invalid).
//
// ipv6 primary match: a run of hex digits, ':' and '.' with at least two colons, at word
// boundaries, with trailing sentence dots and a single leading or trailing colon trimmed
// ("IP:2001:db8::1." finds "2001:db8::1"). A zone index ("%eth0") is not part of the match.
// ipv6 validator (RFC 4291 text form): eight groups of 1-4 hex digits, or fewer around exactly
// one "::"; the last 32 bits may be a strict dotted IPv4 address ("::ffff:192.0.2.1"). The bare
// "::" is rejected because it is too common as punctuation. Times ("12:30:45") and MAC
// addresses ("00:1a:2b:3c:4d:5e") are therefore invalid.
//
// Both grade every valid address as valid: medium alone, high with a keyword such as "ip",
// "server", "host" or "address" within 300 characters.
// Thread-safety: pure functions; the detectors are immutable.
#pragma once

#include <string_view>

#include "policy/detectors/detector.h"

namespace custos::policy {

// True when `address` is a strict dotted-quad IPv4 address.
bool Ipv4Valid(std::string_view address);

// True when `address` is an IPv6 address in RFC 4291 text form (other than "::").
bool Ipv6Valid(std::string_view address);

// The built-in detectors; they live for the whole program.
const Detector& Ipv4Detector();

const Detector& Ipv6Detector();

}  // namespace custos::policy
