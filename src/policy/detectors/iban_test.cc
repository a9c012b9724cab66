// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/iban.h"

#include <array>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::policy {
namespace {

// The example IBAN of each country in the SWIFT IBAN registry (print format).
constexpr std::array<std::string_view, 80> kRegistryExamples = {
    "AD12 0001 2030 2003 5910 0100",
    "AE07 0331 2345 6789 0123 456",
    "AL47 2121 1009 0000 0002 3569 8741",
    "AT61 1904 3002 3457 3201",
    "AZ21 NABZ 0000 0000 1370 1000 1944",
    "BA39 1290 0794 0102 8494",
    "BE68 5390 0754 7034",
    "BG80 BNBG 9661 1020 3456 78",
    "BH67 BMAG 0000 1299 1234 56",
    "BI42 1000 0100 0100 0033 2045 181",
    "BR18 0036 0305 0000 1000 9795 493C 1",
    "BY13 NBRB 3600 9000 0000 2Z00 AB00",
    "CH93 0076 2011 6238 5295 7",
    "CR05 0152 0200 1026 2840 66",
    "CY17 0020 0128 0000 0012 0052 7600",
    "CZ65 0800 0000 1920 0014 5399",
    "DE89 3704 0044 0532 0130 00",
    "DK50 0040 0440 1162 43",
    "DO28 BAGR 0000 0001 2124 5361 1324",
    "EE38 2200 2210 2014 5685",
    "EG38 0019 0005 0000 0000 2631 8000 2",
    "ES91 2100 0418 4502 0005 1332",
    "FI21 1234 5600 0007 85",
    "FO62 6460 0001 6316 34",
    "FR14 2004 1010 0505 0001 3M02 606",
    "GB29 NWBK 6016 1331 9268 19",
    "GE29 NB00 0000 0101 9049 17",
    "GI75 NWBK 0000 0000 7099 453",
    "GL89 6471 0001 0002 06",
    "GR16 0110 1250 0000 0001 2300 695",
    "GT82 TRAJ 0102 0000 0012 1002 9690",
    "HR12 1001 0051 8630 0016 0",
    "HU42 1177 3016 1111 1018 0000 0000",
    "IE29 AIBK 9311 5212 3456 78",
    "IL62 0108 0000 0009 9999 999",
    "IQ98 NBIQ 8501 2345 6789 012",
    "IS14 0159 2600 7654 5510 7303 39",
    "IT60 X054 2811 1010 0000 0123 456",
    "JO94 CBJO 0010 0000 0000 0131 0003 02",
    "KW81 CBKU 0000 0000 0000 1234 5601 01",
    "KZ86 125K ZT50 0410 0100",
    "LB62 0999 0000 0001 0019 0122 9114",
    "LC55 HEMM 0001 0001 0012 0012 0002 3015",
    "LI21 0881 0000 2324 013A A",
    "LT12 1000 0111 0100 1000",
    "LU28 0019 4006 4475 0000",
    "LV80 BANK 0000 4351 9500 1",
    "LY83 0020 4800 0020 1001 2036 1",
    "MC58 1122 2000 0101 2345 6789 030",
    "MD24 AG00 0225 1000 1310 4168",
    "ME25 5050 0001 2345 6789 51",
    "MK07 2501 2000 0058 984",
    "MR13 0002 0001 0100 0012 3456 753",
    "MT84 MALT 0110 0001 2345 MTLC AST0 01S",
    "MU17 BOMM 0101 1010 3030 0200 000M UR",
    "NL91 ABNA 0417 1643 00",
    "NO93 8601 1117 947",
    "PK36 SCBL 0000 0011 2345 6702",
    "PL61 1090 1014 0000 0712 1981 2874",
    "PS92 PALS 0000 0000 0400 1234 5670 2",
    "PT50 0002 0123 1234 5678 9015 4",
    "QA58 DOHB 0000 1234 5678 90AB CDEF G",
    "RO49 AAAA 1B31 0075 9384 0000",
    "RS35 2600 0560 1001 6113 79",
    "SA03 8000 0000 6080 1016 7519",
    "SC18 SSCB 1101 0000 0000 0000 1497 USD",
    "SD21 2901 0501 2340 01",
    "SE45 5000 0000 0583 9825 7466",
    "SI56 2633 0001 2039 086",
    "SK31 1200 0000 1987 4263 7541",
    "SM86 U032 2509 8000 0000 0270 100",
    "ST23 0001 0001 0051 8453 1014 6",
    "SV62 CENR 0000 0000 0000 0070 0025",
    "TL38 0080 0123 4567 8910 157",
    "TN59 1000 6035 1835 9847 8831",
    "TR33 0006 1005 1978 6457 8413 26",
    "UA21 3223 1300 0002 6007 2335 6600 1",
    "VA59 0011 2300 0012 3456 78",
    "VG96 VPVG 0000 0123 4567 8901",
    "XK05 1212 0123 4567 8906",
};

// Countries without an example above; check digits computed for a BBAN of the right length.
constexpr std::array<std::string_view, 9> kComputedExamples = {
    "DJ2100010000000154000100186",       "FK88SC123456789012",
    "HN88CABF00000000000250005469",      "MN121234123456789123",
    "NI45BAPR00000013000003558124",      "OM810180000001299123456",
    "RU0204452560040702810412345678901", "SO211000001001000100141",
    "YE09CBKU0000000000001234560101",
};

std::vector<DetectorHit> Scan(std::string_view text) { return IbanDetector().Scan(text); }

std::string OnlyMatch(std::string_view text) {
  const auto hits = Scan(text);
  if (hits.size() != 1) {
    return "";
  }
  return std::string(text.substr(hits[0].begin, hits[0].end - hits[0].begin));
}

std::string Compact(std::string_view iban) {
  std::string out;
  for (char c : iban) {
    if (c != ' ') {
      out.push_back(c);
    }
  }
  return out;
}

TEST(IbanValid, AcceptsTheRegistryExampleOfEveryCountry) {
  for (std::string_view iban : kRegistryExamples) {
    EXPECT_TRUE(IbanValid(iban)) << iban;
    EXPECT_TRUE(IbanValid(Compact(iban))) << iban;
    EXPECT_EQ(IbanLengthForCountry(iban.substr(0, 2)), static_cast<int>(Compact(iban).size()));
  }
  for (std::string_view iban : kComputedExamples) {
    EXPECT_TRUE(IbanValid(iban)) << iban;
  }
}

TEST(IbanValid, AcceptsWellKnownTestNumbers) {
  EXPECT_TRUE(IbanValid("GB82 WEST 1234 5698 7654 32"));
  EXPECT_TRUE(IbanValid("DE89 3704 0044 0532 0130 00"));
  EXPECT_TRUE(IbanValid("gb82west12345698765432"));
}

TEST(IbanValid, RejectsWrongCheckDigitsLengthsAndCountries) {
  EXPECT_FALSE(IbanValid("GB82 WEST 1234 5698 7654 33"));
  EXPECT_FALSE(IbanValid("GB28 WEST 1234 5698 7654 32"));
  EXPECT_FALSE(IbanValid("DE89 3704 0044 0532 0130 0"));
  EXPECT_FALSE(IbanValid("DE89 3704 0044 0532 0130 000"));
  EXPECT_FALSE(IbanValid("XX89 3704 0044 0532 0130 00"));
  EXPECT_FALSE(IbanValid("US64 SVBK US6S 3300 9673 8637"));
  EXPECT_FALSE(IbanValid("GB82-WEST-1234-5698-7654-32"));
  EXPECT_FALSE(IbanValid(""));
  EXPECT_EQ(IbanLengthForCountry("ZZ"), 0);
  EXPECT_EQ(IbanLengthForCountry("NO"), 15);
  EXPECT_EQ(IbanLengthForCountry("RU"), 33);
}

TEST(IbanValid, RejectsCheckDigitsOutsideTwoToNinetyEight) {
  // "GB00..." and "GB99..." cannot come out of the check-digit computation.
  EXPECT_FALSE(IbanValid("GB00 WEST 1234 5698 7654 32"));
  EXPECT_FALSE(IbanValid("GB99 WEST 1234 5698 7654 32"));
}

TEST(IbanMod97, ComputesTheRemainderPiecewise) {
  EXPECT_EQ(IbanMod97("GB82WEST12345698765432"), 1);
  EXPECT_EQ(IbanMod97("GB83WEST12345698765432"), 2);
  EXPECT_EQ(IbanMod97("GB82 WEST"), -1);
  EXPECT_EQ(IbanMod97("GB8"), -1);
}

TEST(IbanDetector, FindsGroupedAndUnbrokenFormsInText) {
  EXPECT_EQ(OnlyMatch("IBAN: GB82 WEST 1234 5698 7654 32, thanks"), "GB82 WEST 1234 5698 7654 32");
  EXPECT_EQ(OnlyMatch("send to DE89370400440532013000."), "DE89370400440532013000");
  EXPECT_EQ(OnlyMatch("(NO93 8601 1117 947)"), "NO93 8601 1117 947");
  EXPECT_EQ(OnlyMatch("konto\nDE89 3704 0044 0532 0130 00\nbis morgen"),
            "DE89 3704 0044 0532 0130 00");
  EXPECT_EQ(OnlyMatch("lower gb82 west 1234 5698 7654 32"), "gb82 west 1234 5698 7654 32");
}

TEST(IbanDetector, StopsAtTheCountryLengthWhenMoreGroupsFollow) {
  EXPECT_EQ(OnlyMatch("DE89 3704 0044 0532 0130 00 12"), "DE89 3704 0044 0532 0130 00");
  EXPECT_EQ(OnlyMatch("NO93 8601 1117 947 and more"), "NO93 8601 1117 947");
}

TEST(IbanDetector, RejectsBadChecksumsBrokenGroupsAndNumbersInsideWords) {
  EXPECT_TRUE(Scan("GB82 WEST 1234 5698 7654 33").empty());
  EXPECT_TRUE(Scan("XGB82WEST12345698765432").empty());
  EXPECT_TRUE(Scan("GB82WEST12345698765432X").empty());
  EXPECT_TRUE(Scan("GB82WEST123456987654321").empty());
  EXPECT_TRUE(Scan("GB82  WEST 1234 5698 7654 32").empty());
  EXPECT_TRUE(Scan("GB82 WEST\n1234 5698 7654 32").empty());
  EXPECT_TRUE(Scan("GB82 WEST 1234 5698 7654 321").empty());
  EXPECT_TRUE(Scan("GB82 WEST 12345 698 7654 32").empty());
}

TEST(IbanDetector, ConfidenceIsHighOnlyWithASupportingWord) {
  const auto alone = Scan("GB82 WEST 1234 5698 7654 32");
  ASSERT_EQ(alone.size(), 1u);
  EXPECT_EQ(alone[0].confidence, Confidence::kMedium);
  EXPECT_EQ(alone[0].masked_text, "**** **** **** **** **54 32");
  const auto with_word = Scan("Bitte an meine Bankverbindung DE89 3704 0044 0532 0130 00");
  ASSERT_EQ(with_word.size(), 1u);
  EXPECT_EQ(with_word[0].confidence, Confidence::kHigh);
  EXPECT_EQ(with_word[0].detector, "iban");
}

TEST(IbanDetector, FindsEveryRegistryExampleInASentence) {
  for (std::string_view iban : kRegistryExamples) {
    const std::string text = "pay to " + std::string(iban) + " today";
    EXPECT_EQ(OnlyMatch(text), iban);
    const std::string compact = "pay to " + Compact(iban) + " today";
    EXPECT_EQ(OnlyMatch(compact), Compact(iban));
  }
}

}  // namespace
}  // namespace custos::policy
