// SPDX-License-Identifier: Apache-2.0
// Clang thread-safety annotations; they expand to nothing on GCC (leveldb port/).
#pragma once

#if defined(__clang__)
#define CUSTOS_GUARDED_BY(x) __attribute__((guarded_by(x)))
#define CUSTOS_REQUIRES(...) __attribute__((requires_capability(__VA_ARGS__)))
#else
#define CUSTOS_GUARDED_BY(x)
#define CUSTOS_REQUIRES(...)
#endif
