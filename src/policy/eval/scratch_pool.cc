// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/scratch_pool.h"

#include <hs/hs.h>

namespace custos::policy::eval {

HsDatabase::~HsDatabase() { hs_free_database(db_); }

ScratchPool::~ScratchPool() {
  for (hs_scratch* s : free_) {
    hs_free_scratch(s);
  }
  hs_free_scratch(prototype_);
}

core::Status ScratchPool::AddDatabase(const HsDatabase& db) {
  if (hs_alloc_scratch(db.get(), &prototype_) != HS_SUCCESS) {
    return core::Internal("Vectorscan could not allocate scratch space");
  }
  return core::Status::Ok();
}

ScratchPool::Lease ScratchPool::Acquire() {
  {
    core::MutexLock lock(&mu_);
    if (!free_.empty()) {
      hs_scratch* s = free_.back();
      free_.pop_back();
      return Lease(this, s);
    }
  }
  hs_scratch* clone = nullptr;
  if (prototype_ == nullptr || hs_clone_scratch(prototype_, &clone) != HS_SUCCESS) {
    return Lease(this, nullptr);
  }
  return Lease(this, clone);
}

void ScratchPool::Release(hs_scratch* scratch) {
  if (scratch == nullptr) {
    return;
  }
  core::MutexLock lock(&mu_);
  free_.push_back(scratch);
}

ScratchPool::Lease::~Lease() { pool_->Release(scratch_); }

}  // namespace custos::policy::eval
