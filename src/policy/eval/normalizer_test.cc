// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/normalizer.h"

#include <gtest/gtest.h>

namespace custos::policy::eval {
namespace {

std::string Text(std::string_view s) {
  Normalized n(s, false, false);
  return n.Get(ViewId::kText)->text;
}

std::string Folded(std::string_view s) {
  Normalized n(s, true, false);
  const View* v = n.Get(ViewId::kFolded);
  return v != nullptr ? v->text : n.Get(ViewId::kText)->text;
}

std::string Leet(std::string_view s) {
  Normalized n(s, true, true);
  const View* v = n.Get(ViewId::kLeet);
  return v != nullptr ? v->text : "(none)";
}

// The original text under view range [b, e).
std::string Origin(std::string_view original, const View& v, std::size_t b, std::size_t e) {
  auto [ob, oe] = v.ToOrigin(b, e);
  return std::string(original.substr(ob, oe - ob));
}

TEST(Normalizer, AsciiFastPathLowersAndCollapsesBlanks) {
  EXPECT_EQ(Text("Hello   World\n\tAgain"), "hello world again");
  const std::string s = "A  B";
  Normalized n(s, false, false);
  const View& v = *n.Get(ViewId::kText);
  EXPECT_EQ(v.text, "a b");
  EXPECT_EQ(Origin(s, v, 2, 3), "B");
  EXPECT_EQ(Origin(s, v, 0, 3), "A  B");
}

TEST(Normalizer, NfkcCaseFoldAndInvisibleCharacters) {
  EXPECT_EQ(Text("\xEF\xBC\xA6\xEF\xBD\x95\xEF\xBD\x83\xEF\xBD\x8B"), "fuck");  // full-width
  EXPECT_EQ(Text("f\xE2\x80\x8Bu\xE2\x80\x8C"
                 "ck"),
            "fuck");  // ZWSP, ZWNJ
  EXPECT_EQ(Text("a\xE2\x80\xAE"
                 "b\xE2\x81\xA6"
                 "c"),
            "abc");  // bidi controls
  EXPECT_EQ(Text("STRASSE Stra\xC3\x9F"
                 "e"),
            "strasse strasse");
  EXPECT_EQ(Text("can\xE2\x80\x99t \xE2\x80\x94 risk\xE2\x80\x90"
                 "free"),
            "can't - risk-free");
  EXPECT_EQ(Text("a\xC2\xA0\xC2\xA0"
                 "b"),
            "a b");  // no-break spaces collapse
}

TEST(Normalizer, MapsEveryViewByteBackToTheOriginal) {
  const std::string s = "Xx f\xE2\x80\x8Bu\xEF\xBD\x83k yy";
  Normalized n(s, true, false);
  const View& v = *n.Get(ViewId::kText);
  ASSERT_EQ(v.text, "xx fuck yy");
  EXPECT_EQ(Origin(s, v, 3, 7), "f\xE2\x80\x8Bu\xEF\xBD\x83k");
  EXPECT_EQ(Origin(s, v, 8, 10), "yy");
  EXPECT_EQ(Origin(s, v, 5, 6), "\xEF\xBD\x83");
}

TEST(Normalizer, InvalidUtf8BecomesReplacementCharacters) {
  const std::string s = "ok \xFF\xFE bad";
  Normalized n(s, false, false);
  const View& v = *n.Get(ViewId::kText);
  EXPECT_EQ(v.text, "ok \xEF\xBF\xBD\xEF\xBF\xBD bad");
  EXPECT_EQ(Origin(s, v, 3, 6), "\xFF");
  EXPECT_EQ(Origin(s, v, 10, 13), "bad");
}

TEST(Normalizer, FoldedViewFoldsLookAlikesOnlyInFoldableWords) {
  EXPECT_EQ(Folded("fu\xD1\x81k"), "fuck");  // Cyrillic es
  EXPECT_EQ(Folded("\xD0\xB0ss"), "ass");    // Cyrillic a
  EXPECT_EQ(Folded("f\xC3\xBC"
                   "ck"),
            "fuck");  // u with diaeresis
  EXPECT_EQ(Folded("\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82"),
            "\xD0\xBF\xD1\x80\xD0\xB8\xD0\xB2\xD0\xB5\xD1\x82");  // Russian privet stays
  EXPECT_EQ(Folded("f u c k you"), "fuck you");
  EXPECT_EQ(Folded("f.u.c.k"), "fuck");
  EXPECT_EQ(Folded("s-h-i-t happens"), "shit happens");
  EXPECT_EQ(Folded("a b is fine"), "a b is fine");  // two letters are not joined
}

TEST(Normalizer, FoldedSpansPointAtTheOriginal) {
  const std::string s = "hey F U C K off";
  Normalized n(s, true, false);
  const View& v = *n.Get(ViewId::kFolded);
  ASSERT_EQ(v.text, "hey fuck off");
  EXPECT_EQ(Origin(s, v, 4, 8), "F U C K");
}

TEST(Normalizer, LeetViewReadsDigitsAndSymbolsInsideWords) {
  EXPECT_EQ(Leet("sh1t"), "shit");
  EXPECT_EQ(Leet("a$$ hole"), "ass hole");
  EXPECT_EQ(Leet("b!tch!"), "bitch!");
  EXPECT_EQ(Leet("call 0800 now"), "(none)");  // digits without letters stay
  EXPECT_EQ(Leet("$100"), "(none)");
}

TEST(Normalizer, TermsNormaliseLikeText) {
  EXPECT_EQ(NormalizeTerm("  Can\xE2\x80\x99T  Lose "), "can't lose");
  EXPECT_EQ(FoldTerm("arschl\xC3\xB6"
                     "cher"),
            "arschlocher");
  EXPECT_EQ(LeetTerm("sh1t"), "shit");
}

TEST(Normalizer, WordStartsCountCjkCharactersAsWords) {
  const std::string s = "ab cd \xE4\xBD\xA0\xE5\xA5\xBD ef";
  Normalized n(s, false, false);
  const std::vector<std::size_t> expected = {0, 3, 6, 9, 13};
  EXPECT_EQ(n.WordStarts(), expected);
}

TEST(Normalizer, DetectorViewKeepsCaseAndDropsInvisibles) {
  const std::string s = "AKIA\xE2\x80\x8B\xEF\xBC\x91\xEF\xBC\x92";
  Normalized n(s, false, false);
  EXPECT_EQ(n.DetectorText(), "AKIA12");
  auto [b, e] = n.DetectorToOrigin(4, 6);
  EXPECT_EQ(s.substr(b, e - b), "\xEF\xBC\x91\xEF\xBC\x92");
}

}  // namespace
}  // namespace custos::policy::eval
