// SPDX-License-Identifier: Apache-2.0
// The streaming parser of one SMS Backup & Restore XML file (docs/formats/sms-backup.md).
//
// Bytes are pulled from a ByteStream in 64 KiB chunks, passed through SurrogateEntityFilter
// (sms_backup_entities.h) and pushed into expat (SAX). Each finished <sms> or <mms> element
// becomes one Item; what a chunk produces is queued until Next() hands it out, so memory is
// bounded by one chunk plus one message (expat holds one start tag, i.e. one <part> with its
// base64 `data`, at a time; the decoded parts of the current MMS are the only bytes kept).
//
// Mapping: <sms type> 1 = inbound, 2/4/5/6 = outbound, 3 (draft) is skipped with kind "draft";
// <mms msg_box> the same codes. `date` is Java milliseconds (values below 1e11 are taken as
// seconds). Participants of an MMS come only from its <addr> rows (137 = from, 151 = to,
// 130 = cc); the custodian (ImportOptions::custodian, else "device-owner") is the other side
// of every SMS. Text parts are joined with "\n"; SMIL parts are dropped; a part whose base64
// does not decode is skipped with kind "corrupt_part" and the rest of its message imports.
// A lone surrogate reference becomes U+FFFD and is reported as a "lone_surrogate" skip.
// Errors that end the stream (not well-formed XML, truncation, wrong root element) start with
// "file:line:column".
//
// Thread-safety: one thread at a time (Source contract).
#pragma once

#include <memory>
#include <string>

#include "importers/bundle.h"
#include "importers/source.h"

namespace custos::importers {

// Parses the XML read from `in`. `file` names it in positions; `total` is its size in bytes
// (-1 when unknown). `options.custodian` is the owner's number when given.
std::unique_ptr<Source> NewSmsBackupParser(std::unique_ptr<ByteStream> in, std::string file,
                                           std::int64_t total, const ImportOptions& options);

}  // namespace custos::importers
