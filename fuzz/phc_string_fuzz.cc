// SPDX-License-Identifier: Apache-2.0
// libFuzzer: the Argon2id PHC-string parser (auth::ParsePhcString) every stored password hash
// goes through before libargon2 sees it. Whatever it accepts must be within the limits of
// auth/password.h and format back to the same string; small accepted parameters are also run
// through VerifyPassword (larger ones would only measure libargon2).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "auth/password.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace auth = custos::auth;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = auth::ParsePhcString(text);
  if (!parsed.has_value()) {
    return 0;
  }
  const auth::Argon2Params& p = parsed->params;
  if (p.memory_kib > auth::kMaxArgon2MemoryKib || p.iterations > auth::kMaxArgon2Iterations ||
      p.parallelism > auth::kMaxArgon2Parallelism || p.memory_kib < 8 * p.parallelism ||
      parsed->salt.size() > auth::kMaxArgon2SaltBytes ||
      parsed->hash.size() > auth::kMaxArgon2HashBytes || auth::FormatPhcString(*parsed) != text) {
    std::abort();
  }
  if (p.memory_kib <= 256 && p.iterations <= 2 && p.parallelism <= 2) {
    auto ok = auth::VerifyPassword("fuzz", text);
    if (!ok.has_value()) {
      std::abort();  // a string the parser accepted must be verifiable
    }
  }
  return 0;
}
