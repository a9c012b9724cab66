// SPDX-License-Identifier: Apache-2.0
// Credentials pasted into messages: detectors "private_key", "aws_access_key_id",
// "github_token" and "slack_token".
//
// private_key (private_key.cc): a PEM block "-----BEGIN <label>-----" whose label ends in
// "PRIVATE KEY" (RSA, EC, DSA, OPENSSH, ENCRYPTED, PKCS#8) or is "PGP PRIVATE KEY BLOCK".
// Valid when the matching "-----END <label>-----" follows and at least 16 base64 characters
// lie between; plausible when the block is cut off (no END line) after at least 32 base64
// characters. Line breaks may be newlines or spaces (chat clients often fold them). The
// masked text keeps the BEGIN and END lines and replaces the key material with a count.
//
// aws_access_key_id: "AKIA" or "ASIA" and 16 uppercase letters or digits, at word boundaries;
// valid when those 16 are in the base32 alphabet AWS uses (A-Z, 2-7), plausible otherwise.
// github_token: "ghp_", "gho_", "ghu_", "ghs_" or "ghr_" and exactly 36 letters or digits, or
// "github_pat_" and exactly 82 letters, digits or underscores; always valid.
// slack_token: "xox" + one of a, b, p, r, s + "-" and at least 10 letters, digits or dashes;
// valid when there are at least three dash-separated parts, the first all digits, and at
// least 20 characters after the prefix ("xoxb-<team>-<bot>-<secret>"), plausible otherwise.
//
// Confidence: the shapes are specific enough that a valid match is high with or without a
// keyword; a plausible one is low, or medium with a keyword ("token", "secret", "key", ...)
// within 300 characters.
// Thread-safety: the detectors are immutable.
#pragma once

#include "policy/detectors/detector.h"

namespace custos::policy {

// Valid with or without a keyword: high. Plausible: medium with a keyword, low alone.
inline constexpr ConfidenceTable kSecretConfidence{
    .valid_with_keyword = Confidence::kHigh,
    .valid_alone = Confidence::kHigh,
    .plausible_with_keyword = Confidence::kMedium,
    .plausible_alone = Confidence::kLow,
};

// The built-in detectors; they live for the whole program.
const Detector& PrivateKeyDetector();

const Detector& AwsAccessKeyIdDetector();

const Detector& GithubTokenDetector();

const Detector& SlackTokenDetector();

}  // namespace custos::policy
