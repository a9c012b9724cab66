// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/matchers.h"

#include <hs/hs.h>

#include "policy/eval/pattern_cost.h"

namespace custos::policy::eval {
namespace {

constexpr unsigned kRegexFlags = HS_FLAG_CASELESS | HS_FLAG_UTF8;

class NaiveLiteralMatcher final : public LiteralMatcher {
 public:
  explicit NaiveLiteralMatcher(std::vector<std::string> literals)
      : literals_(std::move(literals)) {}

  void Scan(std::string_view text, const MatchFn& on_match) const override {
    for (unsigned id = 0; id < literals_.size(); ++id) {
      const std::string& lit = literals_[id];
      for (std::size_t pos = text.find(lit); pos != std::string_view::npos;
           pos = text.find(lit, pos + 1)) {
        if (!on_match(id, pos, pos + lit.size())) {
          return;
        }
      }
    }
  }

 private:
  std::vector<std::string> literals_;
};

struct ScanContext {
  const MatchFn* on_match;
  const std::vector<std::size_t>* lengths;  // literals: to compute the start
};

int OnHsMatch(unsigned id, unsigned long long from, unsigned long long to, unsigned /*flags*/,
              void* ctx) {
  auto* c = static_cast<ScanContext*>(ctx);
  const auto end = static_cast<std::size_t>(to);
  std::size_t begin = static_cast<std::size_t>(from);
  if (c->lengths != nullptr) {
    begin = end - (*c->lengths)[id];
  }
  return (*c->on_match)(id, begin, end) ? 0 : 1;
}

void HsScan(const HsDatabase& db, ScratchPool& pool, std::string_view text, ScanContext& ctx) {
  if (text.empty()) {
    return;
  }
  ScratchPool::Lease scratch = pool.Acquire();
  if (scratch.get() == nullptr) {
    return;
  }
  hs_scan(db.get(), text.data(), static_cast<unsigned>(text.size()), 0, scratch.get(), OnHsMatch,
          &ctx);
}

class HsLiteralMatcher final : public LiteralMatcher {
 public:
  HsLiteralMatcher(std::unique_ptr<HsDatabase> db, std::vector<std::size_t> lengths,
                   ScratchPool& pool)
      : db_(std::move(db)), lengths_(std::move(lengths)), pool_(pool) {}

  void Scan(std::string_view text, const MatchFn& on_match) const override {
    ScanContext ctx{&on_match, &lengths_};
    HsScan(*db_, pool_, text, ctx);
  }

 private:
  std::unique_ptr<HsDatabase> db_;
  std::vector<std::size_t> lengths_;
  ScratchPool& pool_;
};

std::string TakeError(hs_compile_error_t* error) {
  std::string message = error != nullptr && error->message != nullptr ? error->message : "?";
  hs_free_compile_error(error);
  return message;
}

hs_database_t* CompileOne(const std::string& pattern, unsigned flags, std::string* error) {
  hs_database_t* db = nullptr;
  hs_compile_error_t* compile_error = nullptr;
  if (hs_compile(pattern.c_str(), flags, HS_MODE_BLOCK, nullptr, &db, &compile_error) !=
      HS_SUCCESS) {
    *error = TakeError(compile_error);
    return nullptr;
  }
  return db;
}

}  // namespace

std::unique_ptr<LiteralMatcher> MakeNaiveLiteralMatcher(std::vector<std::string> literals) {
  return std::make_unique<NaiveLiteralMatcher>(std::move(literals));
}

core::Result<std::unique_ptr<LiteralMatcher>> MakeVectorscanLiteralMatcher(
    const std::vector<std::string>& literals, ScratchPool& pool) {
  std::vector<const char*> expressions;
  std::vector<std::size_t> lengths;
  std::vector<unsigned> ids;
  std::vector<unsigned> flags(literals.size(), 0);
  for (unsigned i = 0; i < literals.size(); ++i) {
    expressions.push_back(literals[i].data());
    lengths.push_back(literals[i].size());
    ids.push_back(i);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_lit_multi(expressions.data(), flags.data(), ids.data(), lengths.data(),
                           static_cast<unsigned>(literals.size()), HS_MODE_BLOCK, nullptr, &db,
                           &error) != HS_SUCCESS) {
    return core::Internal("Vectorscan rejected the literal set: " + TakeError(error));
  }
  auto owned = std::make_unique<HsDatabase>(db);
  RETURN_IF_ERROR(pool.AddDatabase(*owned));
  return std::unique_ptr<LiteralMatcher>(
      std::make_unique<HsLiteralMatcher>(std::move(owned), std::move(lengths), pool));
}

RegexCheck CheckRegex(const std::string& pattern) {
  RegexCheck check;
  const PatternCost cost = AnalyzePattern(pattern);
  check.costly = !cost.costly.empty();
  check.costly_reason = cost.costly;
  std::string error;
  if (hs_database_t* db = CompileOne(pattern, kRegexFlags | HS_FLAG_SOM_LEFTMOST, &error)) {
    hs_free_database(db);
    check.start_offsets = true;
    return check;
  }
  if (hs_database_t* db = CompileOne(pattern, kRegexFlags, &error)) {
    hs_free_database(db);
    return check;
  }
  check.error =
      cost.unsupported.empty()
          ? error
          : "it uses " + cost.unsupported + ", which Vectorscan does not support (" + error + ")";
  return check;
}

void RegexSet::Scan(std::string_view text, const MatchFn& on_match) const {
  ScanContext ctx{&on_match, nullptr};
  HsScan(*db_, pool_, text, ctx);
}

core::Result<std::unique_ptr<RegexSet>> MakeRegexSet(const std::vector<RegexSpec>& specs,
                                                     ScratchPool& pool) {
  std::vector<const char*> expressions;
  std::vector<unsigned> flags;
  std::vector<unsigned> ids;
  for (unsigned i = 0; i < specs.size(); ++i) {
    expressions.push_back(specs[i].pattern.c_str());
    flags.push_back(kRegexFlags | (specs[i].start_offsets ? HS_FLAG_SOM_LEFTMOST : 0U));
    ids.push_back(i);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* error = nullptr;
  if (hs_compile_multi(expressions.data(), flags.data(), ids.data(),
                       static_cast<unsigned>(specs.size()), HS_MODE_BLOCK, nullptr, &db,
                       &error) != HS_SUCCESS) {
    const int index = error != nullptr ? error->expression : -1;
    std::string message = TakeError(error);
    if (index >= 0 && static_cast<std::size_t>(index) < specs.size()) {
      message = "'" + specs[static_cast<std::size_t>(index)].pattern + "': " + message;
    }
    return core::InvalidArgument(message);
  }
  auto owned = std::make_unique<HsDatabase>(db);
  RETURN_IF_ERROR(pool.AddDatabase(*owned));
  return std::make_unique<RegexSet>(std::move(owned), pool);
}

}  // namespace custos::policy::eval
