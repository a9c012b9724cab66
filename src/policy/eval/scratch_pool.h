// SPDX-License-Identifier: Apache-2.0
// Vectorscan databases and scratch space. Every database of a pack is added to one pool, whose
// prototype scratch is grown to fit them all; Acquire hands a scratch to one scan at a time
// (cloned on demand, kept for reuse), never allocating on the scan path once warm.
// Thread-safety: Acquire/Release may be called concurrently (mutex); AddDatabase only while
// the pack is being built.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/mutex.h"
#include "core/status.h"

struct hs_database;
struct hs_scratch;

namespace custos::policy::eval {

// Owns an hs_database_t.
class HsDatabase {
 public:
  explicit HsDatabase(hs_database* db) : db_(db) {}

  ~HsDatabase();
  HsDatabase(const HsDatabase&) = delete;
  HsDatabase& operator=(const HsDatabase&) = delete;

  hs_database* get() const { return db_; }

 private:
  hs_database* db_;
};

class ScratchPool {
 public:
  ScratchPool() = default;
  ~ScratchPool();
  ScratchPool(const ScratchPool&) = delete;
  ScratchPool& operator=(const ScratchPool&) = delete;

  // Grows the prototype scratch for `db`. kInternal when Vectorscan fails.
  core::Status AddDatabase(const HsDatabase& db);

  class Lease {
   public:
    Lease(ScratchPool* pool, hs_scratch* scratch) : pool_(pool), scratch_(scratch) {}

    ~Lease();
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;

    hs_scratch* get() const { return scratch_; }

   private:
    ScratchPool* pool_;
    hs_scratch* scratch_;
  };

  // A scratch fit for every added database; nullptr inside the lease when none was added or
  // cloning failed (callers then skip scanning).
  Lease Acquire();

 private:
  friend class Lease;
  void Release(hs_scratch* scratch);

  hs_scratch* prototype_ = nullptr;
  core::Mutex mu_;
  std::vector<hs_scratch*> free_ CUSTOS_GUARDED_BY(mu_);
};

}  // namespace custos::policy::eval
