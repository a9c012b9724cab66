// SPDX-License-Identifier: Apache-2.0
// From SMS Backup & Restore elements to Items: the field mapping of sms_backup_parser.h, kept
// apart from the XML driving so it reads like the format description (docs/formats/sms-backup.md).
// Thread-safety: one builder per parser.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "importers/source.h"

namespace custos::importers {

// The attributes of one element as expat passes them: name, value, name, value, ..., nullptr.
class XmlAttributes {
 public:
  explicit XmlAttributes(const char** atts) : atts_(atts) {}

  // The raw value, or std::nullopt when absent.
  std::optional<std::string_view> Raw(std::string_view name) const;
  // The value with the format's literal "null" (and absence) read as empty.
  std::string_view Value(std::string_view name) const;

 private:
  const char** atts_;
};

// The owner's side of an SMS when ImportOptions::custodian is empty.
inline constexpr std::string_view kDeviceOwner = "device-owner";

class SmsBackupBuilder {
 public:
  explicit SmsBackupBuilder(const ImportOptions& options);

  // <sms .../>: a message, or a skipped item (draft, bad date, no address).
  Item FromSms(const XmlAttributes& a, Position where) const;

  // <mms ...>: starts collecting parts and addresses.
  void BeginMms(const XmlAttributes& a, Position where);

  bool in_mms() const { return in_mms_; }

  // <part .../> inside the current MMS; a skipped item when the part is corrupt.
  std::optional<Item> AddPart(const XmlAttributes& a, const Position& where);
  // <addr .../> inside the current MMS.
  void AddAddr(const XmlAttributes& a);
  // </mms>: the finished message (or a skipped item); clears the state.
  Item EndMms();

 private:
  struct Addr {
    std::string address;
    int type = 0;
  };

  std::string owner_;
  bool in_mms_ = false;
  Position mms_where_;
  std::string mms_date_, mms_date_sent_, mms_address_, mms_box_, mms_subject_, mms_id_;
  std::vector<std::string> texts_;
  std::vector<AttachmentData> parts_;
  std::vector<Addr> addrs_;
};

// Helpers shared with the tests.
// The network's time of a received message (`date_sent`, ms or s) as Item::sender_time; 0 when
// absent, zero, or not an epoch time.
core::Micros SmsSenderTime(std::string_view date_sent);
// Java milliseconds (or seconds, for values below 1e11) to microseconds; nullopt when `text` is
// not a positive integer.
std::optional<core::Micros> SmsEpochToMicros(std::string_view text);
// Drops spaces, dashes, dots and parentheses from a phone number; other addresses (e-mail,
// "group_8@rcs.google.com") are only trimmed.
std::string NormaliseSmsAddress(std::string_view address);

}  // namespace custos::importers
