// SPDX-License-Identifier: Apache-2.0
// One test per operator of the condition language, against small packs.
#include <gtest/gtest.h>

#include "core/time.h"
#include "policy/policy.h"

namespace custos::policy {
namespace {

constexpr const char* kLists = R"(
- pack: t
  work_hours: {days: [mon, tue, wed, thu, fri], start: "09:00", end: "17:00",
               timezone: America/New_York}
  internal_domains: [acme.example]
- list: promise
  items: ["guarantee*", promise]
- list: returns
  items: [returns, "profit*"]
- list: channels
  items: [WhatsApp, telegram]
- list: german
  items: ["*arschloch"]
- list: cjk
  items: ["\u50bb\u903c"]
- macro: outbound_external
  condition: direction == outbound and counterparty.external
)";

// A pack with one rule `r` whose condition is `condition`.
class Cond {
 public:
  explicit Cond(const std::string& condition, const std::string& extra = "",
                const LoadOptions& options = {}) {
    const std::string rule = "- rule: r\n  clause: \"1.1 test\"\n  condition: '" + condition +
                             "'\n  severity: high\n  action: block\n" + extra;
    result_ = LoadPackFromFiles({{"p.yaml", std::string(kLists) + rule}}, options);
    EXPECT_TRUE(result_.ok()) << condition << "\n" << result_.diagnostics.ToText();
  }

  bool Hits(const Facts& facts) const {
    return result_.ok() && !result_.pack->Evaluate(facts).hits.empty();
  }

  bool Hits(const std::string& text) const {
    Facts f;
    f.text = text;
    return Hits(f);
  }

  Verdict Eval(const std::string& text) const {
    Facts f;
    f.text = text;
    return result_.pack->Evaluate(f);
  }

 private:
  LoadResult result_;
};

Facts At(const std::string& rfc3339) {
  Facts f;
  f.sent_at = *core::ParseRfc3339(rfc3339);
  return f;
}

TEST(Evaluator, BooleanOperatorsAndConstants) {
  EXPECT_TRUE(Cond("true").Hits(""));
  EXPECT_FALSE(Cond("false").Hits(""));
  EXPECT_TRUE(Cond("not false and (false or true)").Hits(""));
  EXPECT_FALSE(Cond("not (true or false)").Hits(""));
  EXPECT_TRUE(Cond("text contains \"a\" or text contains \"b\"").Hits("b"));
  EXPECT_FALSE(Cond("text contains \"a\" and text contains \"b\"").Hits("b"));
}

TEST(Evaluator, TextContainsIsASubstringTestOnNormalisedText) {
  const Cond c("text contains \"RISK free\"");
  EXPECT_TRUE(c.Hits("totally risk   FREE!"));
  EXPECT_TRUE(c.Hits("norisk freedom"));
  EXPECT_FALSE(c.Hits("risk-free"));
}

TEST(Evaluator, TextMatchesWholeWordsWithWildcards) {
  const Cond phrase("text matches \"can\\u2019t lose\"");
  EXPECT_TRUE(phrase.Hits("You CAN'T   lose with this"));
  EXPECT_FALSE(phrase.Hits("you can't loser"));
  const Cond list("text matches list:promise");
  EXPECT_TRUE(list.Hits("I guarantee it"));
  EXPECT_TRUE(list.Hits("Guaranteed!"));
  EXPECT_TRUE(list.Hits("a promise"));
  EXPECT_FALSE(list.Hits("promises"));  // no wildcard on promise
  EXPECT_FALSE(list.Hits("unguaranteed"));
  const Cond prefix("text matches list:german");
  EXPECT_TRUE(prefix.Hits("du Riesenarschloch"));
  EXPECT_TRUE(prefix.Hits("Arschloch"));
  EXPECT_FALSE(prefix.Hits("arschlocher"));
}

TEST(Evaluator, CjkTermsMatchAsSubstrings) {
  const Cond c("text matches list:cjk");
  EXPECT_TRUE(c.Hits("\xe4\xbd\xa0\xe6\x98\xaf\xe5\x82\xbb\xe9\x80\xbc\xe5\x90\x97"));
  EXPECT_FALSE(c.Hits("\xe4\xbd\xa0\xe5\xa5\xbd"));
}

TEST(Evaluator, TextRegex) {
  const Cond c("text regex \"guarantee[ds]? +[0-9]+ ?%\"");
  EXPECT_TRUE(c.Hits("We GUARANTEED 12 % a year"));
  EXPECT_FALSE(c.Hits("guarantee twelve percent"));
  const Verdict v = c.Eval("ok, guaranteed 7% here");
  ASSERT_EQ(v.hits.size(), 1u);
  ASSERT_EQ(v.hits[0].evidence.size(), 1u);
  EXPECT_EQ(v.hits[0].evidence[0].text, "guaranteed 7%");
}

TEST(Evaluator, NearCountsWordsBetweenInEitherOrder) {
  const Cond c("near(list:promise, list:returns, 3)");
  EXPECT_TRUE(c.Hits("we guarantee returns"));
  EXPECT_TRUE(c.Hits("we guarantee you will see returns"));        // 3 words between
  EXPECT_FALSE(c.Hits("we guarantee that you will see returns"));  // 4 words between
  EXPECT_TRUE(c.Hits("returns are guaranteed"));
  EXPECT_FALSE(c.Hits("guaranteed"));
  const Cond ordered("onear(list:promise, list:returns, 3)");
  EXPECT_TRUE(ordered.Hits("guaranteed profits"));
  EXPECT_FALSE(ordered.Hits("profits are guaranteed"));
  EXPECT_TRUE(Cond("near(\"risk\", \"free\", 0)").Hits("Risk-free!"));
}

TEST(Evaluator, DetectWithConfidenceLevels) {
  const Cond any("detect(payment_card)");
  EXPECT_TRUE(any.Hits("4111 1111 1111 1111"));
  EXPECT_FALSE(any.Hits("4111 1111 1111 1112"));  // fails Luhn
  const Cond high("detect(payment_card) >= high");
  EXPECT_FALSE(high.Hits("4111 1111 1111 1111"));
  EXPECT_TRUE(high.Hits("my visa card 4111 1111 1111 1111"));
  EXPECT_TRUE(Cond("detect(payment_card) < high").Hits("4111 1111 1111 1111"));
}

TEST(Evaluator, CountDetectorHitsAndTermOccurrences) {
  const Cond two("count(detect(email)) >= 2");
  EXPECT_FALSE(two.Hits("write to a@b.example"));
  EXPECT_TRUE(two.Hits("write to a@b.example or c@d.example"));
  EXPECT_TRUE(Cond("count(detect(email)) == 0").Hits("nothing here"));
  const Cond words("count(list:promise) > 2");
  EXPECT_FALSE(words.Hits("promise promise"));
  EXPECT_TRUE(words.Hits("promise, promise, guaranteed"));
}

TEST(Evaluator, StringFieldsCompareCaseInsensitively) {
  Facts f;
  f.channel = "whatsapp";
  f.sender = "Alice@ACME.example";
  f.sender_group = "sales";
  EXPECT_TRUE(Cond("channel == whatsapp").Hits(f));
  EXPECT_TRUE(Cond("channel == \"WhatsApp\"").Hits(f));
  EXPECT_FALSE(Cond("channel != whatsapp").Hits(f));
  EXPECT_TRUE(Cond("channel in [sms, whatsapp]").Hits(f));
  EXPECT_FALSE(Cond("channel not in [sms, whatsapp]").Hits(f));
  EXPECT_TRUE(Cond("channel in list:channels").Hits(f));
  EXPECT_TRUE(Cond("sender endswith \"@acme.example\"").Hits(f));
  EXPECT_TRUE(Cond("sender startswith \"alice\"").Hits(f));
  EXPECT_TRUE(Cond("sender contains \"ce@ac\"").Hits(f));
  EXPECT_TRUE(Cond("sender glob \"a*@*.example\"").Hits(f));
  EXPECT_TRUE(Cond("sender.group == sales").Hits(f));
}

TEST(Evaluator, DirectionCounterpartyAndMacros) {
  Facts f;
  f.direction = model::Direction::kInbound;
  f.counterparty_external = true;
  f.counterparty_domains = {"gmail.com", "acme.example"};
  EXPECT_TRUE(Cond("direction == inbound").Hits(f));
  EXPECT_TRUE(Cond("direction in [inbound, internal]").Hits(f));
  EXPECT_TRUE(Cond("counterparty.external").Hits(f));
  EXPECT_FALSE(Cond("counterparty.external == false").Hits(f));
  EXPECT_TRUE(Cond("counterparty.domain == \"gmail.com\"").Hits(f));
  EXPECT_TRUE(Cond("counterparty.domain != \"gmail.com\"").Hits(f));  // any value differs
  EXPECT_FALSE(Cond("not (counterparty.domain == \"gmail.com\")").Hits(f));
  EXPECT_FALSE(Cond("outbound_external").Hits(f));
  f.direction = model::Direction::kOutbound;
  EXPECT_TRUE(Cond("outbound_external").Hits(f));
}

TEST(Evaluator, TimeFieldsUseThePackZone) {
  // Monday 2024-03-04 15:00 UTC is 10:00 in New York; 13:00 UTC is 08:00 there.
  EXPECT_TRUE(Cond("time.work_hours").Hits(At("2024-03-04T15:00:00Z")));
  EXPECT_FALSE(Cond("time.work_hours").Hits(At("2024-03-04T13:00:00Z")));
  EXPECT_FALSE(Cond("time.work_hours").Hits(At("2024-03-09T15:00:00Z")));  // Saturday
  EXPECT_TRUE(Cond("time.hour == 10").Hits(At("2024-03-04T15:00:00Z")));
  EXPECT_TRUE(Cond("time.weekday == sat").Hits(At("2024-03-09T15:00:00Z")));
  Facts overridden = At("2024-03-09T15:00:00Z");
  overridden.work_hours = true;
  EXPECT_TRUE(Cond("time.work_hours").Hits(overridden));
  EXPECT_FALSE(Cond("time.hour >= 0").Hits(Facts{}));  // no time: never true
}

TEST(Evaluator, AttachmentAndSizeFields) {
  Facts f;
  f.attachments = {{"report.PDF", "application/pdf", 2'000'000},
                   {"clip.mov", "video/quicktime", 30'000'000}};
  f.text = "h\xC3\xA9llo";
  f.participants = 12;
  EXPECT_TRUE(Cond("attachment.size > 25MB").Hits(f));
  EXPECT_FALSE(Cond("attachment.size > 30MB").Hits(f));
  EXPECT_TRUE(Cond("attachment.size <= 2MB").Hits(f));
  EXPECT_TRUE(Cond("attachment.mime startswith \"video/\"").Hits(f));
  EXPECT_TRUE(Cond("attachment.mime glob \"application/*\"").Hits(f));
  EXPECT_TRUE(Cond("attachment.name endswith \".pdf\"").Hits(f));
  EXPECT_TRUE(Cond("attachment.count == 2").Hits(f));
  EXPECT_TRUE(Cond("message.length == 5").Hits(f));
  EXPECT_TRUE(Cond("conversation.participants > 10").Hits(f));
  EXPECT_FALSE(Cond("attachment.mime == \"image/png\"").Hits(Facts{}));  // no attachments
}

TEST(Evaluator, ScopeAndExceptionsLimitARule) {
  const std::string extra =
      R"(  scope: {channels: [sms], direction: [outbound], groups: [sales], hours: work}
  exceptions:
    - name: desk
      condition: sender.group == "sales" and text contains "approved"
)";
  const Cond c("text contains \"x\"", extra);
  Facts f;
  f.text = "x";
  f.channel = "sms";
  f.sender_group = "sales";
  f.work_hours = true;
  EXPECT_TRUE(c.Hits(f));
  f.text = "x approved";
  EXPECT_FALSE(c.Hits(f));
  f.text = "x";
  f.channel = "whatsapp";
  EXPECT_FALSE(c.Hits(f));
  f.channel = "sms";
  f.sender_group = "ops";
  EXPECT_FALSE(c.Hits(f));
  f.sender_group = "sales";
  f.work_hours = false;
  EXPECT_FALSE(c.Hits(f));
}

TEST(Evaluator, EvidencePointsIntoTheOriginalText) {
  const Cond c("text matches list:promise and detect(payment_card)");
  const std::string text = "I GUARANTEE it \xE2\x80\x94 card 4111\xE2\x80\x8B 1111 1111 1111";
  const Verdict v = c.Eval(text);
  ASSERT_EQ(v.hits.size(), 1u);
  const RuleHit& hit = v.hits[0];
  EXPECT_EQ(hit.rule_id, "r");
  EXPECT_EQ(hit.clause, "1.1 test");
  EXPECT_EQ(hit.action, Action::kBlock);
  ASSERT_EQ(hit.evidence.size(), 2u);
  EXPECT_EQ(text.substr(hit.evidence[0].begin, hit.evidence[0].end - hit.evidence[0].begin),
            "GUARANTEE");
  EXPECT_EQ(hit.evidence[0].source, "list:promise");
  EXPECT_EQ(text.substr(hit.evidence[1].begin, hit.evidence[1].end - hit.evidence[1].begin),
            "4111\xE2\x80\x8B 1111 1111 1111");
  EXPECT_TRUE(hit.evidence[1].masked);
  EXPECT_EQ(hit.evidence[1].text, "**** **** **** 1111");
  EXPECT_EQ(hit.evidence[1].confidence, Confidence::kHigh);  // "card" is a keyword
  EXPECT_EQ(v.action, Action::kBlock);
  EXPECT_EQ(v.pack_version.size(), 64u);
}

TEST(Evaluator, TheStrictestActionWinsAndDisabledRulesNeverHit) {
  const LoadResult r = LoadPackFromFiles({{"p.yaml", R"(
- rule: a
  clause: a
  condition: text contains "x"
  severity: low
  action: warn
- rule: b
  clause: b
  condition: text contains "x"
  severity: high
  action: escalate
- rule: c
  clause: c
  condition: text contains "x"
  severity: high
  action: redact
- rule: d
  clause: d
  condition: text contains "x"
  severity: critical
  action: block
  enabled: false
- rule: e
  clause: e
  condition: not (text contains "x")
  severity: info
  action: allow
)"}});
  ASSERT_TRUE(r.ok()) << r.diagnostics.ToText();
  Facts f;
  f.text = "x";
  const Verdict v = r.pack->Evaluate(f);
  EXPECT_EQ(v.RuleIds(), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(v.action, Action::kRedact);
  ASSERT_EQ(v.RedactionSpans().size(), 1u);
  f.text = "y";
  const Verdict other = r.pack->Evaluate(f);
  EXPECT_EQ(other.RuleIds(), std::vector<std::string>{"e"});
  EXPECT_EQ(other.action, Action::kAllow);
}

TEST(Evaluator, CustomDetectorsWithPatternValidatorAndKeywords) {
  const std::string extra = R"(
- detector: staff_id
  pattern: 'EMP-[0-9]{6}'
  validator: luhn
  keywords: [staff number]
  window: 40
  confidence: {valid_with_keyword: high, valid: medium, plausible_with_keyword: none,
               plausible: none}
  mask: false
- detector: strict_card
  based_on: payment_card
  keywords: [cvv]
  confidence: {valid_with_keyword: high, valid: none}
)";
  const Cond staff(
      "detect(staff_id) >= medium and not detect(staff_id) >= high or "
      "detect(strict_card)",
      extra);
  EXPECT_TRUE(staff.Hits("ref emp-000018"));            // Luhn-valid, no keyword: medium
  EXPECT_FALSE(staff.Hits("ref EMP-000017"));           // fails Luhn
  EXPECT_FALSE(staff.Hits("staff number EMP-000018"));  // high
  EXPECT_FALSE(staff.Hits("4111 1111 1111 1111"));
  EXPECT_TRUE(staff.Hits("4111 1111 1111 1111 cvv 123"));
  const Verdict v = staff.Eval("id EMP-000018");
  ASSERT_EQ(v.hits.size(), 1u);
  EXPECT_EQ(v.hits[0].evidence.at(0).text, "EMP-000018");  // mask: false
}

TEST(Evaluator, NaiveAndVectorscanMatchersAgree) {
  const std::string condition =
      "text matches list:promise or text matches list:returns or text contains \"isk\" or "
      "near(list:promise, list:returns, 2) or text matches list:german";
  const Cond hs(condition);
  const Cond naive(condition, "", LoadOptions{false});
  const std::vector<std::string> texts = {"We guarantee returns",
                                          "GUARANTEED profits, risk",
                                          "no promises",
                                          "Arschloch profit",
                                          "risky returns guaranteed guaranteed",
                                          "",
                                          "p r o m i s e",
                                          "promise\xE2\x80\x8B"};
  for (const std::string& t : texts) {
    EXPECT_EQ(hs.Eval(t).ToJson(), naive.Eval(t).ToJson()) << t;
  }
}

}  // namespace
}  // namespace custos::policy
