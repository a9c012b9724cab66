// SPDX-License-Identifier: Apache-2.0
// `custos import sms-backup PATH`: SMS Backup & Restore (SyncTech) XML backups — one .xml file,
// or a directory / zip holding several (each <smses> file in name order). Format and mapping:
// docs/formats/sms-backup.md; the parser itself: sms_backup_parser.h.
// Thread-safety: the Format is immutable.
#pragma once

#include "importers/registry.h"

namespace custos::importers {

const Format& SmsBackupFormat();

}  // namespace custos::importers
