// SPDX-License-Identifier: Apache-2.0
#include "app/metrics.h"

#include <fmt/format.h>

namespace custos::app {

void Metrics::MessageIngested(const std::string& channel) {
  core::MutexLock lock(&mu_);
  ++ingested_[channel];
}

void Metrics::Verdict(const policy::Verdict& verdict, bool blocked) {
  if (blocked) {
    blocked_.fetch_add(1, std::memory_order_relaxed);
  }
  if (verdict.hits.empty()) {
    return;
  }
  core::MutexLock lock(&mu_);
  ++verdicts_[std::string(policy::ActionName(verdict.action))];
  for (const policy::RuleHit& hit : verdict.hits) {
    ++rule_hits_[hit.rule_id];
  }
}

void Metrics::CommitLatency(double seconds) {
  core::MutexLock lock(&mu_);
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) {
      ++latency_buckets_[i];
    }
  }
  ++latency_count_;
  latency_sum_ += seconds;
}

void Metrics::HttpRequest(const std::string& route, int status) {
  core::MutexLock lock(&mu_);
  ++http_[{route, status}];
}

std::string Metrics::RenderPrometheus() const {
  core::MutexLock lock(&mu_);
  std::string out;
  out += "# HELP custos_messages_ingested_total Messages committed to the archive, by channel.\n";
  out += "# TYPE custos_messages_ingested_total counter\n";
  for (const auto& [channel, n] : ingested_) {
    out += fmt::format("custos_messages_ingested_total{{channel=\"{}\"}} {}\n", channel, n);
  }
  out += "# HELP custos_messages_duplicate_total Messages skipped as already archived.\n";
  out += "# TYPE custos_messages_duplicate_total counter\n";
  out += fmt::format("custos_messages_duplicate_total {}\n", duplicates_.load());
  out += "# HELP custos_messages_rejected_total Messages rejected as invalid.\n";
  out += "# TYPE custos_messages_rejected_total counter\n";
  out += fmt::format("custos_messages_rejected_total {}\n", rejects_.load());
  out += "# HELP custos_policy_verdicts_total Messages with policy hits, by resulting action.\n";
  out += "# TYPE custos_policy_verdicts_total counter\n";
  for (const auto& [action, n] : verdicts_) {
    out += fmt::format("custos_policy_verdicts_total{{action=\"{}\"}} {}\n", action, n);
  }
  out += "# HELP custos_policy_rule_hits_total Policy rule hits, by rule id.\n";
  out += "# TYPE custos_policy_rule_hits_total counter\n";
  for (const auto& [rule, n] : rule_hits_) {
    out += fmt::format("custos_policy_rule_hits_total{{rule=\"{}\"}} {}\n", rule, n);
  }
  out += "# HELP custos_messages_blocked_total Outbound messages blocked by the policy.\n";
  out += "# TYPE custos_messages_blocked_total counter\n";
  out += fmt::format("custos_messages_blocked_total {}\n", blocked_.load());
  out += "# HELP custos_commit_latency_seconds Duration of ingest group commits.\n";
  out += "# TYPE custos_commit_latency_seconds histogram\n";
  for (std::size_t i = 0; i < kBuckets.size(); ++i) {
    out += fmt::format("custos_commit_latency_seconds_bucket{{le=\"{}\"}} {}\n", kBuckets[i],
                       latency_buckets_[i]);
  }
  out += fmt::format("custos_commit_latency_seconds_bucket{{le=\"+Inf\"}} {}\n", latency_count_);
  out += fmt::format("custos_commit_latency_seconds_sum {}\n", latency_sum_);
  out += fmt::format("custos_commit_latency_seconds_count {}\n", latency_count_);
  out += "# HELP custos_http_requests_total HTTP requests by route and status.\n";
  out += "# TYPE custos_http_requests_total counter\n";
  for (const auto& [key, n] : http_) {
    out += fmt::format("custos_http_requests_total{{route=\"{}\",status=\"{}\"}} {}\n", key.first,
                       key.second, n);
  }
  return out;
}

}  // namespace custos::app

namespace custos::app {
namespace {

// A Prometheus label value: backslash, quote and newline escaped.
std::string LabelValue(std::string_view v) {
  std::string out;
  for (const char c : v) {
    if (c == '\\' || c == '"') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
  return out;
}

void Gauge(std::string& out, std::string_view name, std::string_view help, std::string_view label,
           const std::map<std::string, int>& values) {
  out += fmt::format("# HELP {} {}\n# TYPE {} gauge\n", name, help, name);
  for (const auto& [key, n] : values) {
    out += fmt::format("{}{{{}=\"{}\"}} {}\n", name, label, LabelValue(key), n);
  }
}

}  // namespace

std::string RenderDeviceMetrics(const devices::ComplianceReport& r) {
  std::string out;
  out += "# HELP custos_devices_enrolled Enrolled devices.\n# TYPE custos_devices_enrolled gauge\n";
  out += fmt::format("custos_devices_enrolled {}\n", r.devices);
  Gauge(out, "custos_devices", "Devices by compliance state.", "state", r.by_state);
  Gauge(out, "custos_devices_lost", "Devices by lost/stolen state.", "lost_state", r.by_lost_state);
  Gauge(out, "custos_device_rule_failing", "Devices failing each device rule.", "rule",
        r.by_failing_rule);
  return out;
}

}  // namespace custos::app
