// SPDX-License-Identifier: Apache-2.0
// The *.case format of tests/policy_cases is defined and parsed in src/policy/case_file.h, so
// that `custos policy test PACK --cases DIR` measures a pack on the same files (per-category
// recall and false positives) that this folder's driver checks exactly.
#pragma once

#include "policy/case_file.h"
