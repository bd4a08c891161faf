#include "ingest/text_decoder.h"

#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::StatusIs;
using ::testing::HasSubstr;

TEST(FindInvalidUtf8Test, AcceptsValidText) {
  EXPECT_EQ(FindInvalidUtf8(""), std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("plain ascii text, longer than eight bytes"),
            std::string_view::npos);
  EXPECT_EQ(FindInvalidUtf8("深圳市腾讯 𠀀 €"), std::string_view::npos);
}

TEST(FindInvalidUtf8Test, FindsBadBytes) {
  EXPECT_EQ(FindInvalidUtf8("ab\xFF"), 2u);
  EXPECT_EQ(FindInvalidUtf8("abcdefghij\x80"), 10u);   // stray continuation
  EXPECT_EQ(FindInvalidUtf8("x\xC0\xAF"), 1u);         // overlong '/'
  EXPECT_EQ(FindInvalidUtf8("\xED\xA0\x80"), 0u);      // surrogate
  EXPECT_EQ(FindInvalidUtf8("\xF4\x90\x80\x80"), 0u);  // above U+10FFFF
  EXPECT_EQ(FindInvalidUtf8("深\xE5\x9C"), 3u);        // truncated
  EXPECT_EQ(FindInvalidUtf8("\xD5\xC5\xC8\xFD"), 0u);  // GB18030 bytes
}

TEST(TextDecoderTest, CreateAcceptsKnownEncodings) {
  for (const char* name :
       {"", "UTF-8", "utf-8", "utf8", "GB18030", "gb18030"}) {
    CREDIT_EXPECT_OK(TextDecoder::Create(name)) << name;
  }
  EXPECT_THAT(TextDecoder::Create("latin1"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("encoding 'latin1' is not supported")));
}

TEST(TextDecoderTest, Utf8PassesThroughOrFails) {
  auto decoder = TextDecoder::Create("UTF-8");
  CREDIT_ASSERT_OK(decoder);
  std::string out;
  EXPECT_TRUE(decoder->Decode("张三", &out));
  EXPECT_EQ(out, "张三");
  size_t offset = 99;
  EXPECT_FALSE(decoder->Decode("ok\xFE", &out, &offset));
  EXPECT_EQ(offset, 2u);
}

TEST(TextDecoderTest, Gb18030ConvertsToUtf8) {
  auto decoder = TextDecoder::Create("GB18030");
  CREDIT_ASSERT_OK(decoder);
  EXPECT_TRUE(decoder->is_gb18030());
  std::string out;
  ASSERT_TRUE(decoder->Decode("\xD5\xC5\xC8\xFD", &out));  // 张三
  EXPECT_EQ(out, "张三");
  // Four-byte sequence (U+20000) and the euro sign.
  ASSERT_TRUE(decoder->Decode("\x95\x32\x82\x36\xA2\xE3", &out));
  EXPECT_EQ(out, "𠀀€");
  ASSERT_TRUE(decoder->Decode("abc", &out));
  EXPECT_EQ(out, "abc");
  ASSERT_TRUE(decoder->Decode("", &out));
  EXPECT_EQ(out, "");
}

TEST(TextDecoderTest, Gb18030RejectsUndecodableBytesAndRecovers) {
  auto decoder = TextDecoder::Create("GB18030");
  CREDIT_ASSERT_OK(decoder);
  std::string out;
  size_t offset = 99;
  // 0xFF is never valid in GB18030.
  EXPECT_FALSE(decoder->Decode("ab\xFF", &out, &offset));
  EXPECT_EQ(offset, 2u);
  // A lead byte at the end of the field is truncated.
  EXPECT_FALSE(decoder->Decode("\xD5\xC5\xC8", &out, &offset));
  // The converter is reset: the next field decodes.
  ASSERT_TRUE(decoder->Decode("\xD5\xC5", &out));
  EXPECT_EQ(out, "张");
}

TEST(TextDecoderTest, MovedDecoderStillWorks) {
  auto decoder = TextDecoder::Create("GB18030");
  CREDIT_ASSERT_OK(decoder);
  TextDecoder moved = std::move(*decoder);
  std::string out;
  ASSERT_TRUE(moved.Decode("\xD5\xC5", &out));
  EXPECT_EQ(out, "张");
}

}  // namespace
}  // namespace credit
