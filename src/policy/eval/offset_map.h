// SPDX-License-Identifier: Apache-2.0
// Text views and their maps back to the original text.
//
// Normalisation turns the original message into derived texts (views); every byte of a view
// comes from a range of its base text: either copied byte for byte (ASCII lower-casing,
// unchanged runs) or as part of a replacement (a normalised character, a folded letter). An
// OffsetMap stores this piecewise, so a pure-ASCII text costs one segment. Bytes of the base
// that produce nothing (removed zero-width characters, collapsed blanks) simply leave a gap.
// A View may sit on another view; ToOrigin follows the chain down to the original text.
// Thread-safety: immutable after construction; const methods may be called concurrently.
#pragma once

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace custos::policy::eval {

class OffsetMap {
 public:
  // `len` view bytes copied byte for byte from base [base_begin, base_begin + len).
  void AppendCopy(std::size_t len, std::size_t base_begin);

  // `len` (> 0) view bytes that stand for base [base_begin, base_end) as a whole.
  void AppendReplace(std::size_t len, std::size_t base_begin, std::size_t base_end);

  // The base range of view range [begin, end); begin == end maps a point.
  std::pair<std::size_t, std::size_t> ToBase(std::size_t begin, std::size_t end) const;

  std::size_t ViewSize() const { return view_size_; }

  std::size_t SegmentCount() const { return segments_.size(); }

 private:
  struct Segment {
    std::size_t view = 0;  // first view byte
    std::size_t base_begin = 0;
    std::size_t base_end = 0;
    bool copy = false;
  };

  const Segment& Find(std::size_t view_pos) const;

  std::vector<Segment> segments_;
  std::size_t view_size_ = 0;
};

struct View {
  std::string text;
  OffsetMap map;
  const View* base = nullptr;  // null: the map points into the original text

  // The original range of view range [begin, end).
  std::pair<std::size_t, std::size_t> ToOrigin(std::size_t begin, std::size_t end) const;
};

}  // namespace custos::policy::eval
