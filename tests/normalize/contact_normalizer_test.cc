// Addresses, phones and emails.
#include <string>
#include <vector>

#include "credit/normalize.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::StatusIs;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;

struct AddressCase {
  std::string input;
  std::string key;
  std::string province;
  std::string city;
  std::string district;
};

class AddressTest : public ::testing::TestWithParam<AddressCase> {};

TEST_P(AddressTest, RecognisesDivisions) {
  const AddressCase& c = GetParam();
  Address address = NormalizeAddress(c.input);
  EXPECT_EQ(address.key, c.key);
  EXPECT_EQ(address.province, c.province);
  EXPECT_EQ(address.city, c.city);
  EXPECT_EQ(address.district, c.district);
}

INSTANTIATE_TEST_SUITE_P(
    Cjk, AddressTest,
    ::testing::Values(
        AddressCase{"广东省深圳市南山区科技中一路腾讯大厦35层",
                    "广东省深圳市南山区科技中一路腾讯大厦35层", "广东省",
                    "深圳市", "南山区"},
        AddressCase{"深圳南山区深南大道10000号",
                    "广东省深圳市南山区深南大道10000号", "广东省", "深圳市",
                    "南山区"},
        AddressCase{"广东深圳南山区深南大道10000号",
                    "广东省深圳市南山区深南大道10000号", "广东省", "深圳市",
                    "南山区"},
        AddressCase{"中国广东省深圳市南山区深南大道１００００号",
                    "广东省深圳市南山区深南大道10000号", "广东省", "深圳市",
                    "南山区"},
        AddressCase{"廣東省深圳市南山區深南大道10000號",
                    "广东省深圳市南山区深南大道10000号", "广东省", "深圳市",
                    "南山区"},
        AddressCase{"北京市朝阳区建国路88号", "北京市朝阳区建国路88号",
                    "北京市", "北京市", "朝阳区"},
        AddressCase{"北京朝阳区建国路88号", "北京市朝阳区建国路88号",
                    "北京市", "北京市", "朝阳区"},
        AddressCase{"朝阳区建国路88号", "北京市朝阳区建国路88号", "北京市",
                    "北京市", "朝阳区"},
        AddressCase{"辽宁省朝阳市双塔区", "辽宁省朝阳市双塔区", "辽宁省",
                    "朝阳市", ""},
        AddressCase{"上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号",
                    "上海市", "上海市", "浦东新区"},
        AddressCase{"吉林市船营区", "吉林省吉林市船营区", "吉林省", "吉林市",
                    ""},
        AddressCase{"吉林长春", "吉林省长春市", "吉林省", "长春市", ""},
        AddressCase{"重庆市渝中区解放碑", "重庆市渝中区解放碑", "重庆市",
                    "重庆市", "渝中区"},
        AddressCase{"新疆乌鲁木齐市", "新疆维吾尔自治区乌鲁木齐市",
                    "新疆维吾尔自治区", "乌鲁木齐市", ""},
        AddressCase{"杭州市西湖区文三路", "浙江省杭州市西湖区文三路", "浙江省",
                    "杭州市", "西湖区"},
        AddressCase{"鼓楼区中山路1号", "鼓楼区中山路1号", "", "", ""},
        AddressCase{"南京市鼓楼区中山路1号", "江苏省南京市鼓楼区中山路1号",
                    "江苏省", "南京市", "鼓楼区"},
        AddressCase{"某某路 1号", "某某路1号", "", "", ""}));

INSTANTIATE_TEST_SUITE_P(
    Latin, AddressTest,
    ::testing::Values(
        AddressCase{"123 Main St., Springfield", "123 main street springfield",
                    "", "", ""},
        AddressCase{"123 Main Street, Springfield",
                    "123 main street springfield", "", "", ""},
        AddressCase{"5 N Oak Rd Apt 4", "5 north oak road apartment 4", "", "",
                    ""},
        AddressCase{"10 Downing St", "10 downing street", "", "", ""},
        AddressCase{"1600 Pennsylvania Ave NW", "1600 pennsylvania avenue northwest",
                    "", "", ""},
        AddressCase{"Flat 3, 22 Baker St.", "flat 3 22 baker street", "", "",
                    ""},
        AddressCase{"Ste 200, 1 Infinite Loop Blvd",
                    "suite 200 1 infinite loop boulevard", "", "", ""},
        AddressCase{"", "", "", "", ""}));

TEST(AddressTest, RemainderIsTokenized) {
  EXPECT_THAT(NormalizeAddress("深圳市南山区科技中一路腾讯大厦35层").tokens,
              ElementsAreArray({"广东省", "深圳市", "南山区", "科技中一路",
                                "腾讯大厦", "35层"}));
  EXPECT_THAT(NormalizeAddress("北京市朝阳区建国路88号").tokens,
              ElementsAreArray({"北京市", "朝阳区", "建国路", "88号"}));
}

// ------------------------------------------------------------------ phones

struct PhoneCase {
  std::string input;
  std::string canonical;  // "" = invalid
  std::string kind_or_error;
};

class PhoneTest : public ::testing::TestWithParam<PhoneCase> {};

TEST_P(PhoneTest, Normalizes) {
  const PhoneCase& c = GetParam();
  auto phone = NormalizePhone(c.input);
  if (c.canonical.empty()) {
    EXPECT_THAT(phone, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr(c.kind_or_error)));
    return;
  }
  CREDIT_ASSERT_OK(phone);
  EXPECT_EQ(phone->Canonical(), c.canonical);
  EXPECT_EQ(phone->kind, c.kind_or_error);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PhoneTest,
    ::testing::Values(
        PhoneCase{"13812345678", "13812345678", "mobile"},
        PhoneCase{"138 1234 5678", "13812345678", "mobile"},
        PhoneCase{"138-1234-5678", "13812345678", "mobile"},
        PhoneCase{"+86 138 1234 5678", "13812345678", "mobile"},
        PhoneCase{"+86-13812345678", "13812345678", "mobile"},
        PhoneCase{"0086 13812345678", "13812345678", "mobile"},
        PhoneCase{"8613812345678", "13812345678", "mobile"},
        PhoneCase{"１３８１２３４５６７８", "13812345678", "mobile"},
        PhoneCase{"010-12345678", "01012345678", "landline"},
        PhoneCase{"(010)12345678", "01012345678", "landline"},
        PhoneCase{"0755-86013388", "075586013388", "landline"},
        PhoneCase{"0755 8601 3388", "075586013388", "landline"},
        PhoneCase{"+86 755 86013388", "075586013388", "landline"},
        PhoneCase{"+86 10 12345678", "01012345678", "landline"},
        PhoneCase{"0086-755-86013388", "075586013388", "landline"},
        PhoneCase{"020-1234567", "0201234567", "landline"},
        PhoneCase{"0755-86013388 ext 123", "075586013388;ext=123", "landline"},
        PhoneCase{"0755-86013388 转 8001", "075586013388;ext=8001",
                  "landline"},
        PhoneCase{"0755-86013388分机8001", "075586013388;ext=8001",
                  "landline"},
        PhoneCase{"0755-86013388-8001", "075586013388;ext=8001", "landline"},
        PhoneCase{"0755-86013388 x12", "075586013388;ext=12", "landline"},
        PhoneCase{"+86 21 5555 1234-88", "02155551234;ext=88", "landline"},
        PhoneCase{"400-820-5555", "4008205555", "service"},
        PhoneCase{"86013388", "86013388", "local"},
        PhoneCase{"+1 415 555 2671", "+14155552671", "international"},
        PhoneCase{"0044 20 7946 0958", "+442079460958", "international"},
        PhoneCase{"12345", "", "5 digits"},
        PhoneCase{"12012345678", "", "start with 13-19"},
        PhoneCase{"0755-123", "", "needs 7 or 8 more digits"},
        PhoneCase{"phone: 138", "", "is not part of a phone number"},
        PhoneCase{"", "", "phone is empty"},
        PhoneCase{"+1 23", "", "7 to 15 digits after its + prefix"},
        PhoneCase{"00 1234", "", "7 to 15 digits after its 00 prefix"},
        // A form's filler: not read as 00 + an international number.
        PhoneCase{"00000000", "", "a placeholder (every digit is 0)"},
        PhoneCase{"111-1111-1111", "", "a placeholder (every digit is 1)"},
        // Found by the fuzzer: +86 followed by 00… is no landline.
        PhoneCase{"0086001596679198", "", "do not start with 00"}));

// ------------------------------------------------------------------ emails

struct EmailCase {
  std::string input;
  std::string normalized;  // "" = invalid
  std::string error;
};

class EmailTest : public ::testing::TestWithParam<EmailCase> {};

TEST_P(EmailTest, Normalizes) {
  const EmailCase& c = GetParam();
  auto email = NormalizeEmail(c.input);
  if (c.normalized.empty()) {
    EXPECT_THAT(email, StatusIs(absl::StatusCode::kInvalidArgument,
                                HasSubstr(c.error)));
    return;
  }
  CREDIT_ASSERT_OK(email);
  EXPECT_EQ(*email, c.normalized);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, EmailTest,
    ::testing::Values(
        EmailCase{"foo@example.com", "foo@example.com", ""},
        EmailCase{" Foo.Bar@Example.COM ", "foo.bar@example.com", ""},
        EmailCase{"ａｂｃ＠ｅｘａｍｐｌｅ．ｃｎ", "abc@example.cn", ""},
        EmailCase{"a+tag@mail.example.org", "a+tag@mail.example.org", ""},
        EmailCase{"zhang_san@qq.com", "zhang_san@qq.com", ""},
        EmailCase{"foo@bar", "", "domain 'bar' has no dot"},
        EmailCase{"foo.example.com", "", "has no '@'"},
        EmailCase{"a@b@c.com", "", "more than one '@'"},
        EmailCase{"@example.com", "", "nothing before the '@'"},
        EmailCase{"foo@", "", "nothing after the '@'"},
        EmailCase{"foo bar@example.com", "", "contains a space"},
        EmailCase{"foo..bar@example.com", "", "may not lead, trail or repeat"},
        EmailCase{"foo@-example.com", "", "may not start or end with '-'"},
        EmailCase{"foo@example..com", "", "empty or over-long label"},
        EmailCase{"foo@example.c", "", "two or more letters"},
        EmailCase{"foo@example.123", "", "two or more letters"},
        EmailCase{"foo(bar)@example.com", "", "is not allowed before"},
        EmailCase{"foo@exa_mple.com", "", "not allowed in the domain"},
        EmailCase{"", "", "email is empty"}));

}  // namespace
}  // namespace credit
