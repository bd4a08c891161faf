#include "match/string_comparators.h"

#include <random>
#include <vector>

#include "gtest/gtest.h"

namespace credit {
namespace {

std::u32string U(std::string_view s) { return DecodeUtf8(s); }

TEST(DecodeUtf8Test, DecodesAsciiCjkAndSupplementary) {
  EXPECT_EQ(U("abc"), U"abc");
  EXPECT_EQ(U("王伟"), U"王伟");
  EXPECT_EQ(U("𠀀x"), U"𠀀x");
  std::string back;
  AppendUtf8(U"王伟𠀀", &back);
  EXPECT_EQ(back, "王伟𠀀");
}

TEST(DecodeUtf8Test, InvalidBytesBecomeReplacementCharacters) {
  EXPECT_EQ(DecodeUtf8("a\xff"
                       "b"),
            U"a\uFFFDb");
  EXPECT_EQ(DecodeUtf8("\xe7\x8e"), U"\uFFFD\uFFFD");  // truncated 3-byte
  EXPECT_EQ(DecodeUtf8("\xc0\x80"), U"\uFFFD\uFFFD");  // overlong NUL
}

TEST(JaroWinklerTest, KnownValues) {
  EXPECT_NEAR(JaroWinkler(U"martha", U"marhta"), 0.9611, 1e-4);
  EXPECT_NEAR(JaroWinkler(U"dwayne", U"duane"), 0.84, 1e-4);
  EXPECT_NEAR(JaroWinkler(U"dixon", U"dicksonx"), 0.8133, 1e-4);
  EXPECT_NEAR(Jaro(U"martha", U"marhta"), 0.9444, 1e-4);
  EXPECT_DOUBLE_EQ(JaroWinkler(U"", U""), 1.0);
  EXPECT_DOUBLE_EQ(JaroWinkler(U"abc", U""), 0.0);
  EXPECT_DOUBLE_EQ(JaroWinkler(U"abc", U"xyz"), 0.0);
}

TEST(JaroWinklerTest, ComparesCodePointsNotBytes) {
  // One of two code points agrees in place: Jaro = (1/2 + 1/2 + 1) / 3.
  EXPECT_NEAR(JaroWinkler(U("王伟"), U("王玮")), 2.0 / 3.0, 1e-12);
  // Byte-wise, these share a lead byte; code-point-wise nothing agrees.
  EXPECT_DOUBLE_EQ(JaroWinkler(U("伟"), U("玮")), 0.0);
  EXPECT_GT(JaroWinkler(U("深圳市腾讯计算机系统"), U("深圳市腾迅计算机系统")),
            0.92);
}

TEST(JaroWinklerTest, LongStringsUseTheHeap) {
  std::u32string a(200, U'a'), b(200, U'a');
  b[150] = U'b';
  EXPECT_GT(JaroWinkler(a, b), 0.99);
  EXPECT_LT(JaroWinkler(a, b), 1.0);
}

TEST(DamerauLevenshteinTest, KnownValues) {
  EXPECT_EQ(DamerauLevenshtein(U"kitten", U"sitting"), 3);
  EXPECT_EQ(DamerauLevenshtein(U"abcdef", U"abdcef"), 1);  // transposition
  EXPECT_EQ(DamerauLevenshtein(U"ca", U"abc"), 3);         // OSA, not true DL
  EXPECT_EQ(DamerauLevenshtein(U"", U"abc"), 3);
  EXPECT_EQ(DamerauLevenshtein(U"abc", U"abc"), 0);
  EXPECT_EQ(DamerauLevenshtein(U("北京市海淀区中关村大街"),
                               U("北京市海淀区中关村大道")),
            1);
  EXPECT_EQ(DamerauLevenshtein(U("王伟"), U("伟王")), 1);
}

TEST(DamerauLevenshteinTest, BoundedAgreesWithFullDistance) {
  std::mt19937 rng(7);
  for (int iter = 0; iter < 2000; ++iter) {
    const int la = rng() % (iter < 1000 ? 10 : 90);
    const int lb = rng() % (iter < 1000 ? 10 : 90);
    std::u32string a, b;
    for (int i = 0; i < la; ++i) a.push_back(U'a' + rng() % 3);
    for (int i = 0; i < lb; ++i) b.push_back(U'a' + rng() % 3);
    const int d = DamerauLevenshtein(a, b);
    EXPECT_EQ(d, DamerauLevenshtein(b, a));
    for (int bound : {0, 1, 2, 5}) {
      EXPECT_EQ(DamerauLevenshteinAtMost(a, b, bound), d <= bound)
          << "bound " << bound << " distance " << d;
    }
  }
}

TEST(TokenSetSimilarityTest, Jaccard) {
  std::vector<std::uint64_t> a = {HashToken("john"), HashToken("smith")};
  std::vector<std::uint64_t> b = {HashToken("smith"), HashToken("john")};
  std::vector<std::uint64_t> c = {HashToken("smith"), HashToken("jane"),
                                  HashToken("x")};
  std::sort(a.begin(), a.end());
  std::sort(b.begin(), b.end());
  std::sort(c.begin(), c.end());
  EXPECT_DOUBLE_EQ(TokenSetSimilarity(a, b), 1.0);
  EXPECT_DOUBLE_EQ(TokenSetSimilarity(a, c), 0.25);
  EXPECT_DOUBLE_EQ(TokenSetSimilarity({}, {}), 1.0);
  EXPECT_DOUBLE_EQ(TokenSetSimilarity(a, {}), 0.0);
}

TEST(HashTokenTest, Utf8AndCodePointFormsAgree) {
  EXPECT_EQ(HashToken("王伟"), HashToken(U"王伟"));
  EXPECT_EQ(HashToken("smith"), HashToken(U"smith"));
  EXPECT_NE(HashToken("王伟"), HashToken("王玮"));
}

}  // namespace
}  // namespace credit
