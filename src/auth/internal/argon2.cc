// SPDX-License-Identifier: Apache-2.0
#include "auth/internal/argon2.h"

#include <cstdint>
#include <string>

#include <argon2.h>

namespace custos::auth::internal {
namespace {

// libargon2 takes non-const pointers for inputs it only reads.
std::uint8_t* Input(std::string_view bytes) {
  // NOLINTNEXTLINE(cppcoreguidelines-pro-type-const-cast): read-only inputs in a C API.
  return reinterpret_cast<std::uint8_t*>(const_cast<char*>(bytes.data()));
}

std::uint32_t Length(std::string_view bytes) { return static_cast<std::uint32_t>(bytes.size()); }

}  // namespace

core::Status CheckArgon2Params(const Argon2Params& params) {
  if (params.parallelism < 1 || params.parallelism > kMaxArgon2Parallelism) {
    return core::InvalidArgument("argon2 p (parallelism): must be 1 to " +
                                 std::to_string(kMaxArgon2Parallelism));
  }
  if (params.iterations < 1 || params.iterations > kMaxArgon2Iterations) {
    return core::InvalidArgument("argon2 t (iterations): must be 1 to " +
                                 std::to_string(kMaxArgon2Iterations));
  }
  if (params.memory_kib < 8 * params.parallelism || params.memory_kib > kMaxArgon2MemoryKib) {
    return core::InvalidArgument("argon2 m (memory KiB): must be 8 * p to " +
                                 std::to_string(kMaxArgon2MemoryKib));
  }
  return core::Status::Ok();
}

core::Result<std::string> Argon2id(const Argon2idInput& input) {
  RETURN_IF_ERROR(CheckArgon2Params(input.params));
  if (input.password.size() > kMaxPasswordBytes) {
    return core::InvalidArgument("password: longer than " + std::to_string(kMaxPasswordBytes) +
                                 " bytes");
  }
  if (input.salt.size() < kMinArgon2SaltBytes || input.salt.size() > kMaxArgon2SaltBytes ||
      input.tag_bytes < ARGON2_MIN_OUTLEN || input.tag_bytes > kMaxArgon2HashBytes ||
      input.secret.size() > kMaxArgon2SaltBytes || input.associated_data.size() > 1024) {
    return core::InvalidArgument("argon2: salt, tag, secret or associated data size out of range");
  }
  std::string tag(input.tag_bytes, '\0');
  argon2_context context{};
  context.out = reinterpret_cast<std::uint8_t*>(tag.data());
  context.outlen = static_cast<std::uint32_t>(tag.size());
  context.pwd = Input(input.password);
  context.pwdlen = Length(input.password);
  context.salt = Input(input.salt);
  context.saltlen = Length(input.salt);
  context.secret = input.secret.empty() ? nullptr : Input(input.secret);
  context.secretlen = Length(input.secret);
  context.ad = input.associated_data.empty() ? nullptr : Input(input.associated_data);
  context.adlen = Length(input.associated_data);
  context.t_cost = input.params.iterations;
  context.m_cost = input.params.memory_kib;
  context.lanes = input.params.parallelism;
  context.threads = input.params.parallelism;
  context.version = ARGON2_VERSION_13;
  context.flags = ARGON2_DEFAULT_FLAGS;
  const int rc = argon2_ctx(&context, Argon2_id);
  if (rc != ARGON2_OK) {
    return core::Internal(std::string("argon2: ") + argon2_error_message(rc));
  }
  return tag;
}

}  // namespace custos::auth::internal
