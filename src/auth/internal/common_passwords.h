// SPDX-License-Identifier: Apache-2.0
// The text of src/auth/common_passwords.txt, embedded at build time (cmake/EmbedText.cmake).
// Internal to auth: auth::IsCommonPassword is the interface.
// Thread-safety: returns a view of constant data.
#pragma once

#include <string_view>

namespace custos::auth::internal {

std::string_view CommonPasswordsText();

}  // namespace custos::auth::internal
