// SPDX-License-Identifier: Apache-2.0
#include "devices/internal/plist_bounds.h"

#include <cstdint>
#include <string>
#include <vector>

namespace custos::devices::internal {
namespace {

core::Status TooDeep(int max_depth, std::size_t byte) {
  return core::InvalidArgument("property list: nested deeper than " + std::to_string(max_depth) +
                               " levels (at byte " + std::to_string(byte) + ")");
}

core::Status TooMany(std::size_t max_nodes) {
  return core::InvalidArgument("property list: more than " + std::to_string(max_nodes) +
                               " values once expanded");
}

// XML: every element open at once counts (<plist><dict><key>... is 3); comments, CDATA,
// processing instructions and declarations are skipped whole, so a "</dict>" inside a comment
// cannot hide real nesting. Linear, no recursion.
core::Status CheckXml(std::string_view x, const PlistBounds& bounds) {
  // libplist asserts (aborting the process) on a string with a NUL in it: a NUL byte, or a
  // character reference to U+0000 (&#0; &#x0000;), is refused first.
  if (const std::size_t nul = x.find('\0'); nul != std::string_view::npos) {
    return core::InvalidArgument("property list: a NUL byte at byte " + std::to_string(nul));
  }
  for (std::size_t amp = x.find("&#"); amp != std::string_view::npos; amp = x.find("&#", amp + 2)) {
    std::size_t k = amp + 2;
    const bool hex = k < x.size() && (x[k] == 'x' || x[k] == 'X');
    k += hex ? 1 : 0;
    bool zero = k < x.size() && x[k] != ';';
    for (; k < x.size() && x[k] != ';'; ++k) {
      const char c = x[k];
      const bool digit =
          (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
      if (!digit) {
        zero = false;
        break;
      }
      zero = zero && c == '0';
    }
    if (zero) {
      return core::InvalidArgument("property list: a reference to character U+0000 at byte " +
                                   std::to_string(amp));
    }
  }
  int depth = 0;
  std::size_t elements = 0;
  auto skip_to = [&](std::size_t from, std::string_view end) {
    const std::size_t at = x.find(end, from);
    return at == std::string_view::npos ? x.size() : at + end.size();
  };
  for (std::size_t i = x.find('<'); i < x.size(); i = x.find('<', i)) {
    const std::string_view rest = x.substr(i);
    if (rest.substr(0, 4) == "<!--") {
      i = skip_to(i + 4, "-->");
    } else if (rest.substr(0, 9) == "<![CDATA[") {
      i = skip_to(i + 9, "]]>");
    } else if (rest.substr(0, 2) == "<?") {
      i = skip_to(i + 2, "?>");
    } else if (rest.substr(0, 2) == "<!") {
      i = skip_to(i + 2, ">");
    } else if (rest.substr(0, 2) == "</") {
      depth = depth > 0 ? depth - 1 : 0;
      i = skip_to(i + 2, ">");
    } else {
      const std::size_t end = skip_to(i + 1, ">");
      const bool self_closing = end >= 2 && end <= x.size() && x[end - 2] == '/';
      if (++elements > bounds.max_nodes) {
        return TooMany(bounds.max_nodes);
      }
      if (!self_closing && ++depth > bounds.max_depth) {
        return TooDeep(bounds.max_depth, i);
      }
      i = end;
    }
  }
  return core::Status::Ok();
}

std::uint64_t ReadBigEndian(std::string_view b, std::size_t at, std::size_t size) {
  std::uint64_t v = 0;
  for (std::size_t k = 0; k < size; ++k) {
    v = (v << 8) | static_cast<unsigned char>(b[at + k]);
  }
  return v;
}

// Binary ("bplist00"): the trailer, the offset table and every container's references are
// checked against the file; then an iterative walk from the top object refuses cycles, depth
// over the limit, and a graph whose expansion (libplist copies a shared object at every
// reference) has more than max_nodes values.
core::Status CheckBinary(std::string_view b, const PlistBounds& bounds) {
  const auto bad = [](const std::string& what) {
    return core::InvalidArgument("binary property list: " + what);
  };
  if (b.size() < 8 + 32) {
    return bad("shorter than its header and trailer");
  }
  const std::size_t trailer = b.size() - 32;
  const std::size_t offset_size = static_cast<unsigned char>(b[trailer + 6]);
  const std::size_t ref_size = static_cast<unsigned char>(b[trailer + 7]);
  const std::uint64_t count = ReadBigEndian(b, trailer + 8, 8);
  const std::uint64_t top = ReadBigEndian(b, trailer + 16, 8);
  const std::uint64_t table = ReadBigEndian(b, trailer + 24, 8);
  if (offset_size < 1 || offset_size > 8 || ref_size < 1 || ref_size > 8) {
    return bad("bad offset or reference size in the trailer");
  }
  if (count == 0 || count > bounds.max_nodes || top >= count) {
    return count > bounds.max_nodes ? TooMany(bounds.max_nodes) : bad("bad object count");
  }
  if (table < 8 || table > trailer || (trailer - table) / offset_size < count) {
    return bad("offset table outside the file");
  }
  // Children (references) of each object; leaves have none.
  std::vector<std::vector<std::uint32_t>> children(count);
  for (std::uint64_t n = 0; n < count; ++n) {
    const std::uint64_t at = ReadBigEndian(b, table + n * offset_size, offset_size);
    if (at < 8 || at >= table) {
      return bad("object " + std::to_string(n) + " outside the object area");
    }
    const unsigned char marker = static_cast<unsigned char>(b[at]);
    const unsigned type = marker >> 4;
    const bool text = type == 0x5 || type == 0x6;  // ASCII, UTF-16BE
    if (type != 0xA && type != 0xC && type != 0xD && !text) {
      continue;
    }
    std::uint64_t items = marker & 0x0F;
    std::uint64_t refs_at = at + 1;
    if (items == 0x0F) {  // the count follows as an int object 0x1n with 2^n bytes
      if (refs_at >= table || (static_cast<unsigned char>(b[refs_at]) >> 4) != 0x1) {
        return bad("object " + std::to_string(n) + ": bad length");
      }
      const std::size_t bytes = std::size_t{1} << (b[refs_at] & 0x03);
      if (refs_at + 1 + bytes > table) {
        return bad("object " + std::to_string(n) + ": length outside the object area");
      }
      items = ReadBigEndian(b, refs_at + 1, bytes);
      refs_at += 1 + bytes;
    }
    if (text) {  // no NUL inside (libplist asserts on one)
      const std::uint64_t unit = type == 0x6 ? 2 : 1;
      if (items > table || refs_at + items * unit > table) {
        return bad("object " + std::to_string(n) + ": string outside the object area");
      }
      for (std::uint64_t k = 0; k < items; ++k) {
        if (ReadBigEndian(b, refs_at + k * unit, unit) == 0) {
          return bad("object " + std::to_string(n) + ": a NUL character in a string");
        }
      }
      continue;
    }
    const std::uint64_t refs = type == 0xD ? items * 2 : items;
    if (items > bounds.max_nodes || refs_at + refs * ref_size > table) {
      return bad("object " + std::to_string(n) + ": references outside the object area");
    }
    children[n].reserve(refs);
    for (std::uint64_t k = 0; k < refs; ++k) {
      const std::uint64_t ref = ReadBigEndian(b, refs_at + k * ref_size, ref_size);
      if (ref >= count) {
        return bad("object " + std::to_string(n) + ": reference to a missing object");
      }
      children[n].push_back(static_cast<std::uint32_t>(ref));
    }
  }
  // Iterative depth-first walk: state 0 unvisited, 1 on the current path, 2 done (with its
  // expanded size). The path is at most max_depth long.
  std::vector<std::uint8_t> state(count, 0);
  std::vector<std::uint64_t> expanded(count, 0);

  struct Frame {
    std::uint32_t node;
    std::size_t next;
  };

  std::vector<Frame> path{{static_cast<std::uint32_t>(top), 0}};
  state[top] = 1;
  while (!path.empty()) {
    Frame& f = path.back();
    if (f.next < children[f.node].size()) {
      const std::uint32_t child = children[f.node][f.next++];
      if (state[child] == 1) {
        return bad("object " + std::to_string(child) + " contains itself");
      }
      if (state[child] == 0) {
        if (static_cast<int>(path.size()) >= bounds.max_depth) {
          const std::uint64_t at = ReadBigEndian(b, table + child * offset_size, offset_size);
          return TooDeep(bounds.max_depth, at);
        }
        state[child] = 1;
        path.push_back({child, 0});
      }
      continue;
    }
    std::uint64_t total = 1;
    for (std::uint32_t child : children[f.node]) {
      total += expanded[child];
      if (total > bounds.max_nodes) {
        return TooMany(bounds.max_nodes);
      }
    }
    expanded[f.node] = total;
    state[f.node] = 2;
    path.pop_back();
  }
  return core::Status::Ok();
}

}  // namespace

core::Status CheckPlistBounds(std::string_view bytes, const PlistBounds& bounds) {
  if (bytes.size() > bounds.max_bytes) {
    return core::InvalidArgument("property list: " + std::to_string(bytes.size()) +
                                 " bytes, over the limit of " + std::to_string(bounds.max_bytes));
  }
  if (bytes.substr(0, 6) == "bplist") {
    return CheckBinary(bytes, bounds);
  }
  return CheckXml(bytes, bounds);
}

}  // namespace custos::devices::internal
