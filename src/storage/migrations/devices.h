// SPDX-License-Identifier: Apache-2.0
// The schema migrations owned by devices (devices/): devices, enrollment, commands and device
// events. Each is registered in the global order by storage/migrations.cc (which says how to add
// one); their numbers, names and SQL text never change once shipped.
//
// Thread-safety: constants, initialised before any code runs.
#pragma once

#include "storage/migrations.h"

namespace custos::storage::migrations::devices {

extern const Migration kDevices;           // 5
extern const Migration kSealedDeviceData;  // 7

}  // namespace custos::storage::migrations::devices
