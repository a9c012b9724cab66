// SPDX-License-Identifier: Apache-2.0
// The default region of phone numbers written without a country code, for `custos directory
// import` and `custos import FORMAT`: the `--region` flag when given, else `directory:
// {default_region: ..}` of DIR/custos.yaml (or CUSTOS_DIRECTORY_DEFAULT_REGION), else GB
// (docs/directory.md). Either way it must be a region libphonenumber knows; the error names the
// flag, or the file, line and key it came from.
// Thread-safety: a pure function of its arguments and the files it reads.
#pragma once

#include <string>

#include "core/status.h"

namespace custos::app {

// The region to use (upper case). `flag` is the --region value, "" when not given.
// kInvalidArgument for a bad flag; kFailedPrecondition for a bad configuration.
core::Result<std::string> DefaultRegion(const std::string& data_dir, const std::string& flag);

}  // namespace custos::app
