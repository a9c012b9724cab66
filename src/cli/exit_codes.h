// SPDX-License-Identifier: Apache-2.0
// Process exit codes of `custos`, and the one mapping from core::Status to them.
// The values follow BSD sysexits(3), so scripts can tell bad input from a busy disk.
// Thread-safety: pure functions.
#pragma once

#include "core/status.h"

namespace custos::cli {

inline constexpr int kExitOk = 0;
// Verification ran and found that something does not hold: `custos verify` found an integrity
// problem, or `custos log verify-*` was given a proof or checkpoint that does not verify.
// Deliberately outside the sysexits range, so scripts can tell "tampered" from "could not run".
inline constexpr int kExitIntegrity = 3;
inline constexpr int kExitUsage = 64;      // EX_USAGE: bad command line
inline constexpr int kExitDataError = 65;  // EX_DATAERR: the input is malformed
inline constexpr int kExitNoInput = 66;    // EX_NOINPUT: an input file or data directory is missing
inline constexpr int kExitUnavailable = 69;   // EX_UNAVAILABLE: e.g. the listen address is taken
inline constexpr int kExitSoftware = 70;      // EX_SOFTWARE: an internal error (a bug)
inline constexpr int kExitIoError = 74;       // EX_IOERR: reading or writing failed, or data loss
inline constexpr int kExitTempFail = 75;      // EX_TEMPFAIL: try again later
inline constexpr int kExitNoPermission = 77;  // EX_NOPERM
inline constexpr int kExitConfig = 78;        // EX_CONFIG: the configuration is wrong

// The exit code for a failed operation; kExitOk for an OK status.
int ExitCodeFor(const core::Status& status);

// The exit code of a verifying command: kExitIntegrity when `status` says that what was checked
// does not hold (kDataLoss: altered or inconsistent data, a failing signature or proof;
// kUnauthenticated: no signature by the trusted key), otherwise ExitCodeFor(status).
int VerifyExitCodeFor(const core::Status& status);

}  // namespace custos::cli
