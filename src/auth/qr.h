// SPDX-License-Identifier: Apache-2.0
// QR codes as standalone SVG images (libqrencode), for the TOTP enrolment page: the browser
// shows the otpauth:// URI as a code an authenticator app scans.
// Thread-safety: safe to call concurrently (Debian's libqrencode is built with pthread support,
// which its header names as the condition for thread safety).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "core/status.h"

namespace custos::auth {

// The longest text QrSvg encodes. An otpauth URI is about 150 bytes; a version 40 code at error
// correction level M holds 2331 bytes, so this limit always fits.
inline constexpr std::size_t kMaxQrTextBytes = 1024;
// Light modules around the code, as ISO/IEC 18004 asks.
inline constexpr int kQrQuietZoneModules = 4;
// Pixels per module in the SVG's width and height (the viewBox is in modules, so it scales).
inline constexpr int kQrPixelsPerModule = 6;

// An SVG document (`<svg xmlns=... width height viewBox ...>`) of `text` encoded in 8-bit mode at
// error correction level M, the smallest version that fits: a white background and one black
// path of the dark modules, with a kQrQuietZoneModules quiet zone on each side. The viewBox is
// "0 0 W W" with W = the code's width in modules + 2 * kQrQuietZoneModules.
// kInvalidArgument when `text` is empty or longer than kMaxQrTextBytes; kInternal when
// libqrencode fails.
core::Result<std::string> QrSvg(std::string_view text);

}  // namespace custos::auth
