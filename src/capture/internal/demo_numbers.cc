// SPDX-License-Identifier: Apache-2.0
#include "capture/internal/demo_numbers.h"

#include <array>
#include <cstddef>
#include <string>

namespace custos::capture::internal {
namespace {

constexpr std::array<std::string_view, 4> kTestBins = {"411111", "401288", "555555", "510510"};

struct IbanCountry {
  std::string_view code;
  int letters;  // leading bank-code letters of the BBAN
  int digits;   // digits after them
};

constexpr std::array<IbanCountry, 4> kIbanCountries = {{
    {"DE", 0, 18},  // 8-digit bank code + 10-digit account
    {"GB", 4, 14},  // bank letters + 6-digit sort code + 8-digit account
    {"NL", 4, 10},  // bank letters + 10-digit account
    {"CH", 0, 17},  // 5-digit bank code + 12-digit account
}};

constexpr std::array<std::string_view, 6> kBankLetters = {"NWBK", "BARC", "MIDL",
                                                          "ABNA", "INGB", "RABO"};

// The remainder mod 97 of the number formed by `s` with letters as 10..35.
int Mod97(std::string_view s) {
  int rem = 0;
  for (char c : s) {
    if (c >= '0' && c <= '9') {
      rem = (rem * 10 + (c - '0')) % 97;
    } else if (c >= 'A' && c <= 'Z') {
      rem = (rem * 100 + (c - 'A' + 10)) % 97;
    }
  }
  return rem;
}

char LuhnCheckDigit(std::string_view payload) {
  int sum = 0;
  bool twice = true;  // the rightmost payload digit is doubled
  for (auto it = payload.rbegin(); it != payload.rend(); ++it) {
    int d = *it - '0';
    if (twice) {
      d *= 2;
      if (d > 9) {
        d -= 9;
      }
    }
    sum += d;
    twice = !twice;
  }
  return static_cast<char>('0' + (10 - sum % 10) % 10);
}

std::string Digits(DemoRng& rng, int n) {
  std::string s;
  for (int i = 0; i < n; ++i) {
    s.push_back(static_cast<char>('0' + rng.Below(10)));
  }
  return s;
}

}  // namespace

bool LuhnValid(std::string_view number) {
  std::string digits;
  for (char c : number) {
    if (c >= '0' && c <= '9') {
      digits.push_back(c);
    } else if (c != ' ' && c != '-') {
      return false;
    }
  }
  if (digits.size() < 12) {
    return false;
  }
  return LuhnCheckDigit(std::string_view(digits).substr(0, digits.size() - 1)) == digits.back();
}

bool IbanValid(std::string_view iban) {
  std::string compact;
  for (char c : iban) {
    if (c != ' ') {
      compact.push_back(c);
    }
  }
  if (compact.size() < 15) {
    return false;
  }
  return Mod97(compact.substr(4) + compact.substr(0, 4)) == 1;
}

std::string TestCardNumber(DemoRng& rng) {
  std::string payload = std::string(rng.Pick(kTestBins)) + Digits(rng, 9);
  const std::string number = payload + LuhnCheckDigit(payload);
  const std::size_t style = rng.Below(3);
  if (style == 0) {
    return number;
  }
  const char sep = style == 1 ? ' ' : '-';
  std::string out;
  for (std::size_t i = 0; i < number.size(); ++i) {
    if (i > 0 && i % 4 == 0) {
      out.push_back(sep);
    }
    out.push_back(number[i]);
  }
  return out;
}

std::string TestIban(DemoRng& rng) {
  const IbanCountry& country = rng.Pick(kIbanCountries);
  std::string bban = country.letters > 0 ? std::string(rng.Pick(kBankLetters)) : "";
  bban += Digits(rng, country.digits);
  const int check = 98 - Mod97(bban + std::string(country.code) + "00");
  std::string iban = std::string(country.code) + static_cast<char>('0' + check / 10) +
                     static_cast<char>('0' + check % 10) + bban;
  if (rng.Below(2) == 0) {
    return iban;
  }
  std::string grouped;
  for (std::size_t i = 0; i < iban.size(); ++i) {
    if (i > 0 && i % 4 == 0) {
      grouped.push_back(' ');
    }
    grouped.push_back(iban[i]);
  }
  return grouped;
}

}  // namespace custos::capture::internal
