#include "profile/profile_builder.h"

#include <map>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace credit {
namespace {

v1::Record MakeRecord(std::string source, std::string id, int64_t observed,
                      std::string name, std::string phone = "") {
  v1::Record record;
  record.set_source(std::move(source));
  record.set_record_id(std::move(id));
  record.set_observed_at_micros(observed);
  auto* f = record.add_features();
  f->set_type(v1::Feature::NAME);
  f->set_value(std::move(name));
  if (!phone.empty()) {
    auto* p = record.add_features();
    p->set_type(v1::Feature::PHONE);
    p->set_value(std::move(phone));
  }
  return record;
}

const v1::ProfileAttribute* Find(const v1::Profile& profile,
                                 const std::string& name) {
  for (const auto& attribute : profile.attributes()) {
    if (attribute.name() == name) return &attribute;
  }
  return nullptr;
}

TEST(ProfileBuilderTest, TrustRankWinsAndAlternativesAreKept) {
  v1::Record market = MakeRecord("market", "1", 100, "甲公司");
  v1::Record tax = MakeRecord("tax", "9", 200, "甲公司（旧）");
  v1::Profile profile =
      BuildProfile({&tax, &market}, SourceTrust{{"market", 10}, {"tax", 5}});
  const auto* name = Find(profile, "name");
  ASSERT_NE(name, nullptr);
  ASSERT_EQ(name->values_size(), 1);
  EXPECT_EQ(name->values(0).value(), "甲公司");
  EXPECT_EQ(name->values(0).provenance().rule(), "trust_rank");
  EXPECT_EQ(name->values(0).provenance().record().source(), "market");
  ASSERT_EQ(name->values(0).alternative_values_size(), 1);
  EXPECT_EQ(name->values(0).alternative_values(0), "甲公司（旧）");
  EXPECT_EQ(name->values(0).alternatives(0).record().record_id(), "9");
}

TEST(ProfileBuilderTest, MostRecentThenMostFrequent) {
  v1::Record old_record = MakeRecord("a", "1", 100, "old");
  v1::Record new_record = MakeRecord("a", "2", 200, "new");
  auto recent = BuildProfile({&old_record, &new_record}, {});
  EXPECT_EQ(Find(recent, "name")->values(0).value(), "new");
  EXPECT_EQ(Find(recent, "name")->values(0).provenance().rule(), "most_recent");

  v1::Record x1 = MakeRecord("a", "1", 100, "x");
  v1::Record x2 = MakeRecord("b", "2", 100, "x");
  v1::Record y = MakeRecord("c", "3", 100, "yy");
  auto frequent = BuildProfile({&y, &x1, &x2}, {});
  EXPECT_EQ(Find(frequent, "name")->values(0).value(), "x");
  EXPECT_EQ(Find(frequent, "name")->values(0).provenance().rule(),
            "most_frequent");
}

TEST(ProfileBuilderTest, MultiValuedAttributesKeepEveryDistinctValue) {
  v1::Record a = MakeRecord("a", "1", 100, "n", "13800000001");
  v1::Record b = MakeRecord("b", "2", 100, "n", "13800000002");
  v1::Record c = MakeRecord("c", "3", 100, "n", "13800000001");
  auto profile = BuildProfile({&a, &b, &c}, {});
  const auto* phone = Find(profile, "phone");
  ASSERT_NE(phone, nullptr);
  EXPECT_EQ(phone->values_size(), 2);
  EXPECT_EQ(Find(profile, "name")->values(0).provenance().rule(), "only_value");
}

TEST(ProfileBuilderTest, OrderOfMembersDoesNotChangeTheProfile) {
  v1::Record a = MakeRecord("a", "1", 100, "same-length-1");
  v1::Record b = MakeRecord("b", "2", 100, "same-length-2");
  auto ab = BuildProfile({&a, &b}, {});
  auto ba = BuildProfile({&b, &a}, {});
  EXPECT_EQ(ab.SerializeAsString(), ba.SerializeAsString());
}

TEST(ProfileBuilderTest, NamesAndAttributesReadAsWrittenIdsAsNormalized) {
  v1::Record record = MakeRecord("market", "1", 100,
                                 " 杭州市德星光文化传媒有限责任公司\u3000");
  record.mutable_features(0)->mutable_normalized()->set_value("德星光文化传媒");
  record.mutable_features(0)->mutable_normalized()->set_valid(true);
  auto* industry = record.add_features();
  industry->set_type(v1::Feature::ATTRIBUTE);
  industry->set_attribute("industry_code");
  industry->set_value("R8610");
  industry->mutable_normalized()->set_value("r8610");
  industry->mutable_normalized()->set_valid(true);
  auto add_uscc = [&](const std::string& value, bool valid) {
    auto* id = record.add_features();
    id->set_type(v1::Feature::ID);
    id->set_scheme(v1::Feature::USCC);
    id->set_value(value);
    id->mutable_normalized()->set_value(valid ? value : "");
    id->mutable_normalized()->set_valid(valid);
  };
  add_uscc("91330106MA00TL2PXR", true);
  add_uscc("91330106MA00TL2DXR", false);  // fails the check
  const v1::Profile profile = BuildProfile({&record}, {});
  EXPECT_EQ(Find(profile, "name")->values(0).value(),
            "杭州市德星光文化传媒有限责任公司");
  EXPECT_EQ(Find(profile, "attr:industry_code")->values(0).value(), "R8610");
  const auto* ids = Find(profile, "id:USCC");
  ASSERT_EQ(ids->values_size(), 2);
  std::map<std::string, std::string> rule_of;
  for (const auto& value : ids->values()) {
    rule_of[value.value()] = value.provenance().rule();
  }
  EXPECT_EQ(rule_of["91330106MA00TL2PXR"], "distinct_value");
  EXPECT_EQ(rule_of["91330106MA00TL2DXR"], "unverified_value");
}

TEST(ProfileBuilderTest, AttributeNames) {
  v1::Feature id;
  id.set_type(v1::Feature::ID);
  id.set_scheme(v1::Feature::USCC);
  EXPECT_EQ(ProfileAttributeName(id), "id:USCC");
  id.set_scheme(v1::Feature::OTHER);
  id.set_scheme_name("soc_sec_id");
  EXPECT_EQ(ProfileAttributeName(id), "id:soc_sec_id");
  v1::Feature attribute;
  attribute.set_type(v1::Feature::ATTRIBUTE);
  attribute.set_attribute("gender");
  EXPECT_EQ(ProfileAttributeName(attribute), "attr:gender");
}

}  // namespace
}  // namespace credit
