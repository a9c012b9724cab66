// SPDX-License-Identifier: Apache-2.0
#include "capture/internal/demo_cast.h"

#include <array>
#include <string>

namespace custos::capture::internal {
namespace {

constexpr std::string_view kFirmDomain = "northbridge.example";

struct EmployeeRow {
  std::string_view name;
  std::string_view desk;
};

constexpr std::array<EmployeeRow, 12> kEmployees = {{
    {"Amelia Hart", "sales"},
    {"Jonas Weber", "sales"},
    {"Priya Raman", "sales"},
    {"Lucas Moreau", "sales"},
    {"Daniel Okafor", "trading"},
    {"Sofia Marchetti", "trading"},
    {"Tomás Alvarez", "trading"},
    {"Hannah Lindqvist", "trading"},
    {"Charlotte Bennett", "advisory"},
    {"Isabel Costa", "advisory"},
    {"Kenji Watanabe", "advisory"},
    {"Grace O'Neill", "advisory"},
}};

struct ClientRow {
  std::string_view name;
  std::string_view company;  // "" for a private client
  Lang lang;
  std::string_view channel;  // where the coverage conversation happens
  std::size_t coverage;      // index of the covering employee
  std::string_view second;   // a second channel with the same employee, or ""
  bool us_number;
};

constexpr std::array<ClientRow, 20> kClients = {{
    {"Markus Brandt", "Brandt Maschinenbau GmbH", Lang::kGerman, "whatsapp", 1, "sms", false},
    {"Elena Vogel", "Vogel Family Office", Lang::kGerman, "telegram", 9, "", false},
    {"Friedrich Albers", "Albers & Söhne KG", Lang::kGerman, "whatsapp", 5, "", false},
    {"Camille Laurent", "Laurent Capital SAS", Lang::kFrench, "whatsapp", 3, "telegram", false},
    {"Julien Fabre", "", Lang::kFrench, "sms", 8, "", false},
    {"Amélie Rousseau", "Rousseau Immobilier", Lang::kFrench, "whatsapp", 10, "", false},
    {"Javier Morales", "Morales Logística SL", Lang::kSpanish, "whatsapp", 6, "sms", false},
    {"Lucía Ortega", "", Lang::kSpanish, "telegram", 2, "", false},
    {"Giulia Conti", "Conti Tessuti SpA", Lang::kItalian, "whatsapp", 5, "", false},
    {"Paolo Bianchi", "", Lang::kItalian, "sms", 11, "", false},
    {"João Ferreira", "Ferreira Vinhos Lda", Lang::kPortuguese, "whatsapp", 9, "", false},
    {"Beatriz Almeida", "", Lang::kPortuguese, "telegram", 9, "", false},
    {"Oliver Grant", "Grant Holdings Ltd", Lang::kEnglish, "whatsapp", 0, "sms", false},
    {"Emily Shaw", "", Lang::kEnglish, "sms", 8, "", true},
    {"Ravi Patel", "Patel Pharma Ltd", Lang::kEnglish, "whatsapp", 4, "telegram", false},
    {"Sarah Kim", "Kestrel Asset Management", Lang::kEnglish, "slack", 7, "", true},
    {"Michael Doyle", "", Lang::kEnglish, "whatsapp", 11, "", true},
    {"Chloe Evans", "Evans Architects", Lang::kEnglish, "sms", 2, "", false},
    {"Nathan Brooks", "Brooks Energy Partners", Lang::kEnglish, "telegram", 4, "", true},
    {"Aisha Rahman", "", Lang::kEnglish, "whatsapp", 10, "sms", false},
}};

constexpr std::size_t kFirstClient = kEmployees.size();

struct GroupRow {
  std::string_view channel;
  std::array<std::size_t, 4> members;  // cast indices; kNone ends the list
  int min_sessions;
  int max_sessions;
};

constexpr std::size_t kNone = ~std::size_t{0};

// Client groups (employees first, then clients), internal Slack channels and direct messages.
constexpr std::array<GroupRow, 14> kGroups = {{
    {"whatsapp", {1, 5, kFirstClient + 0, kNone}, 5, 8},
    {"whatsapp", {3, 8, kFirstClient + 3, kNone}, 5, 8},
    {"whatsapp", {0, 4, kFirstClient + 12, kNone}, 5, 8},
    {"telegram", {9, kFirstClient + 10, kFirstClient + 11, kNone}, 5, 8},
    {"telegram", {4, 7, kFirstClient + 18, kNone}, 4, 7},
    {"slack", {7, 6, kFirstClient + 15, kNone}, 5, 8},
    {"slack", {0, 1, 2, 3}, 18, 26},
    {"slack", {4, 5, 6, 7}, 20, 28},
    {"slack", {8, 9, 10, 11}, 16, 22},
    {"slack", {0, 4, kNone, kNone}, 5, 8},
    {"slack", {5, 9, kNone, kNone}, 5, 8},
    {"slack", {3, 8, kNone, kNone}, 4, 7},
    {"slack", {2, 10, kNone, kNone}, 4, 7},
    {"whatsapp", {1, 6, kNone, kNone}, 3, 5},
}};

// "Tomás Alvarez" -> "tomas.alvarez"; folds the few accented letters the cast uses.
std::string EmailLocalPart(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, char>, 6> kFold = {
      {{"á", 'a'}, {"é", 'e'}, {"í", 'i'}, {"ã", 'a'}, {"ö", 'o'}, {"ç", 'c'}}};
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    bool folded = false;
    for (const auto& [from, to] : kFold) {
      if (name.substr(i, from.size()) == from) {
        out.push_back(to);
        i += from.size();
        folded = true;
        break;
      }
    }
    if (folded) {
      continue;
    }
    const char c = name[i++];
    if (c == ' ') {
      out.push_back('.');
    } else if (c >= 'A' && c <= 'Z') {
      out.push_back(static_cast<char>(c - 'A' + 'a'));
    } else if (c >= 'a' && c <= 'z') {
      out.push_back(c);
    }
  }
  return out;
}

std::string CompanyDomain(std::string_view company) {
  const std::string local = EmailLocalPart(company.substr(0, company.find(' ')));
  return local + ".example";
}

std::string TwoDigits(std::size_t n) {
  return std::string(1, static_cast<char>('0' + n / 10 % 10)) + static_cast<char>('0' + n % 10);
}

std::string RandomId(DemoRng& rng, std::string_view prefix, int length) {
  static constexpr std::string_view kAlphabet = "0123456789ABCDEFGHJKLMNPQRSTUVWXYZ";
  std::string id(prefix);
  for (int i = 0; i < length; ++i) {
    id.push_back(kAlphabet[rng.Below(kAlphabet.size())]);
  }
  return id;
}

std::string RandomDigits(DemoRng& rng, std::string_view prefix, int length) {
  std::string id(prefix);
  for (int i = 0; i < length; ++i) {
    id.push_back(static_cast<char>('0' + rng.Below(10)));
  }
  return id;
}

std::string Digits(std::string_view phone) { return std::string(phone.substr(1)); }

}  // namespace

const std::string& HandleOn(const CastMember& person, std::string_view channel) {
  if (channel == "slack") {
    return person.slack;
  }
  if (channel == "telegram") {
    return person.telegram;
  }
  return person.phone;
}

Cast BuildCast(DemoRng& rng) {
  Cast cast;
  for (std::size_t i = 0; i < kEmployees.size(); ++i) {
    CastMember m;
    m.name = kEmployees[i].name;
    m.desk = kEmployees[i].desk;
    m.employee = true;
    m.phone = "+4477009001" + TwoDigits(i);
    m.personal_phone = "+4477009009" + TwoDigits(i);
    m.email = EmailLocalPart(m.name) + "@" + std::string(kFirmDomain);
    m.slack = RandomId(rng, "U0", 9);
    m.telegram = RandomDigits(rng, "5", 8);
    cast.people.push_back(std::move(m));
  }
  for (std::size_t i = 0; i < kClients.size(); ++i) {
    const ClientRow& row = kClients[i];
    CastMember m;
    m.name = row.name;
    m.company = row.company;
    m.lang = row.lang;
    m.phone = row.us_number ? "+12025550" + std::to_string(120 + i) : "+4477009005" + TwoDigits(i);
    m.email = EmailLocalPart(m.name) + "@" +
              (row.company.empty() ? std::string("mail.example") : CompanyDomain(row.company));
    m.slack = RandomId(rng, "U0", 9);
    m.telegram = RandomDigits(rng, "6", 8);
    cast.people.push_back(std::move(m));
  }

  auto direct = [&](std::string_view channel, std::size_t employee, std::size_t client,
                    int sessions) {
    DemoConversation c;
    c.channel = channel;
    c.members = {employee, client};
    c.lang = cast.people[client].lang;
    c.sessions = sessions;
    const CastMember& who = cast.people[client];
    if (channel == "whatsapp") {
      c.key = Digits(who.phone) + "@s.whatsapp.net";
    } else if (channel == "sms") {
      c.key = cast.people[employee].phone + ":" + who.phone;
    } else if (channel == "telegram") {
      c.key = who.telegram;
    } else {
      c.key = RandomId(rng, "D0", 9);
    }
    cast.conversations.push_back(std::move(c));
  };
  for (std::size_t i = 0; i < kClients.size(); ++i) {
    const ClientRow& row = kClients[i];
    direct(row.channel, row.coverage, kFirstClient + i, static_cast<int>(rng.Between(6, 10)));
    if (!row.second.empty()) {
      direct(row.second, row.coverage, kFirstClient + i, static_cast<int>(rng.Between(2, 4)));
    }
  }
  for (const GroupRow& row : kGroups) {
    DemoConversation c;
    c.channel = row.channel;
    for (std::size_t m : row.members) {
      if (m != kNone) {
        c.members.push_back(m);
      }
    }
    c.internal = true;
    for (std::size_t m : c.members) {
      if (!cast.people[m].employee) {
        c.internal = false;
        c.lang = cast.people[m].lang;
      }
    }
    c.group = c.members.size() > 2;
    c.sessions = static_cast<int>(rng.Between(row.min_sessions, row.max_sessions));
    if (row.channel == "whatsapp") {
      c.key = c.group ? RandomDigits(rng, "120363", 12) + "@g.us"
                      : Digits(cast.people[c.members[1]].phone) + "@s.whatsapp.net";
    } else if (row.channel == "telegram") {
      c.key = RandomDigits(rng, "-100", 10);
    } else {
      c.key = RandomId(rng, c.group ? "C0" : "D0", 9);
    }
    cast.conversations.push_back(std::move(c));
  }
  return cast;
}

}  // namespace custos::capture::internal
