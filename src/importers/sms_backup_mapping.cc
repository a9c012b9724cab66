// SPDX-License-Identifier: Apache-2.0
#include "importers/sms_backup_mapping.h"

#include <algorithm>
#include <charconv>
#include <cstring>

#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::importers {
namespace {

constexpr std::string_view kSource = "sms-backup";
// Below this a `date` is seconds, not milliseconds (1e11 ms is 1973; 1e11 s is year 5138).
constexpr std::int64_t kSecondsBelow = 100'000'000'000;
// PDU header codes of <addr type>.
constexpr int kAddrFrom = 137;
constexpr int kAddrTo = 151;
constexpr int kAddrCc = 130;
// What the phone writes as the sender of its own MMS before the network fills it in.
constexpr std::string_view kInsertAddressToken = "insert-address-token";

enum class Box { kInbound, kOutbound, kDraft, kUnknown };

// sms@type and mms@msg_box share the codes 1 received, 2 sent, 3 draft, 4 outbox, 5 failed,
// 6 queued.
Box BoxFromCode(std::string_view code) {
  if (code == "1") {
    return Box::kInbound;
  }
  if (code == "2" || code == "4" || code == "5" || code == "6") {
    return Box::kOutbound;
  }
  if (code == "3") {
    return Box::kDraft;
  }
  return Box::kUnknown;
}

// A stable id from the element's content: the same file always gives the same ids.
std::string StableId(std::string_view kind, std::initializer_list<std::string_view> fields) {
  std::string joined;
  for (std::string_view f : fields) {
    joined.append(f).push_back('\x1f');
  }
  return std::string(kind) + ":" + core::HexEncode(crypto::Sha256(joined)).substr(0, 32);
}

std::string WithSubject(std::string_view subject, std::string body) {
  if (subject.empty()) {
    return body;
  }
  return std::string(subject) + (body.empty() ? "" : "\n") + body;
}

// The base64 of a part, with the line breaks some backups put into long values removed.
core::Result<std::string> DecodePartData(std::string_view data) {
  std::string compact;
  compact.reserve(data.size());
  for (char c : data) {
    if (c != '\n' && c != '\r' && c != ' ' && c != '\t') {
      compact.push_back(c);
    }
  }
  return crypto::Base64Decode(compact);
}

}  // namespace

std::optional<std::string_view> XmlAttributes::Raw(std::string_view name) const {
  for (const char** p = atts_; p != nullptr && p[0] != nullptr; p += 2) {
    if (name == p[0]) {
      return std::string_view(p[1]);
    }
  }
  return std::nullopt;
}

std::string_view XmlAttributes::Value(std::string_view name) const {
  const std::optional<std::string_view> v = Raw(name);
  if (!v || *v == "null") {
    return {};
  }
  return *v;
}

std::optional<core::Micros> SmsEpochToMicros(std::string_view text) {
  std::int64_t v = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || v <= 0) {
    return std::nullopt;
  }
  if (v < kSecondsBelow) {
    return v * core::kMicrosPerSecond;
  }
  if (v > INT64_MAX / 1000) {
    return std::nullopt;
  }
  return v * 1000;
}

core::Micros SmsSenderTime(std::string_view date_sent) {
  return SmsEpochToMicros(date_sent).value_or(0);
}

std::string NormaliseSmsAddress(std::string_view address) {
  const std::string_view t = core::TrimAscii(address);
  if (t.find('@') != std::string_view::npos) {
    return std::string(t);
  }
  std::string out;
  for (char c : t) {
    if (c != ' ' && c != '-' && c != '.' && c != '(' && c != ')') {
      out.push_back(c);
    }
  }
  return out;
}

SmsBackupBuilder::SmsBackupBuilder(const ImportOptions& options)
    : owner_(options.custodian.empty() ? std::string(kDeviceOwner) : options.custodian) {}

Item SmsBackupBuilder::FromSms(const XmlAttributes& a, Position where) const {
  const std::string address = NormaliseSmsAddress(a.Value("address"));
  const std::string_view date = a.Value("date");
  const std::string_view type = a.Value("type");
  const Box box = BoxFromCode(type);
  if (box == Box::kDraft) {
    return Item::Skipped(std::move(where), "draft", "an unsent draft (sms type 3)");
  }
  const std::optional<core::Micros> at = SmsEpochToMicros(date);
  if (!at) {
    return Item::Skipped(std::move(where), "invalid_date",
                         "sms: date \"" + std::string(date) + "\" is not an epoch time");
  }
  if (address.empty()) {
    return Item::Skipped(std::move(where), "missing_field", "sms: address is empty");
  }
  Item item;
  item.position = std::move(where);
  model::Message& m = item.message;
  m.source = kSource;
  m.channel = "sms";
  m.conversation = address;
  m.sent_at = *at;
  m.text = WithSubject(a.Value("subject"), std::string(a.Value("body")));
  m.source_id = StableId("sms", {date, address, type, m.text});
  const bool outbound = box == Box::kOutbound;
  m.direction = outbound ? model::Direction::kOutbound : model::Direction::kInbound;
  m.from = outbound ? owner_ : address;
  m.to = {outbound ? address : owner_};
  if (!outbound) {
    item.sender_time = SmsSenderTime(a.Value("date_sent"));
  }
  return item;
}

void SmsBackupBuilder::BeginMms(const XmlAttributes& a, Position where) {
  in_mms_ = true;
  mms_where_ = std::move(where);
  mms_date_ = a.Value("date");
  mms_date_sent_ = a.Value("date_sent");
  mms_address_ = a.Value("address");
  mms_box_ = a.Value("msg_box");
  mms_subject_ = a.Value("sub");
  mms_id_ = a.Value("m_id");
  texts_.clear();
  parts_.clear();
  addrs_.clear();
}

std::optional<Item> SmsBackupBuilder::AddPart(const XmlAttributes& a, const Position& where) {
  const std::string mime = core::ToLowerAscii(a.Value("ct"));
  if (mime == "application/smil") {
    return std::nullopt;
  }
  std::string name(a.Value("cl"));
  if (name.empty()) {
    name = a.Value("name");
  }
  if (name.empty()) {
    name = a.Value("fn");
  }
  const std::string_view data = a.Value("data");
  if (mime == "text/plain" && data.empty()) {
    texts_.emplace_back(a.Value("text"));
    return std::nullopt;
  }
  if (data.empty()) {
    parts_.push_back(MissingAttachment(name, mime));
    return std::nullopt;
  }
  core::Result<std::string> bytes = DecodePartData(data);
  if (!bytes) {
    return Item::Skipped(where, "corrupt_part",
                         "mms part \"" + name + "\" (" + mime +
                             "): data is not valid base64: " + bytes.error().message() +
                             "; the part is skipped, the rest of the message imported");
  }
  if (mime == "text/plain" && core::IsValidUtf8(*bytes)) {
    texts_.push_back(std::move(*bytes));
    return std::nullopt;
  }
  parts_.push_back(
      AttachmentFromBytes(name, mime.empty() ? MimeFromName(name) : mime, std::move(*bytes)));
  return std::nullopt;
}

void SmsBackupBuilder::AddAddr(const XmlAttributes& a) {
  int type = 0;
  const std::string_view t = a.Value("type");
  std::from_chars(t.data(), t.data() + t.size(), type);
  const std::string_view address = a.Value("address");
  addrs_.push_back(
      {address == kInsertAddressToken ? std::string(address) : NormaliseSmsAddress(address), type});
}

Item SmsBackupBuilder::EndMms() {
  in_mms_ = false;
  const Box box = BoxFromCode(mms_box_);
  if (box == Box::kDraft) {
    return Item::Skipped(std::move(mms_where_), "draft", "an unsent draft (mms msg_box 3)");
  }
  const std::optional<core::Micros> at = SmsEpochToMicros(mms_date_);
  if (!at) {
    return Item::Skipped(std::move(mms_where_), "invalid_date",
                         "mms: date \"" + mms_date_ + "\" is not an epoch time");
  }
  const bool outbound = box == Box::kOutbound;
  // The thread key: the <mms address> list ("a~b~c" for a group), sorted so order never matters.
  std::vector<std::string> members;
  for (std::string_view part : core::Split(mms_address_, '~')) {
    if (std::string n = NormaliseSmsAddress(part); !n.empty()) {
      members.push_back(std::move(n));
    }
  }
  std::sort(members.begin(), members.end());
  std::string conversation;
  for (const std::string& s : members) {
    conversation += (conversation.empty() ? "" : "~") + s;
  }
  // Participants come only from the <addr> rows.
  std::string from;
  std::vector<std::string> to;
  for (const Addr& r : addrs_) {
    std::string who = r.address == kInsertAddressToken ? owner_ : r.address;
    if (r.type == kAddrFrom && from.empty()) {
      from = std::move(who);
    } else if ((r.type == kAddrTo || r.type == kAddrCc) && !who.empty() &&
               std::find(to.begin(), to.end(), who) == to.end()) {
      to.push_back(std::move(who));
    }
  }
  if (from.empty()) {
    from = outbound ? owner_ : (members.empty() ? "" : members.front());
  }
  std::erase(to, from);
  if (conversation.empty()) {
    conversation = from;
  }
  if (from.empty()) {
    return Item::Skipped(std::move(mms_where_), "missing_field",
                         "mms: no sender (no <addr type=\"137\"> and no address)");
  }
  Item item;
  item.position = std::move(mms_where_);
  model::Message& m = item.message;
  m.source = kSource;
  m.channel = mms_address_.find("@rcs.") != std::string::npos ? "rcs" : "mms";
  m.conversation = std::move(conversation);
  m.from = std::move(from);
  m.to = std::move(to);
  m.sent_at = *at;
  m.direction = outbound ? model::Direction::kOutbound : model::Direction::kInbound;
  if (!outbound) {
    item.sender_time = SmsSenderTime(mms_date_sent_);
  }
  std::string body;
  for (const std::string& t : texts_) {
    body += (body.empty() ? "" : "\n") + t;
  }
  m.text = WithSubject(mms_subject_, std::move(body));
  std::string hashes;
  for (AttachmentData& p : parts_) {
    hashes += p.meta.sha256 + p.meta.name;
    m.attachments.push_back(p.meta);
  }
  m.source_id = StableId("mms", {mms_date_, m.conversation, mms_box_, mms_id_, m.text, hashes});
  item.attachments = std::move(parts_);
  parts_.clear();
  return item;
}

}  // namespace custos::importers
