// SPDX-License-Identifier: Apache-2.0
#include "devices/internal/plist_json.h"

#include <cstdlib>
#include <memory>

#include <plist/plist.h>

#include "core/time.h"
#include "crypto/crypto.h"
#include "devices/internal/plist_bounds.h"

namespace custos::devices::internal {
namespace {

constexpr int kMaxDepth = 32;
// Seconds between the Unix epoch and Apple's 2001-01-01 epoch.
constexpr std::int64_t kAppleEpoch = 978307200;

struct FreeStr {
  void operator()(char* p) const { std::free(p); }  // NOLINT(cppcoreguidelines-no-malloc)
};

using CStr = std::unique_ptr<char, FreeStr>;

nlohmann::json Convert(plist_t node, int depth) {
  if (node == nullptr || depth > kMaxDepth) {
    return nullptr;
  }
  switch (plist_get_node_type(node)) {
    case PLIST_BOOLEAN: {
      uint8_t v = 0;
      plist_get_bool_val(node, &v);
      return v != 0;
    }
    case PLIST_UINT: {
      uint64_t v = 0;
      plist_get_uint_val(node, &v);
      return v;
    }
    case PLIST_REAL: {
      double v = 0;
      plist_get_real_val(node, &v);
      return v;
    }
    case PLIST_STRING:
    case PLIST_KEY: {
      char* raw = nullptr;
      plist_get_string_val(node, &raw);
      CStr s(raw);
      return s ? std::string(s.get()) : std::string();
    }
    case PLIST_DATA: {
      char* raw = nullptr;
      uint64_t len = 0;
      plist_get_data_val(node, &raw, &len);
      CStr d(raw);
      return crypto::Base64Encode(std::string_view(d.get(), d ? len : 0));
    }
    case PLIST_DATE: {
      int32_t sec = 0;
      int32_t usec = 0;
      plist_get_date_val(node, &sec, &usec);
      return core::FormatRfc3339((kAppleEpoch + sec) * core::kMicrosPerSecond + usec);
    }
    case PLIST_ARRAY: {
      nlohmann::json out = nlohmann::json::array();
      for (uint32_t i = 0; i < plist_array_get_size(node); ++i) {
        out.push_back(Convert(plist_array_get_item(node, i), depth + 1));
      }
      return out;
    }
    case PLIST_DICT: {
      nlohmann::json out = nlohmann::json::object();
      plist_dict_iter it = nullptr;
      plist_dict_new_iter(node, &it);
      while (true) {
        char* key = nullptr;
        plist_t value = nullptr;
        plist_dict_next_item(node, it, &key, &value);
        if (key == nullptr) {
          break;
        }
        CStr k(key);
        out[k.get()] = Convert(value, depth + 1);
      }
      std::free(it);  // NOLINT(cppcoreguidelines-no-malloc)
      return out;
    }
    default:
      return nullptr;
  }
}

}  // namespace

core::Result<nlohmann::json> PlistToJson(std::string_view bytes) {
  if (bytes.empty() || bytes.size() > (1u << 24)) {
    return core::InvalidArgument("property list: empty or larger than 16 MiB");
  }
  RETURN_IF_ERROR(CheckPlistBounds(bytes));
  plist_t root = nullptr;
  plist_from_memory(bytes.data(), static_cast<uint32_t>(bytes.size()), &root);
  if (root == nullptr) {
    return core::InvalidArgument("property list: not a valid XML or binary plist");
  }
  std::unique_ptr<void, decltype(&plist_free)> guard(root, &plist_free);
  return Convert(root, 0);
}

}  // namespace custos::devices::internal
