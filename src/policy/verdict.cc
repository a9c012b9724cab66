// SPDX-License-Identifier: Apache-2.0
#include "policy/verdict.h"

#include <algorithm>

#include "policy/diagnostics.h"

namespace custos::policy {

std::vector<std::string> Verdict::RuleIds() const {
  std::vector<std::string> ids;
  ids.reserve(hits.size());
  for (const RuleHit& hit : hits) {
    ids.push_back(hit.rule_id);
  }
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

std::vector<Span> Verdict::RedactionSpans() const {
  std::vector<Span> spans;
  for (const RuleHit& hit : hits) {
    if (hit.action != Action::kRedact) {
      continue;
    }
    for (const Evidence& e : hit.evidence) {
      if (e.end > e.begin) {
        spans.push_back(Span{e.begin, e.end});
      }
    }
  }
  std::sort(spans.begin(), spans.end(),
            [](const Span& a, const Span& b) { return a.begin < b.begin; });
  std::vector<Span> merged;
  for (const Span& s : spans) {
    if (!merged.empty() && s.begin <= merged.back().end) {
      merged.back().end = std::max(merged.back().end, s.end);
    } else {
      merged.push_back(s);
    }
  }
  return merged;
}

std::string Verdict::ToText() const {
  std::string out = "action: " + std::string(ActionName(action)) + "\n";
  out += "pack: " + pack_version + "\n";
  for (const RuleHit& hit : hits) {
    out += "- " + hit.rule_id + " [" + std::string(SeverityName(hit.severity)) + ", " +
           std::string(ActionName(hit.action)) + "] " + hit.clause + "\n";
    for (const Evidence& e : hit.evidence) {
      out += "    " + std::to_string(e.begin) + ".." + std::to_string(e.end) + " \"" + e.text +
             "\" " + e.source;
      if (e.confidence) {
        out += " (" + std::string(ConfidenceName(*e.confidence)) + ")";
      }
      if (!e.view.empty() && e.view != "text") {
        out += " in the " + e.view + " view";
      }
      out += "\n";
    }
  }
  return out;
}

std::string Verdict::ToJson() const {
  std::string out = "{\"action\":";
  AppendJsonString(out, ActionName(action));
  out += ",\"pack_version\":";
  AppendJsonString(out, pack_version);
  out += ",\"hits\":[";
  for (std::size_t i = 0; i < hits.size(); ++i) {
    const RuleHit& hit = hits[i];
    out += i > 0 ? ",{\"rule\":" : "{\"rule\":";
    AppendJsonString(out, hit.rule_id);
    out += ",\"clause\":";
    AppendJsonString(out, hit.clause);
    out += ",\"severity\":";
    AppendJsonString(out, SeverityName(hit.severity));
    out += ",\"action\":";
    AppendJsonString(out, ActionName(hit.action));
    out += ",\"evidence\":[";
    for (std::size_t j = 0; j < hit.evidence.size(); ++j) {
      const Evidence& e = hit.evidence[j];
      out += j > 0 ? ",{" : "{";
      out += "\"begin\":" + std::to_string(e.begin) + ",\"end\":" + std::to_string(e.end);
      out += ",\"text\":";
      AppendJsonString(out, e.text);
      out += e.masked ? ",\"masked\":true" : ",\"masked\":false";
      out += ",\"source\":";
      AppendJsonString(out, e.source);
      out += ",\"view\":";
      AppendJsonString(out, e.view);
      if (e.confidence) {
        out += ",\"confidence\":";
        AppendJsonString(out, ConfidenceName(*e.confidence));
      }
      out += "}";
    }
    out += "]}";
  }
  out += "]}";
  return out;
}

}  // namespace custos::policy
