// SPDX-License-Identifier: Apache-2.0
#include "auth/qr.h"

#include <cerrno>
#include <memory>
#include <string>

#include <qrencode.h>

namespace custos::auth {
namespace {

struct QrFree {
  void operator()(QRcode* code) const { QRcode_free(code); }
};

}  // namespace

core::Result<std::string> QrSvg(std::string_view text) {
  if (text.empty() || text.size() > kMaxQrTextBytes) {
    return core::InvalidArgument("QR code text: " + std::to_string(text.size()) +
                                 " bytes; must be 1 to " + std::to_string(kMaxQrTextBytes));
  }
  errno = 0;
  const std::unique_ptr<QRcode, QrFree> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M));
  if (code == nullptr) {
    return core::Internal("QR code: libqrencode failed (errno " + std::to_string(errno) + ")");
  }
  const int width = code->width;
  const int size = width + 2 * kQrQuietZoneModules;
  const std::string pixels = std::to_string(size * kQrPixelsPerModule);
  std::string svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"" + pixels + "\" height=\"" +
                    pixels + "\" viewBox=\"0 0 " + std::to_string(size) + " " +
                    std::to_string(size) + "\" shape-rendering=\"crispEdges\">";
  svg += "<rect width=\"" + std::to_string(size) + "\" height=\"" + std::to_string(size) +
         "\" fill=\"#fff\"/><path fill=\"#000\" d=\"";
  // One subpath per horizontal run of dark modules (bit 0 of each byte is dark).
  for (int y = 0; y < width; ++y) {
    const unsigned char* row = code->data + static_cast<std::ptrdiff_t>(y) * width;
    int x = 0;
    while (x < width) {
      if ((row[x] & 1) == 0) {
        ++x;
        continue;
      }
      const int start = x;
      while (x < width && (row[x] & 1) != 0) {
        ++x;
      }
      svg += "M" + std::to_string(start + kQrQuietZoneModules) + "," +
             std::to_string(y + kQrQuietZoneModules) + "h" + std::to_string(x - start) + "v1h-" +
             std::to_string(x - start) + "z";
    }
  }
  svg += "\"/></svg>\n";
  return svg;
}

}  // namespace custos::auth
