// Organisation names (NormalizeOrgName, LooksLikeOrgName in
// credit/normalize.h): legal-form suffixes, branch markers, brackets and
// administrative regions (leading or bracketed) are separated from the core
// name so that 深圳市腾讯计算机系统有限公司 and 腾讯计算机系统（深圳）有限公司
// share one key.
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "credit/normalize.h"
#include "normalize/admin_divisions.h"
#include "normalize/text_normalizer.h"

namespace credit {
namespace {

using normalize_internal::AdminDivisions;
using normalize_internal::ContainsHan;
using normalize_internal::Division;
using normalize_internal::NextCodePoint;

// CJK legal forms, longest first so the longest suffix wins.
constexpr std::string_view kCjkLegalForms[] = {
    "特殊普通合伙", "个人独资企业", "股份有限公司", "有限责任公司",
    "股份合作公司", "专业合作社",   "有限合伙",     "普通合伙",
    "合伙企业",     "有限公司",     "股份公司",     "总公司",
    "集团",         "公司"};

// Branch markers: the name is a branch of the organisation before them.
constexpr std::string_view kCjkBranchMarkers[] = {"分公司", "分行", "支行",
                                                  "分店", "分厂", "分所"};

// Generic words that cannot stand as a name once a region is removed
// (上海银行 stays 上海银行).
bool IsGenericCore(std::string_view core) {
  static const auto* kGeneric = new absl::flat_hash_set<std::string>{
      "银行",     "大学",     "学院",     "医院",     "证券",     "保险",
      "电力",     "电信",     "航空",     "铁路",     "机场",     "公交",
      "地铁",     "日报",     "中学",     "小学",     "黄金",     "钢铁",
      "农商银行", "商业银行", "农村商业银行", "人民政府", "人民法院",
      "人民医院", "中心医院", "税务局",   "信用社",   "农村信用社", "电视台",
      "广播电视台", "供电局", "自来水",   "燃气",     "建设",     "投资",
      "发展",     "城投",     "交通",     "水务",     "烟草",     "移动",
      "联通",     "邮政",     "科技",     "实业",     "贸易",     "控股"};
  return core.empty() ||
         kGeneric->contains(absl::string_view(core.data(), core.size()));
}

bool EndsWith(std::string_view s, std::string_view suffix) {
  // The last byte differs for most candidates: test it before comparing.
  return s.size() >= suffix.size() && !suffix.empty() &&
         s.back() == suffix.back() &&
         s.substr(s.size() - suffix.size()) == suffix;
}

// Unifies brackets to ( ) and drops spaces except between ASCII letters or
// digits ("ABC Tech 科技" → "ABC Tech科技").
std::string CompactCjk(std::string_view folded) {
  std::string out;
  out.reserve(folded.size());
  auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
  };
  for (size_t i = 0; i < folded.size(); ++i) {
    char c = folded[i];
    if (c == '[' || c == '{') c = '(';
    if (c == ']' || c == '}') c = ')';
    if (c == ' ') {
      if (!out.empty() && alnum(out.back()) && i + 1 < folded.size() &&
          alnum(folded[i + 1])) {
        out.push_back(' ');
      }
      continue;
    }
    out.push_back(c);
  }
  return out;
}

// Returns the region division named exactly by `text` (full or short name of
// a province or city, full name of a district), or -1.
int RegionNamed(std::string_view text) {
  const AdminDivisions& table = AdminDivisions::Get();
  for (Division::Level level : {Division::kCity, Division::kProvince}) {
    int index = table.Find(text, level);
    if (index >= 0) return index;
  }
  int index = table.Find(text, Division::kDistrict);
  if (index >= 0 && table.at(index).name == text) return index;
  return -1;
}

// Returns the city-level region for a division (a district's city), so that
// regions from 深圳市南山区 and (深圳) agree.
int CityLevel(int index) {
  const AdminDivisions& table = AdminDivisions::Get();
  if (index >= 0 && table.at(index).level == Division::kDistrict) {
    return table.at(index).parent;
  }
  return index;
}

// Returns the byte offset of a trailing region in `text` (the longest one),
// or npos. Used for branch names: 招商银行深圳 → 深圳.
size_t TrailingRegion(std::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    if (RegionNamed(text.substr(pos)) >= 0 && pos > 0) return pos;
    NextCodePoint(text, &pos);
  }
  return std::string_view::npos;
}

void NormalizeCjkOrg(std::string folded, OrgName* org) {
  std::string s = CompactCjk(folded);
  const AdminDivisions& table = AdminDivisions::Get();
  std::vector<std::string> regions;
  int region_index = -1;
  auto note_region = [&](int index) {
    regions.push_back(table.at(index).name);
    if (region_index < 0 ||
        table.at(CityLevel(index)).level >= table.at(region_index).level) {
      region_index = CityLevel(index);
    }
  };

  // Branch marker, then the legal form standing before the branch's name.
  for (std::string_view marker : kCjkBranchMarkers) {
    if (EndsWith(s, marker) && s.size() > marker.size()) {
      org->branch = true;
      s.resize(s.size() - marker.size());
      size_t best_end = std::string::npos;
      for (std::string_view form : kCjkLegalForms) {
        size_t at = s.rfind(form);
        if (at != std::string::npos && at > 0 &&
            (best_end == std::string::npos || at + form.size() > best_end)) {
          best_end = at + form.size();
        }
      }
      if (best_end != std::string::npos) {
        org->branch_name = s.substr(best_end);
        s.resize(best_end);
      } else if (size_t at = TrailingRegion(s); at != std::string::npos) {
        org->branch_name = s.substr(at);
        s.resize(at);
      }
      break;
    }
  }

  // Legal forms and bracketed groups from the end.
  std::string legal_form;
  for (bool changed = true; changed;) {
    changed = false;
    if (!s.empty() && s.back() == ')') {
      size_t open = s.rfind('(');
      if (open != std::string::npos && open > 0) {
        std::string content = s.substr(open + 1, s.size() - open - 2);
        bool is_form = false;
        for (std::string_view form : kCjkLegalForms) {
          if (content == form) is_form = true;
        }
        int region = is_form ? -1 : RegionNamed(content);
        if (is_form) {
          legal_form = "(" + content + ")" + legal_form;
          s.resize(open);
          changed = true;
        } else if (region >= 0) {
          note_region(region);
          s.resize(open);
          changed = true;
        }
      }
      if (changed) continue;
    }
    for (std::string_view form : kCjkLegalForms) {
      if (EndsWith(s, form) && s.size() > form.size()) {
        legal_form = std::string(form) + legal_form;
        s.resize(s.size() - form.size());
        changed = true;
        break;
      }
    }
  }
  org->legal_form = legal_form;

  // Bracketed regions elsewhere: （深圳）腾讯…, 腾讯（深圳）计算机….
  for (size_t search = 0;;) {
    size_t open = s.find('(', search);
    if (open == std::string::npos) break;
    size_t close = s.find(')', open);
    if (close == std::string::npos) break;
    int region =
        RegionNamed(std::string_view(s).substr(open + 1, close - open - 1));
    if (region >= 0 && !(open == 0 && close + 1 == s.size())) {
      note_region(region);
      s.erase(open, close - open + 1);
      search = open;
    } else {
      search = open + 1;
    }
  }

  // Leading regions: province, city, district (广东省深圳市南山区…).
  std::string_view rest = s;
  int province = -1;
  int city = -1;
  std::vector<int> leading;
  size_t consumed = 0;
  auto try_level = [&](Division::Level level, int parent, bool allow_short) {
    AdminDivisions::Match m =
        table.MatchPrefix(rest.substr(consumed), level, parent, allow_short);
    if (m.index < 0) return -1;
    consumed += m.length;
    leading.push_back(m.index);
    return m.index;
  };
  province = try_level(Division::kProvince, -1, true);
  city = try_level(Division::kCity, province, true);
  if (city < 0 && province >= 0) {
    // Municipalities: 北京市 is both.
    city = table.Find(table.at(province).name, Division::kCity);
  }
  try_level(Division::kDistrict, city, false);
  std::string_view core_view = rest.substr(consumed);
  if (!leading.empty() && !core_view.empty() && !IsGenericCore(core_view)) {
    for (int index : leading) note_region(index);
    s = std::string(core_view);
  }

  // Remaining brackets only group words: drop the characters.
  std::string core;
  for (char c : s) {
    if (c != '(' && c != ')') core.push_back(c);
  }
  org->core = core;
  org->key = core;
  if (org->branch) {
    org->key += " " + org->branch_name + "分公司";
  }
  if (region_index >= 0) org->region = table.at(region_index).name;
  for (const std::string& r : regions) org->tokens.push_back(r);
  if (!core.empty()) org->tokens.push_back(core);
  if (!org->branch_name.empty()) org->tokens.push_back(org->branch_name);
  std::string pinyin = PinyinKey(core, PinyinStyle::kGeneral);
  for (char c : pinyin) {
    if (c != ' ') org->pinyin.push_back(c);
  }
}

bool IsLatinLegalForm(std::string_view token) {
  static const auto* kForms = new absl::flat_hash_set<std::string>{
      "co",   "ltd",  "limited", "llc",  "inc", "incorporated", "corp",
      "corporation", "company", "gmbh", "ag", "nv", "bv", "sa", "sas",
      "sarl", "srl",  "spa",  "plc",  "lp",  "llp", "pte", "pty", "kg",
      "oy",   "ab",   "kk",   "bhd",  "sdn", "pllc", "lllp", "ulc", "cic",
      "group", "holdings", "co.ltd", "coltd"};
  return kForms->contains(absl::string_view(token.data(), token.size()));
}

void NormalizeLatinOrg(std::string_view folded, OrgName* org) {
  std::vector<std::string> tokens;
  tokens.reserve(8);
  std::string current;
  auto flush = [&] {
    if (!current.empty()) {
      normalize_internal::StripMarksInPlace(&current);
      tokens.push_back(std::move(current));
    }
    current.clear();
  };
  for (char c : folded) {
    if (c == '.' || c == '\'') continue;  // n.v. → nv, o'neil → oneil
    if (c == ' ' || c == ',' || c == '(' || c == ')' || c == '[' ||
        c == ']' || c == ';' || c == ':' || c == '"' || c == '/') {
      flush();
      continue;
    }
    current.push_back(c);
  }
  flush();
  if (!tokens.empty() && tokens.back() == "branch") {
    org->branch = true;
    tokens.pop_back();
    // The branch's own name follows the last legal form.
    for (size_t i = tokens.size(); i-- > 1;) {
      if (IsLatinLegalForm(tokens[i - 1]) && !IsLatinLegalForm(tokens[i])) {
        std::vector<std::string> branch(tokens.begin() + i, tokens.end());
        for (const std::string& t : branch) {
          if (!org->branch_name.empty()) org->branch_name += " ";
          org->branch_name += t;
        }
        tokens.resize(i);
        break;
      }
    }
  }
  std::vector<std::string> stripped;
  while (tokens.size() > 1 && IsLatinLegalForm(tokens.back())) {
    stripped.insert(stripped.begin(), tokens.back());
    tokens.pop_back();
    if (tokens.size() > 1 && (tokens.back() == "&" || tokens.back() == "and") &&
        stripped.front() == "co") {
      stripped.insert(stripped.begin(), tokens.back());
      tokens.pop_back();
    }
  }
  for (const std::string& t : stripped) {
    if (!org->legal_form.empty()) org->legal_form += " ";
    org->legal_form += t;
  }
  for (const std::string& t : tokens) {
    if (!org->core.empty()) org->core += " ";
    org->core += t;
  }
  org->tokens = tokens;
  if (!org->branch_name.empty()) org->tokens.push_back(org->branch_name);
  org->key = org->core;
  if (org->branch) org->key += " " + org->branch_name + " branch";
}

}  // namespace

OrgName NormalizeOrgName(std::string_view name) {
  OrgName org;
  std::string folded = normalize_internal::FoldForComparison(name);
  if (folded.empty()) return org;
  if (ContainsHan(folded)) {
    NormalizeCjkOrg(std::move(folded), &org);
  } else {
    NormalizeLatinOrg(folded, &org);
  }
  return org;
}

bool LooksLikeOrgName(std::string_view name) {
  std::string folded = normalize_internal::FoldForComparison(name);
  if (ContainsHan(folded)) {
    static constexpr std::string_view kWords[] = {
        "公司", "集团", "银行", "大学", "学院", "医院", "中心", "合作社",
        "事务所", "委员会", "协会", "研究所", "研究院", "学校", "幼儿园",
        "政府", "法院", "检察院", "合伙", "企业", "商行", "门市部", "经营部",
        "工作室", "基金会", "商会", "厂", "局", "店", "馆", "社"};
    for (std::string_view word : kWords) {
      if (folded.find(word) != std::string::npos) return true;
    }
    return false;
  }
  static const auto* kWords = new absl::flat_hash_set<std::string>{
      "bank",     "university", "college",    "hospital", "association",
      "foundation", "institute", "school",    "ministry", "bureau",
      "department", "trust",    "fund",       "partners", "partnership",
      "society",  "agency",     "authority",  "council",  "enterprise",
      "enterprises", "industries", "international", "services", "solutions",
      "technologies", "technology", "trading", "store", "shop", "factory"};
  std::string current;
  bool found = false;
  auto check = [&] {
    if (current.empty()) return;
    if (IsLatinLegalForm(current) ||
        kWords->contains(absl::string_view(current))) {
      found = true;
    }
    current.clear();
  };
  for (char c : folded) {
    if (c == '.') continue;
    if (c == ' ' || c == ',' || c == '(' || c == ')' || c == '&') {
      check();
    } else {
      current.push_back(c);
    }
  }
  check();
  return found;
}

}  // namespace credit
