// NormalizeRecord: the ingest hook.
#include "normalize/record_normalizer.h"

#include <string>

#include "credit/normalize.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace credit {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

v1::Feature* AddFeature(v1::Record* record, v1::Feature::Type type,
                        const std::string& value) {
  v1::Feature* f = record->add_features();
  f->set_type(type);
  f->set_value(value);
  return f;
}

v1::Feature* AddId(v1::Record* record, v1::Feature::IdScheme scheme,
                   const std::string& value) {
  v1::Feature* f = AddFeature(record, v1::Feature::ID, value);
  f->set_scheme(scheme);
  return f;
}

TEST(NormalizeRecordTest, OrgRecord) {
  v1::Record record;
  record.set_entity_kind(v1::ORG);
  AddFeature(&record, v1::Feature::NAME, "腾讯计算机系统（深圳）有限公司");
  AddId(&record, v1::Feature::USCC, "9144030071526726XG");
  AddId(&record, v1::Feature::ORG_CODE, "71526726-X");
  AddId(&record, v1::Feature::REG_NO, "110108000000016");
  AddFeature(&record, v1::Feature::ADDRESS, "深圳市南山区科技中一路腾讯大厦");
  AddFeature(&record, v1::Feature::DOB, "1998年11月11日");
  NormalizeRecord(&record);

  const auto& name = record.features(0).normalized();
  EXPECT_TRUE(name.valid());
  EXPECT_EQ(name.value(), "腾讯计算机系统");
  EXPECT_EQ(name.region(), "深圳市");
  EXPECT_EQ(name.legal_form(), "有限公司");
  EXPECT_EQ(name.pinyin(), "tengxunjisuanjixitong");
  EXPECT_FALSE(name.branch());

  const auto& uscc = record.features(1).normalized();
  EXPECT_TRUE(uscc.valid());
  EXPECT_TRUE(uscc.checksum_verified());
  EXPECT_EQ(uscc.org_code(), "71526726X");
  EXPECT_TRUE(uscc.org_code_verified());

  const auto& org_code = record.features(2).normalized();
  EXPECT_TRUE(org_code.valid());
  EXPECT_TRUE(org_code.checksum_verified());
  EXPECT_EQ(org_code.org_code(), uscc.org_code());

  EXPECT_TRUE(record.features(3).normalized().checksum_verified());

  const auto& address = record.features(4).normalized();
  EXPECT_EQ(address.province(), "广东省");
  EXPECT_EQ(address.city(), "深圳市");
  EXPECT_EQ(address.district(), "南山区");

  const auto& dob = record.features(5).normalized();
  EXPECT_EQ(dob.value(), "1998-11-11");
  EXPECT_EQ(dob.date().year(), 1998);
}

TEST(NormalizeRecordTest, PersonRecord) {
  v1::Record record;
  record.set_entity_kind(v1::PERSON);
  AddFeature(&record, v1::Feature::NAME, "歐陽修");
  AddId(&record, v1::Feature::RESIDENT_ID, "110105491231002");
  AddFeature(&record, v1::Feature::PHONE, "+86 138 1234 5678");
  AddFeature(&record, v1::Feature::EMAIL, "OuYang@Example.com");
  v1::Feature* parts = record.add_features();
  parts->set_type(v1::Feature::NAME);
  parts->set_given("John");
  parts->set_family("Smith");
  AddFeature(&record, v1::Feature::ATTRIBUTE, "ＭＡＬＥ");
  NormalizeRecord(&record);

  const auto& name = record.features(0).normalized();
  EXPECT_EQ(name.value(), "欧阳修");
  EXPECT_EQ(name.family(), "欧阳");
  EXPECT_EQ(name.given(), "修");
  EXPECT_EQ(name.pinyin(), "ouyangxiu");
  EXPECT_THAT(name.tokens(), ElementsAre("欧阳", "修"));

  const auto& id = record.features(1).normalized();
  EXPECT_TRUE(id.valid());
  EXPECT_TRUE(id.checksum_verified());
  EXPECT_EQ(id.value(), "11010519491231002X");
  EXPECT_EQ(id.derived_dob().year(), 1949);
  EXPECT_EQ(id.derived_dob().month(), 12);
  EXPECT_EQ(id.derived_dob().day(), 31);
  EXPECT_EQ(id.derived_sex(), "F");
  EXPECT_EQ(id.holder(), "mainland");

  EXPECT_EQ(record.features(2).normalized().value(), "13812345678");
  EXPECT_EQ(record.features(3).normalized().value(), "ouyang@example.com");
  EXPECT_EQ(record.features(4).normalized().value(), "smith john");
  EXPECT_EQ(record.features(4).normalized().family(), "smith");
  EXPECT_EQ(record.features(5).normalized().value(), "male");
}

TEST(NormalizeRecordTest, InvalidValuesAreKeptWithTheirError) {
  v1::Record record;
  record.set_entity_kind(v1::ORG);
  AddId(&record, v1::Feature::USCC, "914403001922038217");
  AddFeature(&record, v1::Feature::DOB, "2023-02-30");
  AddFeature(&record, v1::Feature::PHONE, "12345");
  AddFeature(&record, v1::Feature::EMAIL, "foo@bar");
  AddFeature(&record, v1::Feature::NAME, "");
  record.add_features();  // TYPE_UNSPECIFIED
  NormalizeRecord(&record);
  ASSERT_EQ(record.features_size(), 6);
  for (const auto& f : record.features()) {
    EXPECT_FALSE(f.normalized().valid()) << f.DebugString();
    EXPECT_FALSE(f.normalized().error().empty()) << f.DebugString();
  }
  EXPECT_EQ(record.features(0).normalized().error(),
            "USCC 914403001922038217: check character is '7', expected '6'");
  EXPECT_THAT(record.features(1).normalized().error(),
              HasSubstr("day 30 does not exist"));
  EXPECT_EQ(record.features(0).value(), "914403001922038217");
}

TEST(NormalizeRecordTest, AcceptUnverifiedKeepsLegacyIdsValid) {
  v1::Record record;
  record.set_entity_kind(v1::ORG);
  AddId(&record, v1::Feature::USCC, "91350211M00013FA1N")
      ->set_accept_unverified(true);
  AddId(&record, v1::Feature::USCC, "91350211M00013FA1N");
  NormalizeRecord(&record);
  const auto& legacy = record.features(0).normalized();
  EXPECT_TRUE(legacy.valid());
  EXPECT_FALSE(legacy.checksum_verified());
  EXPECT_EQ(legacy.value(), "91350211M00013FA1N");
  EXPECT_EQ(legacy.org_code(), "M00013FA1");
  EXPECT_THAT(legacy.error(), HasSubstr("legacy, unverified"));
  EXPECT_FALSE(record.features(1).normalized().valid());
}

TEST(NormalizeRecordTest, ExcelSerialDates) {
  v1::Record record;
  AddFeature(&record, v1::Feature::DOB, "45047")->set_date_format(
      "EXCEL_SERIAL");
  AddFeature(&record, v1::Feature::DOB, "45047");
  AddFeature(&record, v1::Feature::DOB, "1990-05");
  NormalizeRecord(&record);
  EXPECT_EQ(record.features(0).normalized().value(), "2023-05-01");
  EXPECT_FALSE(record.features(1).normalized().valid());
  EXPECT_EQ(record.features(2).normalized().value(), "1990-05");
  EXPECT_EQ(record.features(2).normalized().date().day(), 0);
}

TEST(NormalizeRecordTest, UnspecifiedKindGuessesFromTheName) {
  v1::Record record;
  AddFeature(&record, v1::Feature::NAME, "深圳市腾讯计算机系统有限公司");
  AddFeature(&record, v1::Feature::NAME, "张建新");
  NormalizeRecord(&record);
  EXPECT_EQ(record.features(0).normalized().legal_form(), "有限公司");
  EXPECT_EQ(record.features(1).normalized().family(), "张");
}

TEST(NormalizeRecordTest, ReplacesStaleNormalizedValues) {
  v1::Record record;
  v1::Feature* f = AddFeature(&record, v1::Feature::EMAIL, "A@B.CN");
  f->mutable_normalized()->set_value("stale");
  f->mutable_normalized()->add_tokens("stale");
  NormalizeRecord(&record);
  EXPECT_EQ(record.features(0).normalized().value(), "a@b.cn");
  EXPECT_EQ(record.features(0).normalized().tokens_size(), 0);
}

}  // namespace
}  // namespace credit
