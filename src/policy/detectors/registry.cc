// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/registry.h"

#include <algorithm>

#include "policy/detectors/crypto_wallet.h"
#include "policy/detectors/date_of_birth.h"
#include "policy/detectors/email.h"
#include "policy/detectors/iban.h"
#include "policy/detectors/ip_address.h"
#include "policy/detectors/payment_card.h"
#include "policy/detectors/phone_number.h"
#include "policy/detectors/secrets.h"
#include "policy/detectors/uk_nino.h"
#include "policy/detectors/us_ssn.h"

namespace custos::policy {

const std::vector<const Detector*>& BuiltinDetectors() {
  static const std::vector<const Detector*>* const detectors = new std::vector<const Detector*>{
      &PaymentCardDetector(),      // payment_card
      &IbanDetector(),             // iban
      &UsSsnDetector(),            // us_ssn
      &UkNinoDetector(),           // uk_nino
      &EmailDetector(),            // email
      &PhoneNumberDetector(),      // phone_number
      &Ipv4Detector(),             // ipv4
      &Ipv6Detector(),             // ipv6
      &BitcoinAddressDetector(),   // bitcoin_address
      &EthereumAddressDetector(),  // ethereum_address
      &PrivateKeyDetector(),       // private_key
      &AwsAccessKeyIdDetector(),   // aws_access_key_id
      &GithubTokenDetector(),      // github_token
      &SlackTokenDetector(),       // slack_token
      &DateOfBirthDetector(),      // date_of_birth
  };
  return *detectors;
}

const Detector* FindBuiltinDetector(std::string_view name) {
  for (const Detector* detector : BuiltinDetectors()) {
    if (detector->Name() == name) {
      return detector;
    }
  }
  return nullptr;
}

std::vector<DetectorHit> ScanAll(const std::vector<const Detector*>& detectors,
                                 std::string_view text) {
  std::vector<DetectorHit> hits;
  for (const Detector* detector : detectors) {
    std::vector<DetectorHit> found = detector->Scan(text);
    hits.insert(hits.end(), std::make_move_iterator(found.begin()),
                std::make_move_iterator(found.end()));
  }
  std::stable_sort(hits.begin(), hits.end(),
                   [](const DetectorHit& a, const DetectorHit& b) { return a.begin < b.begin; });
  return hits;
}

}  // namespace custos::policy
