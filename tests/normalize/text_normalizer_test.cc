// NormalizeText, ToSimplified, PinyinKey and their per-thread ICU state.
#include "normalize/text_normalizer.h"

#include <string>
#include <thread>
#include <vector>

#include "credit/normalize.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace credit {
namespace {

struct TextCase {
  std::string input;
  std::string expected;
};

class NormalizeTextTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(NormalizeTextTest, Folds) {
  EXPECT_EQ(NormalizeText(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, NormalizeTextTest,
    ::testing::Values(
        TextCase{"  Hello   World ", "hello world"},
        TextCase{"\tA\nB\r\nC", "a b c"},
        TextCase{"ＡＢＣ１２３", "abc123"},
        TextCase{"（深圳）", "(深圳)"},
        TextCase{"【北京】", "[北京]"},
        TextCase{"〔2023〕12号", "(2023)12号"},
        TextCase{"〖注〗", "[注]"},
        TextCase{"约翰・史密斯", "约翰·史密斯"},
        TextCase{"约翰•史密斯", "约翰·史密斯"},
        TextCase{"约翰‧史密斯", "约翰·史密斯"},
        TextCase{"约翰･史密斯", "约翰·史密斯"},
        TextCase{"腾讯\u3000科技", "腾讯 科技"},
        TextCase{"Straße", "strasse"},
        TextCase{"ＡＢＣ　Ｃｏ．，Ｌｔｄ．", "abc co.,ltd."},
        TextCase{"", ""},
        TextCase{"   ", ""},
        TextCase{"ﬁne", "fine"},
        TextCase{"Ⅻ", "xii"},
        TextCase{"soft\u00ADhyphen", "softhyphen"}));

class ToSimplifiedTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(ToSimplifiedTest, MapsCharacterByCharacter) {
  EXPECT_EQ(ToSimplified(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ToSimplifiedTest,
    ::testing::Values(TextCase{"張建新", "张建新"},
                      TextCase{"张建新", "张建新"},
                      TextCase{"廣東省", "广东省"},
                      TextCase{"臺灣", "台湾"},
                      TextCase{"華為技術有限公司", "华为技术有限公司"},
                      TextCase{"歐陽", "欧阳"},
                      TextCase{"abc", "abc"},
                      TextCase{"長沙 ABC", "长沙 ABC"}));

class PinyinKeyTest : public ::testing::TestWithParam<TextCase> {};

TEST_P(PinyinKeyTest, IsToneless) {
  EXPECT_EQ(PinyinKey(GetParam().input), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PinyinKeyTest,
    ::testing::Values(TextCase{"张建新", "zhang jian xin"},
                      TextCase{"張建新", "zhang jian xin"},
                      TextCase{"腾讯", "teng xun"},
                      TextCase{"绿", "lu"},
                      TextCase{"ABC科技", "abc ke ji"},
                      TextCase{"", ""},
                      TextCase{"Hello, World", "hello world"}));

TEST(PinyinKeyTest, NamesStyleUsesSurnameReadings) {
  EXPECT_EQ(PinyinKey("单", PinyinStyle::kName), "shan");
  EXPECT_EQ(PinyinKey("单", PinyinStyle::kGeneral), "dan");
}

TEST(TextNormalizerTest, ThreadsGetTheirOwnIcuObjects) {
  const std::vector<std::string> inputs = {"張建新", "廣東省深圳市", "歐陽修",
                                           "（深圳）有限公司"};
  std::vector<std::string> expected;
  for (const auto& in : inputs) {
    expected.push_back(ToSimplified(NormalizeText(in)) + "|" + PinyinKey(in));
  }
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 50; ++round) {
        for (size_t i = 0; i < inputs.size(); ++i) {
          std::string got = ToSimplified(NormalizeText(inputs[i])) + "|" +
                            PinyinKey(inputs[i]);
          if (got != expected[i]) ++mismatches[t];
        }
      }
    });
  }
  for (auto& thread : threads) thread.join();
  EXPECT_THAT(mismatches, ::testing::Each(0));
}

// Found by the fuzzer: an ill-formed byte before a combining grapheme
// joiner (U+034F) left the joiner in place on the first pass.
TEST(TextNormalizerTest, IsIdempotentAfterIllFormedBytes) {
  const std::string input = "\xe6\xe6\x8f\x8d\xa5\x8f\xcd\xcd\xcd\x8f"
                            "\xe2\x0c\x00\xab\x30\x01";
  std::string once = NormalizeText(input);
  EXPECT_EQ(NormalizeText(once), once);
  EXPECT_EQ(once.find("\xcd\x8f"), std::string::npos);
}

TEST(TextNormalizerTest, InvalidUtf8DoesNotCrash) {
  std::string bad = "abc\xff\xfe\xc3";
  EXPECT_FALSE(NormalizeText(bad).empty());
  EXPECT_FALSE(ToSimplified(bad).empty());
  PinyinKey(bad);
}

}  // namespace
}  // namespace credit
