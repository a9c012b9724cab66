// SPDX-License-Identifier: Apache-2.0
// Process metrics, rendered in the Prometheus text exposition format by /metrics.
// Counters are atomics; labelled families take a mutex. Thread-safe.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <string>
#include <utility>

#include "core/mutex.h"
#include "devices/service.h"
#include "policy/verdict.h"

namespace custos::app {

class Metrics {
 public:
  void MessageIngested(const std::string& channel);

  void Duplicate() { duplicates_.fetch_add(1, std::memory_order_relaxed); }

  void Rejected() { rejects_.fetch_add(1, std::memory_order_relaxed); }

  // A committed message's verdict: messages with hits by action, hits by rule, and blocked
  // outbound messages. Messages without hits are not counted here.
  void Verdict(const policy::Verdict& verdict, bool blocked);

  void CommitLatency(double seconds);
  void HttpRequest(const std::string& route, int status);

  // The whole exposition, "# HELP" and "# TYPE" lines included.
  std::string RenderPrometheus() const;

 private:
  static constexpr std::array<double, 12> kBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                      0.05,   0.1,   0.25,   0.5,   1.0,  2.5};
  std::atomic<std::int64_t> duplicates_{0};
  std::atomic<std::int64_t> rejects_{0};
  std::atomic<std::int64_t> blocked_{0};

  mutable core::Mutex mu_;
  std::map<std::string, std::int64_t> ingested_ CUSTOS_GUARDED_BY(mu_);
  std::array<std::int64_t, kBuckets.size()> latency_buckets_ CUSTOS_GUARDED_BY(mu_) = {};
  std::int64_t latency_count_ CUSTOS_GUARDED_BY(mu_) = 0;
  double latency_sum_ CUSTOS_GUARDED_BY(mu_) = 0;
  std::map<std::pair<std::string, int>, std::int64_t> http_ CUSTOS_GUARDED_BY(mu_);
  std::map<std::string, std::int64_t> verdicts_ CUSTOS_GUARDED_BY(mu_);   // by action
  std::map<std::string, std::int64_t> rule_hits_ CUSTOS_GUARDED_BY(mu_);  // by rule id
};

// The device compliance gauges (docs/devices.md): custos_devices{state=...},
// custos_devices_lost{lost_state=...} and custos_device_rule_failing{rule=...}, with HELP/TYPE.
std::string RenderDeviceMetrics(const devices::ComplianceReport& report);

}  // namespace custos::app
