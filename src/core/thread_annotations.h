// SPDX-License-Identifier: Apache-2.0
// Clang thread-safety annotations (https://clang.llvm.org/docs/ThreadSafetyAnalysis.html), as in
// leveldb's port/thread_annotations.h. They expand to nothing on other compilers; the clang gate
// in tools/test.sh (tools/check_thread_safety.sh) checks them with -Wthread-safety -Werror.
//
// Annotate a mutex type with CUSTOS_CAPABILITY and its RAII lock with CUSTOS_SCOPED_CAPABILITY
// (core/mutex.h does both); annotate the data a mutex protects with CUSTOS_GUARDED_BY(mu_) and a
// function that must be called with the mutex held with CUSTOS_REQUIRES(mu_). The analysis only
// understands capability types: a GUARDED_BY on a plain std::mutex checks nothing.
// Thread-safety: macros only.
#pragma once

#if defined(__clang__)
#define CUSTOS_THREAD_ANNOTATION(x) __attribute__((x))
#else
#define CUSTOS_THREAD_ANNOTATION(x)
#endif

// A type that is a lock ("mutex").
#define CUSTOS_CAPABILITY(x) CUSTOS_THREAD_ANNOTATION(capability(x))
// An RAII type that acquires a capability in its constructor and releases it in its destructor.
#define CUSTOS_SCOPED_CAPABILITY CUSTOS_THREAD_ANNOTATION(scoped_lockable)

// Data that may be read or written only while holding the given capability.
#define CUSTOS_GUARDED_BY(x) CUSTOS_THREAD_ANNOTATION(guarded_by(x))
// A pointer whose pointee may be accessed only while holding the given capability.
#define CUSTOS_PT_GUARDED_BY(x) CUSTOS_THREAD_ANNOTATION(pt_guarded_by(x))

// The caller must hold (REQUIRES) or must not hold (EXCLUDES) the capabilities.
#define CUSTOS_REQUIRES(...) CUSTOS_THREAD_ANNOTATION(requires_capability(__VA_ARGS__))
#define CUSTOS_EXCLUDES(...) CUSTOS_THREAD_ANNOTATION(locks_excluded(__VA_ARGS__))

// The function acquires or releases the capabilities (with no argument: `this`).
#define CUSTOS_ACQUIRE(...) CUSTOS_THREAD_ANNOTATION(acquire_capability(__VA_ARGS__))
#define CUSTOS_RELEASE(...) CUSTOS_THREAD_ANNOTATION(release_capability(__VA_ARGS__))
// The function checks at run time that the capability is held, and tells the analysis so.
#define CUSTOS_ASSERT_CAPABILITY(x) CUSTOS_THREAD_ANNOTATION(assert_capability(x))

// Turns the analysis off for one function. Use only with a comment saying why the analysis
// cannot follow it (it is not a way to silence a real warning).
#define CUSTOS_NO_THREAD_SAFETY_ANALYSIS CUSTOS_THREAD_ANNOTATION(no_thread_safety_analysis)
