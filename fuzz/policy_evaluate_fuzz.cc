// SPDX-License-Identifier: Apache-2.0
// Pack::Evaluate of the default pack (assembled, with the npm lexicon) on arbitrary message
// text: invalid UTF-8, control characters, huge inputs. The first byte picks the direction
// and channel; an input starting with 0xFF is repeated to 10 MB to keep large messages covered.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <memory>
#include <string>

#include "policy/policy.h"

namespace {

const custos::policy::Pack& DefaultPack() {
  static const custos::policy::LoadResult loaded =
      custos::policy::LoadPack(CUSTOS_DEFAULT_PACK_DIR);
  if (!loaded.ok()) {
    std::abort();  // the default pack must load; its own tests say why when it does not
  }
  return *loaded.pack;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const custos::policy::Pack& pack = DefaultPack();
  custos::policy::Facts facts;
  if (size > 0) {
    facts.direction = (data[0] & 1) != 0 ? custos::model::Direction::kInbound
                                         : custos::model::Direction::kOutbound;
    facts.channel = (data[0] & 2) != 0 ? "sms" : "whatsapp";
  }
  facts.text.assign(reinterpret_cast<const char*>(data), size);
  if (size > 1 && data[0] == 0xFF) {
    constexpr std::size_t kTenMegabytes = 10u << 20;
    const std::string unit = facts.text.substr(1);
    facts.text.clear();
    while (facts.text.size() < kTenMegabytes) {
      facts.text += unit;
    }
  }
  const custos::policy::Verdict verdict = pack.Evaluate(facts);
  (void)verdict.ToJson();
  return 0;
}
