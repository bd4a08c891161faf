// Person and organisation names.
#include <string>
#include <vector>

#include "credit/normalize.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace credit {
namespace {

using ::testing::ElementsAreArray;

struct PersonCase {
  std::string input;
  std::string key;
  std::string family;
  std::string given;
  std::string pinyin;
};

class PersonNameTest : public ::testing::TestWithParam<PersonCase> {};

TEST_P(PersonNameTest, Splits) {
  const PersonCase& c = GetParam();
  PersonName name = NormalizePersonName(c.input);
  EXPECT_EQ(name.key, c.key);
  EXPECT_EQ(name.family, c.family);
  EXPECT_EQ(name.given, c.given);
  EXPECT_EQ(name.pinyin, c.pinyin);
}

INSTANTIATE_TEST_SUITE_P(
    Cjk, PersonNameTest,
    ::testing::Values(
        PersonCase{"张建新", "张建新", "张", "建新", "zhangjianxin"},
        PersonCase{"張建新", "张建新", "张", "建新", "zhangjianxin"},
        PersonCase{"张 建新", "张建新", "张", "建新", "zhangjianxin"},
        PersonCase{" 张建新 ", "张建新", "张", "建新", "zhangjianxin"},
        PersonCase{"欧阳修", "欧阳修", "欧阳", "修", "ouyangxiu"},
        PersonCase{"歐陽修", "欧阳修", "欧阳", "修", "ouyangxiu"},
        PersonCase{"司马光", "司马光", "司马", "光", "simaguang"},
        PersonCase{"诸葛亮", "诸葛亮", "诸葛", "亮", "zhugeliang"},
        PersonCase{"上官婉儿", "上官婉儿", "上官", "婉儿", "shangguanwaner"},
        PersonCase{"司马 光", "司马光", "司马", "光", "simaguang"},
        PersonCase{"王", "王", "王", "", "wang"},
        PersonCase{"单田芳", "单田芳", "单", "田芳", "shantianfang"},
        PersonCase{"约翰·史密斯", "史密斯约翰", "史密斯", "约翰",
                   "shimisiyuehan"},
        PersonCase{"约翰・史密斯", "史密斯约翰", "史密斯", "约翰",
                   "shimisiyuehan"}));

INSTANTIATE_TEST_SUITE_P(
    Latin, PersonNameTest,
    ::testing::Values(
        PersonCase{"John Smith", "smith john", "smith", "john", ""},
        PersonCase{"Smith, John", "smith john", "smith", "john", ""},
        PersonCase{"JOHN SMITH", "smith john", "smith", "john", ""},
        PersonCase{"ZHANG Wei", "zhang wei", "zhang", "wei", ""},
        PersonCase{"Wei Zhang", "zhang wei", "zhang", "wei", ""},
        PersonCase{"José Müller", "muller jose", "muller", "jose", ""},
        PersonCase{"Mary-Jane O'Brien", "obrien mary jane", "obrien",
                   "mary jane", ""},
        PersonCase{"J. R. R. Tolkien", "tolkien j r r", "tolkien", "j r r",
                   ""},
        PersonCase{"Ｊｏｈｎ　Ｓｍｉｔｈ", "smith john", "smith", "john", ""},
        PersonCase{"Madonna", "madonna", "madonna", "", ""}));

INSTANTIATE_TEST_SUITE_P(
    MixedScript, PersonNameTest,
    ::testing::Values(
        PersonCase{"张 Wei", "张 wei", "张", "wei", "zhangwei"},
        PersonCase{"张Wei", "张 wei", "张", "wei", "zhangwei"},
        PersonCase{"Wei 张", "张 wei", "张", "wei", "zhangwei"},
        PersonCase{"欧阳 Nana", "欧阳 nana", "欧阳", "nana", "ouyangnana"},
        PersonCase{"李小明 Tom", "李 小明 tom", "李", "小明 tom",
                   "lixiaomingtom"},
        PersonCase{"Tom 李小明", "李 小明 tom", "李", "小明 tom",
                   "lixiaomingtom"}));

TEST(PersonNameTest, TraditionalAndSimplifiedCompareEqual) {
  EXPECT_EQ(NormalizePersonName("張建新").key, NormalizePersonName("张建新").key);
  EXPECT_EQ(NormalizePersonName("張建新").pinyin,
            NormalizePersonName("张建新").pinyin);
}

TEST(PersonNameTest, PartsMatchFullName) {
  PersonName parts = NormalizePersonNameParts("John", "Smith");
  PersonName full = NormalizePersonName("John Smith");
  EXPECT_EQ(parts.key, full.key);
  EXPECT_EQ(parts.family, "smith");
  PersonName cjk = NormalizePersonNameParts("建新", "張");
  EXPECT_EQ(cjk.key, "张建新");
  EXPECT_EQ(cjk.pinyin, "zhangjianxin");
  EXPECT_EQ(NormalizePersonNameParts("", "Smith").key, "smith");
  EXPECT_EQ(NormalizePersonNameParts("John Smith", "").key, "smith john");
  // One given word with no family name stays a given name.
  PersonName given_only = NormalizePersonNameParts("Daisy", "");
  EXPECT_EQ(given_only.given, "daisy");
  EXPECT_EQ(given_only.family, "");
  EXPECT_EQ(NormalizePersonNameParts("", "").key, "");
}

TEST(PersonNameTest, TokensFamilyFirst) {
  EXPECT_THAT(NormalizePersonName("Mary Jane Smith").tokens,
              ElementsAreArray({"smith", "mary", "jane"}));
  EXPECT_THAT(NormalizePersonName("欧阳修").tokens,
              ElementsAreArray({"欧阳", "修"}));
}

TEST(PersonNameTest, EmptyGivesEmpty) {
  EXPECT_EQ(NormalizePersonName("").key, "");
  EXPECT_EQ(NormalizePersonName(" ,. ").key, "");
}

// ------------------------------------------------------------ org names

struct OrgCase {
  std::string input;
  std::string key;
  std::string region;
  std::string legal_form;
  bool branch;
  std::string branch_name;
};

class OrgNameTest : public ::testing::TestWithParam<OrgCase> {};

TEST_P(OrgNameTest, Separates) {
  const OrgCase& c = GetParam();
  OrgName org = NormalizeOrgName(c.input);
  EXPECT_EQ(org.key, c.key);
  EXPECT_EQ(org.region, c.region);
  EXPECT_EQ(org.legal_form, c.legal_form);
  EXPECT_EQ(org.branch, c.branch);
  EXPECT_EQ(org.branch_name, c.branch_name);
}

INSTANTIATE_TEST_SUITE_P(
    Cjk, OrgNameTest,
    ::testing::Values(
        OrgCase{"深圳市腾讯计算机系统有限公司", "腾讯计算机系统", "深圳市",
                "有限公司", false, ""},
        OrgCase{"腾讯计算机系统（深圳）有限公司", "腾讯计算机系统", "深圳市",
                "有限公司", false, ""},
        OrgCase{"腾讯计算机系统(深圳)有限公司", "腾讯计算机系统", "深圳市",
                "有限公司", false, ""},
        OrgCase{"腾讯计算机系统【深圳】有限公司", "腾讯计算机系统", "深圳市",
                "有限公司", false, ""},
        OrgCase{"深圳腾讯计算机系统有限公司", "腾讯计算机系统", "深圳市",
                "有限公司", false, ""},
        OrgCase{"广东省深圳市南山区某某科技有限公司", "某某科技", "深圳市",
                "有限公司", false, ""},
        OrgCase{"南山区某某科技有限公司", "某某科技", "深圳市", "有限公司",
                false, ""},
        OrgCase{"华为技术有限公司", "华为技术", "", "有限公司", false, ""},
        OrgCase{"華為技術有限公司", "华为技术", "", "有限公司", false, ""},
        OrgCase{"某某有限责任公司", "某某", "", "有限责任公司", false, ""},
        OrgCase{"某某股份有限公司", "某某", "", "股份有限公司", false, ""},
        OrgCase{"某某集团股份有限公司", "某某", "", "集团股份有限公司", false,
                ""},
        OrgCase{"某某集团有限公司", "某某", "", "集团有限公司", false, ""},
        OrgCase{"某某集团", "某某", "", "集团", false, ""},
        OrgCase{"【北京】某某集团股份有限公司", "某某", "北京市",
                "集团股份有限公司", false, ""},
        OrgCase{"某某投资管理中心（有限合伙）", "某某投资管理中心", "",
                "(有限合伙)", false, ""},
        OrgCase{"某某会计师事务所（特殊普通合伙）", "某某会计师事务所", "",
                "(特殊普通合伙)", false, ""},
        OrgCase{"中国平安财产保险股份有限公司深圳分公司",
                "中国平安财产保险 深圳分公司", "", "股份有限公司", true,
                "深圳"},
        OrgCase{"某某科技有限公司分公司", "某某科技 分公司", "", "有限公司",
                true, ""},
        OrgCase{"招商银行深圳分行", "招商银行 深圳分公司", "", "", true,
                "深圳"},
        OrgCase{"上海银行股份有限公司", "上海银行", "", "股份有限公司", false,
                ""},
        OrgCase{"中山大学", "中山大学", "", "", false, ""},
        OrgCase{"ABC科技 (中国) 有限公司", "abc科技中国", "", "有限公司",
                false, ""},
        OrgCase{"公司", "公司", "", "", false, ""}));

INSTANTIATE_TEST_SUITE_P(
    Latin, OrgNameTest,
    ::testing::Values(
        OrgCase{"Tencent Co., Ltd.", "tencent", "", "co ltd", false, ""},
        OrgCase{"TENCENT CO LTD", "tencent", "", "co ltd", false, ""},
        OrgCase{"Philips N.V.", "philips", "", "nv", false, ""},
        OrgCase{"Siemens GmbH", "siemens", "", "gmbh", false, ""},
        OrgCase{"Acme LLC", "acme", "", "llc", false, ""},
        OrgCase{"Acme, Inc.", "acme", "", "inc", false, ""},
        OrgCase{"Smith & Co.", "smith", "", "& co", false, ""},
        OrgCase{"Big Bank PLC London Branch", "big bank london branch", "",
                "plc", true, "london"},
        OrgCase{"Ｓｉｅｍｅｎｓ　ＡＧ", "siemens", "", "ag", false, ""},
        OrgCase{"Limited", "limited", "", "", false, ""}));

TEST(OrgNameTest, RegionFormsCompareEqual) {
  OrgName a = NormalizeOrgName("深圳市腾讯计算机系统有限公司");
  OrgName b = NormalizeOrgName("腾讯计算机系统（深圳）有限公司");
  EXPECT_EQ(a.key, b.key);
  EXPECT_EQ(a.region, b.region);
  EXPECT_EQ(a.pinyin, b.pinyin);
  EXPECT_EQ(a.pinyin, "tengxunjisuanjixitong");
}

TEST(OrgNameTest, BranchNeverEqualsHeadOffice) {
  EXPECT_NE(NormalizeOrgName("中国平安财产保险股份有限公司").key,
            NormalizeOrgName("中国平安财产保险股份有限公司深圳分公司").key);
  EXPECT_EQ(NormalizeOrgName("中国平安财产保险股份有限公司").core,
            NormalizeOrgName("中国平安财产保险股份有限公司深圳分公司").core);
}

struct LooksLikeCase {
  std::string input;
  bool org;
};

class LooksLikeOrgNameTest : public ::testing::TestWithParam<LooksLikeCase> {};

TEST_P(LooksLikeOrgNameTest, Guesses) {
  EXPECT_EQ(LooksLikeOrgName(GetParam().input), GetParam().org);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, LooksLikeOrgNameTest,
    ::testing::Values(LooksLikeCase{"深圳市腾讯计算机系统有限公司", true},
                      LooksLikeCase{"招商银行", true},
                      LooksLikeCase{"张建新", false},
                      LooksLikeCase{"Acme Ltd.", true},
                      LooksLikeCase{"Bank of China", true},
                      LooksLikeCase{"John Smith", false}));

}  // namespace
}  // namespace credit
