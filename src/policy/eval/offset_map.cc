// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/offset_map.h"

#include <algorithm>

namespace custos::policy::eval {

void OffsetMap::AppendCopy(std::size_t len, std::size_t base_begin) {
  if (len == 0) {
    return;
  }
  if (!segments_.empty()) {
    Segment& last = segments_.back();
    if (last.copy && last.base_end == base_begin &&
        last.view + (last.base_end - last.base_begin) == view_size_) {
      last.base_end += len;
      view_size_ += len;
      return;
    }
  }
  segments_.push_back(Segment{view_size_, base_begin, base_begin + len, true});
  view_size_ += len;
}

void OffsetMap::AppendReplace(std::size_t len, std::size_t base_begin, std::size_t base_end) {
  if (len == 0) {
    return;
  }
  segments_.push_back(Segment{view_size_, base_begin, base_end, false});
  view_size_ += len;
}

const OffsetMap::Segment& OffsetMap::Find(std::size_t view_pos) const {
  auto it = std::upper_bound(segments_.begin(), segments_.end(), view_pos,
                             [](std::size_t pos, const Segment& s) { return pos < s.view; });
  return *(it == segments_.begin() ? it : it - 1);
}

std::pair<std::size_t, std::size_t> OffsetMap::ToBase(std::size_t begin, std::size_t end) const {
  if (segments_.empty()) {
    return {begin, end};
  }
  if (begin >= view_size_) {
    const std::size_t last = segments_.back().base_end;
    return {last, last};
  }
  const Segment& first = Find(begin);
  const std::size_t base_begin =
      first.copy ? first.base_begin + (begin - first.view) : first.base_begin;
  if (end <= begin) {
    return {base_begin, base_begin};
  }
  const Segment& last = Find(std::min(end, view_size_) - 1);
  const std::size_t base_end =
      last.copy ? last.base_begin + (std::min(end, view_size_) - last.view) : last.base_end;
  return {base_begin, std::max(base_begin, base_end)};
}

std::pair<std::size_t, std::size_t> View::ToOrigin(std::size_t begin, std::size_t end) const {
  auto range = map.ToBase(begin, end);
  return base != nullptr ? base->ToOrigin(range.first, range.second) : range;
}

}  // namespace custos::policy::eval
