// SPDX-License-Identifier: Apache-2.0
// Token-shaped secrets: AWS access key ids, GitHub tokens and Slack tokens (see secrets.h).
#include "policy/detectors/secrets.h"

#include <algorithm>
#include <array>
#include <string_view>
#include <vector>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

using internal::IsAlnum;
using internal::IsDigit;
using internal::IsUpper;

constexpr std::size_t kAwsPrefix = 4;
constexpr std::size_t kAwsBody = 16;
constexpr std::size_t kGithubClassicBody = 36;
constexpr std::string_view kGithubPatPrefix = "github_pat_";
constexpr std::size_t kGithubPatBody = 82;
constexpr std::size_t kSlackPrefix = 5;  // "xoxb-"
constexpr std::size_t kSlackMinBody = 10;
constexpr std::size_t kSlackValidBody = 20;
constexpr std::size_t kSlackMinParts = 3;

constexpr std::array<std::string_view, 8> kAwsKeywords = {
    "aws", "amazon", "iam", "access key", "access key id", "secret", "credentials", "key"};

constexpr std::array<std::string_view, 6> kGithubKeywords = {"github", "token",  "pat",
                                                             "git",    "secret", "credentials"};

constexpr std::array<std::string_view, 6> kSlackKeywords = {"slack",   "token",  "bot",
                                                            "webhook", "secret", "api"};

std::size_t RunEnd(std::string_view text, std::size_t pos, bool allow_underscore, bool allow_dash) {
  while (pos < text.size() && (IsAlnum(text[pos]) || (allow_underscore && text[pos] == '_') ||
                               (allow_dash && text[pos] == '-'))) {
    ++pos;
  }
  return pos;
}

bool StartsWithAt(std::string_view text, std::size_t pos, std::string_view prefix) {
  return text.substr(pos, prefix.size()) == prefix;
}

class AwsAccessKeyId final : public Detector {
 public:
  AwsAccessKeyId()
      : Detector(DetectorTraits{.name = "aws_access_key_id",
                                .keywords = kAwsKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kSecretConfidence,
                                .needs = kNeedUpperA}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    for (std::size_t i = 0; i + kAwsPrefix + kAwsBody <= text.size(); ++i) {
      if (text[i] != 'A' || !(StartsWithAt(text, i, "AKIA") || StartsWithAt(text, i, "ASIA")) ||
          !internal::WordStartAt(text, i)) {
        continue;
      }
      const std::size_t end = RunEnd(text, i, false, false);
      if (end - i == kAwsPrefix + kAwsBody && internal::WordEndAt(text, end)) {
        out.push_back({i, end});
      }
    }
  }

  Validity Validate(std::string_view candidate) const override {
    if (candidate.size() != kAwsPrefix + kAwsBody ||
        !(candidate.starts_with("AKIA") || candidate.starts_with("ASIA"))) {
      return Validity::kInvalid;
    }
    bool base32 = true;
    for (char c : candidate.substr(kAwsPrefix)) {
      if (!IsUpper(c) && !IsDigit(c)) {
        return Validity::kInvalid;
      }
      base32 = base32 && (IsUpper(c) || (c >= '2' && c <= '7'));
    }
    return base32 ? Validity::kValid : Validity::kPlausible;
  }
};

class GithubToken final : public Detector {
 public:
  GithubToken()
      : Detector(DetectorTraits{.name = "github_token",
                                .keywords = kGithubKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kSecretConfidence,
                                .needs = kNeedLowerG | kNeedUnderscore}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    for (std::size_t i = text.find('g'); i != std::string_view::npos; i = text.find('g', i + 1)) {
      if (!internal::WordStartAt(text, i) || i + 1 >= text.size() ||
          (text[i + 1] != 'h' && text[i + 1] != 'i')) {
        continue;
      }
      const std::size_t end = RunEnd(text, i, true, false);
      if (Shape(text.substr(i, end - i)) && internal::WordEndAt(text, end)) {
        out.push_back({i, end});
      }
    }
  }

  Validity Validate(std::string_view candidate) const override {
    return Shape(candidate) ? Validity::kValid : Validity::kInvalid;
  }

 private:
  static bool Shape(std::string_view token) {
    if (token.starts_with(kGithubPatPrefix)) {
      const std::string_view body = token.substr(kGithubPatPrefix.size());
      return body.size() == kGithubPatBody && RunEnd(body, 0, true, false) == body.size();
    }
    if (token.size() != 4 + kGithubClassicBody || token[3] != '_' ||
        std::string_view("pousr").find(token[2]) == std::string_view::npos) {
      return false;
    }
    return RunEnd(token, 4, false, false) == token.size();
  }
};

class SlackToken final : public Detector {
 public:
  SlackToken()
      : Detector(DetectorTraits{.name = "slack_token",
                                .keywords = kSlackKeywords,
                                .keyword_window = kDefaultKeywordWindow,
                                .confidence = kSecretConfidence,
                                .needs = kNeedLowerX | kNeedDash}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    for (std::size_t i = text.find("xox"); i != std::string_view::npos;
         i = text.find("xox", i + 1)) {
      if (i + kSlackPrefix > text.size() || !internal::WordStartAt(text, i) ||
          std::string_view("abprs").find(text[i + 3]) == std::string_view::npos ||
          text[i + 4] != '-') {
        continue;
      }
      std::size_t end = RunEnd(text, i + kSlackPrefix, false, true);
      while (end > i + kSlackPrefix && text[end - 1] == '-') {
        --end;
      }
      if (end - i - kSlackPrefix >= kSlackMinBody && internal::WordEndAt(text, end)) {
        out.push_back({i, end});
      }
    }
  }

  Validity Validate(std::string_view candidate) const override {
    if (candidate.size() < kSlackPrefix + kSlackMinBody || !candidate.starts_with("xox") ||
        std::string_view("abprs").find(candidate[3]) == std::string_view::npos ||
        candidate[4] != '-') {
      return Validity::kInvalid;
    }
    const std::string_view body = candidate.substr(kSlackPrefix);
    std::size_t parts = 0;
    bool first_numeric = false;
    std::size_t start = 0;
    while (start <= body.size()) {
      const std::size_t dash = std::min(body.find('-', start), body.size());
      const std::string_view part = body.substr(start, dash - start);
      if (part.empty()) {
        return Validity::kPlausible;
      }
      if (parts == 0) {
        first_numeric = std::all_of(part.begin(), part.end(), [](char c) { return IsDigit(c); });
      }
      ++parts;
      start = dash + 1;
    }
    return parts >= kSlackMinParts && first_numeric && body.size() >= kSlackValidBody
               ? Validity::kValid
               : Validity::kPlausible;
  }
};

}  // namespace

const Detector& AwsAccessKeyIdDetector() {
  static const AwsAccessKeyId* const detector = new AwsAccessKeyId();
  return *detector;
}

const Detector& GithubTokenDetector() {
  static const GithubToken* const detector = new GithubToken();
  return *detector;
}

const Detector& SlackTokenDetector() {
  static const SlackToken* const detector = new SlackToken();
  return *detector;
}

}  // namespace custos::policy
