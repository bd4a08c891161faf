#include "mappings.h"

#include <fmt/format.h>

namespace credit::datagen {
namespace {

constexpr std::string_view kMarketColumns[] = {
    "记录编号", "事项类型",     "名称",       "统一社会信用代码",
    "注册号",   "法定代表人",   "住所",       "成立日期",
    "电话",     "行业代码",     "登记机关",   "决定文书号",
    "违法行为", "处罚决定日期", "罚款金额",   "处罚等级",
    "处罚状态", "公示截止日期", "许可证名称", "许可证编号",
    "许可日期", "许可有效期至", "表彰名称",   "表彰日期"};
constexpr std::string_view kTaxColumns[] = {
    "记录编号", "纳税人识别号", "纳税人名称",   "法定代表人", "地址",
    "电话",     "评价年度",     "纳税信用级别", "评价日期",   "税种",
    "欠税金额", "欠税状态",     "欠税发生日期"};
constexpr std::string_view kCourtColumns[] = {
    "案号",       "案件类型", "主体类型",   "被执行人",    "统一社会信用代码",
    "身份证号码", "性别",     "法定代表人", "执行法院",    "执行标的",
    "履行情况",   "立案日期", "发布日期",   "公示截止日期"};
constexpr std::string_view kEnvironmentColumns[] = {
    "处罚决定书文号", "单位名称", "统一社会信用代码", "法定代表人",
    "地址",           "违法类型", "处罚日期",         "罚款金额",
    "严重程度",       "执行情况", "公示截止日期",     "处罚机关"};
constexpr std::string_view kSocialColumns[] = {
    "记录编号", "姓名", "身份证号", "性别",
    "出生日期", "电话", "单位名称", "户籍地址"};

constexpr std::string_view kMarketMapping = R"json({
  "source": "market",
  "displayName": "市场监督管理局 企业登记、行政处罚、行政许可与表彰",
  "trustRank": 100,
  "format": "CSV",
  "encoding": "UTF-8",
  "trimSpaces": true,
  "recordId": "记录编号",
  "entityKind": "ORG",
  "features": [
    {"type": "NAME", "columns": ["名称"]},
    {"type": "ID", "scheme": "USCC", "columns": ["统一社会信用代码"], "acceptUnverified": false},
    {"type": "ID", "scheme": "REG_NO", "columns": ["注册号"], "acceptUnverified": false},
    {"type": "ATTRIBUTE", "name": "legal_representative", "columns": ["法定代表人"]},
    {"type": "ADDRESS", "columns": ["住所"]},
    {"type": "DOB", "columns": ["成立日期"]},
    {"type": "PHONE", "columns": ["电话"]},
    {"type": "ATTRIBUTE", "name": "industry_code", "columns": ["行业代码"]}
  ],
  "facts": [
    {
      "kind": "administrative_penalty",
      "whenPresent": "处罚决定日期",
      "occurredAt": "处罚决定日期",
      "amount": "罚款金额",
      "severity": "处罚等级",
      "status": "处罚状态",
      "statusValues": {"未履行": "ACTIVE", "已履行": "RESOLVED", "复议中": "DISPUTED", "信用修复": "REPAIRED"},
      "publishUntil": "公示截止日期",
      "attributes": ["决定文书号", "违法行为", "登记机关"]
    },
    {
      "kind": "license",
      "whenPresent": "许可日期",
      "occurredAt": "许可日期",
      "publishUntil": "许可有效期至",
      "attributes": ["许可证名称", "许可证编号", "登记机关"]
    },
    {
      "kind": "commendation",
      "whenPresent": "表彰日期",
      "occurredAt": "表彰日期",
      "attributes": ["表彰名称", "登记机关"]
    }
  ]
}
)json";

constexpr std::string_view kTaxMapping = R"json({
  "source": "tax",
  "displayName": "税务局 纳税信用评价与欠税公告",
  "trustRank": 80,
  "format": "CSV",
  "encoding": "UTF-8",
  "trimSpaces": true,
  "recordId": "记录编号",
  "entityKind": "ORG",
  "features": [
    {"type": "NAME", "columns": ["纳税人名称"]},
    {"type": "ID", "scheme": "USCC", "columns": ["纳税人识别号"], "acceptUnverified": false},
    {"type": "ATTRIBUTE", "name": "legal_representative", "columns": ["法定代表人"]},
    {"type": "ADDRESS", "columns": ["地址"]},
    {"type": "PHONE", "columns": ["电话"]}
  ],
  "facts": [
    {
      "kind": "tax_credit_grade",
      "whenPresent": "纳税信用级别",
      "occurredAt": "评价日期",
      "attributes": ["纳税信用级别", "评价年度"]
    },
    {
      "kind": "tax_arrears",
      "whenPresent": "欠税金额",
      "occurredAt": "欠税发生日期",
      "amount": "欠税金额",
      "status": "欠税状态",
      "statusValues": {"未缴": "ACTIVE", "已缴": "RESOLVED"},
      "attributes": ["税种"]
    }
  ]
}
)json";

constexpr std::string_view kCourtMapping = R"json({
  "source": "court",
  "displayName": "人民法院 裁判文书与失信被执行人名单",
  "trustRank": 70,
  "format": "CSV",
  "encoding": "UTF-8",
  "trimSpaces": true,
  "recordId": "案号",
  "entityKindColumn": "主体类型",
  "entityKindValues": {"企业": "ORG", "个人": "PERSON"},
  "features": [
    {"type": "NAME", "columns": ["被执行人"]},
    {"type": "ID", "scheme": "USCC", "columns": ["统一社会信用代码"], "acceptUnverified": false},
    {"type": "ID", "scheme": "RESIDENT_ID", "columns": ["身份证号码"], "acceptUnverified": false},
    {"type": "ATTRIBUTE", "name": "gender", "columns": ["性别"]},
    {"type": "ATTRIBUTE", "name": "legal_representative", "columns": ["法定代表人"]}
  ],
  "facts": [
    {
      "kindColumn": "案件类型",
      "occurredAt": "立案日期",
      "amount": "执行标的",
      "status": "履行情况",
      "statusValues": {"未履行": "ACTIVE", "已履行": "RESOLVED", "部分履行": "ACTIVE"},
      "publishUntil": "公示截止日期",
      "attributes": ["案号", "执行法院", "发布日期"]
    }
  ]
}
)json";

constexpr std::string_view kEnvironmentMapping = R"json({
  "source": "environment",
  "displayName": "生态环境局 环境行政处罚",
  "trustRank": 50,
  "format": "CSV",
  "encoding": "UTF-8",
  "trimSpaces": true,
  "recordId": "处罚决定书文号",
  "entityKind": "ORG",
  "features": [
    {"type": "NAME", "columns": ["单位名称"]},
    {"type": "ID", "scheme": "USCC", "columns": ["统一社会信用代码"], "acceptUnverified": false},
    {"type": "ATTRIBUTE", "name": "legal_representative", "columns": ["法定代表人"]},
    {"type": "ADDRESS", "columns": ["地址"]}
  ],
  "facts": [
    {
      "kind": "administrative_penalty",
      "occurredAt": "处罚日期",
      "amount": "罚款金额",
      "severity": "严重程度",
      "status": "执行情况",
      "statusValues": {"已执行": "RESOLVED", "未执行": "ACTIVE", "复议中": "DISPUTED", "信用修复": "REPAIRED"},
      "publishUntil": "公示截止日期",
      "attributes": ["处罚决定书文号", "违法类型", "处罚机关"]
    }
  ]
}
)json";

constexpr std::string_view kSocialMapping = R"json({
  "source": "social",
  "displayName": "人力资源和社会保障局 参保人员",
  "trustRank": 60,
  "format": "CSV",
  "encoding": "UTF-8",
  "trimSpaces": true,
  "recordId": "记录编号",
  "entityKind": "PERSON",
  "features": [
    {"type": "NAME", "columns": ["姓名"]},
    {"type": "ID", "scheme": "RESIDENT_ID", "columns": ["身份证号"], "acceptUnverified": false},
    {"type": "ATTRIBUTE", "name": "gender", "columns": ["性别"]},
    {"type": "DOB", "columns": ["出生日期"]},
    {"type": "PHONE", "columns": ["电话"]},
    {"type": "ATTRIBUTE", "name": "employer", "columns": ["单位名称"]},
    {"type": "ADDRESS", "columns": ["户籍地址"]}
  ]
}
)json";

std::string MarketId(uint64_t n, int, const Region&, int) {
  return fmt::format("SJ{:010d}", n);
}
std::string TaxId(uint64_t n, int, const Region&, int) {
  return fmt::format("SW{:010d}", n);
}
std::string SocialId(uint64_t n, int, const Region&, int) {
  return fmt::format("SB{:010d}", n);
}

// Case numbers: （2023）粤0305执1234号 for enforcement (dishonest debtors),
// （2023）粤0305民初1234号 for first-instance civil judgments. The number is
// unique over the file, so the case number is a record id.
std::string CourtId(uint64_t n, int year, const Region& region, int variant) {
  return fmt::format("（{}）{}{}{}{}号", year, region.province,
                     region.code.substr(2), variant == 1 ? "执" : "民初",
                     1000 + n);
}

// Decision numbers: 深环罚〔2024〕0123号.
std::string EnvironmentId(uint64_t n, int year, const Region& region, int) {
  return fmt::format("{}〔{}〕{:04d}号", region.env_abbr, year, n);
}

constexpr SourceSpec kSpecs[] = {
    {kMarket, "market", kMarketColumns, kMarketMapping, &MarketId},
    {kTax, "tax", kTaxColumns, kTaxMapping, &TaxId},
    {kCourt, "court", kCourtColumns, kCourtMapping, &CourtId},
    {kEnvironment, "environment", kEnvironmentColumns, kEnvironmentMapping,
     &EnvironmentId},
    {kSocial, "social", kSocialColumns, kSocialMapping, &SocialId},
};

}  // namespace

std::span<const SourceSpec> SourceSpecs() { return kSpecs; }

}  // namespace credit::datagen
