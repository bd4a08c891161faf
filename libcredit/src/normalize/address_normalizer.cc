// Addresses (NormalizeAddress in credit/normalize.h): CJK addresses are
// anchored on the administrative-division table; Latin ones are tokenized
// with street-type abbreviations folded.
#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "credit/normalize.h"
#include "normalize/admin_divisions.h"
#include "normalize/text_normalizer.h"

namespace credit {
namespace {

using normalize_internal::AdminDivisions;
using normalize_internal::ContainsHan;
using normalize_internal::Division;
using normalize_internal::NextCodePoint;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

// Address units after which a CJK token ends, longest first.
constexpr std::string_view kUnits[] = {
    "街道", "大道", "大街", "小区", "社区", "单元", "号楼", "大厦", "广场",
    "花园", "园区", "公寓", "路",   "街",   "巷",   "弄",   "道",   "号",
    "栋",   "幢",   "座",   "楼",   "层",   "室",   "村",   "镇",   "乡",
    "组",   "区"};

void TokenizeCjkRemainder(std::string_view rest,
                          std::vector<std::string>* tokens) {
  std::string current;
  auto flush = [&] {
    if (!current.empty()) tokens->push_back(current);
    current.clear();
  };
  for (size_t pos = 0; pos < rest.size();) {
    char c = rest[pos];
    if (c == ' ' || c == ',' || c == ';' || c == '(' || c == ')' ||
        c == '#' || c == '/') {
      flush();
      ++pos;
      continue;
    }
    if (StartsWith(rest.substr(pos), "、")) {
      flush();
      pos += std::string_view("、").size();
      continue;
    }
    bool unit = false;
    // Only a handful of characters start a unit; test them first.
    static constexpr std::string_view kUnitStarts =
        "街大小社单号花园公路巷弄道栋幢座楼层室村镇乡组区广";
    size_t probe = pos;
    NextCodePoint(rest, &probe);
    bool may_start_unit =
        probe - pos > 1 &&
        kUnitStarts.find(rest.substr(pos, probe - pos)) != std::string_view::npos;
    for (std::string_view u : kUnits) {
      if (!may_start_unit) break;
      // Every unit starts with a 3-byte character: compare it first.
      if (rest.size() - pos < u.size() || rest[pos + 2] != u[2] ||
          rest[pos + 1] != u[1]) {
        continue;
      }
      if (StartsWith(rest.substr(pos), u)) {
        current.append(u);
        pos += u.size();
        // A unit followed by a digit or another unit is part of a number
        // like 3号楼 (handled by the longer unit) — end the token here.
        flush();
        unit = true;
        break;
      }
    }
    if (unit) continue;
    size_t start = pos;
    NextCodePoint(rest, &pos);
    current.append(rest.substr(start, pos - start));
  }
  flush();
}

void NormalizeCjkAddress(std::string_view folded, Address* address) {
  // Spaces only matter between ASCII letters and digits.
  std::string s;
  for (size_t i = 0; i < folded.size(); ++i) {
    char c = folded[i];
    if (c == ' ') {
      auto alnum = [](char x) {
        return (x >= 'a' && x <= 'z') || (x >= '0' && x <= '9');
      };
      if (!s.empty() && alnum(s.back()) && i + 1 < folded.size() &&
          alnum(folded[i + 1])) {
        s.push_back(' ');
      }
      continue;
    }
    if (c == '[' || c == '{') c = '(';
    if (c == ']' || c == '}') c = ')';
    s.push_back(c);
  }
  address->tokens.reserve(8);
  std::string_view rest = s;
  for (std::string_view country : {"中华人民共和国", "中国"}) {
    if (StartsWith(rest, country)) rest.remove_prefix(country.size());
  }
  const AdminDivisions& table = AdminDivisions::Get();
  auto match = [&](Division::Level level, int parent, bool allow_short) {
    AdminDivisions::Match m = table.MatchPrefix(rest, level, parent, allow_short);
    if (m.index >= 0) rest.remove_prefix(m.length);
    return m.index;
  };
  int province = match(Division::kProvince, -1, true);
  int city = match(Division::kCity, province, true);
  if (city < 0 && province >= 0) {
    city = table.Find(table.at(province).name, Division::kCity);
  }
  if (city >= 0 && table.at(city).name == table.at(table.at(city).parent).name) {
    // 北京市北京市… / 北京市市辖区…
    if (StartsWith(rest, "市辖区")) rest.remove_prefix(std::string_view("市辖区").size());
  }
  int district = match(Division::kDistrict, city, false);
  if (district >= 0 && city < 0) city = table.at(district).parent;
  if (city >= 0 && province < 0) province = table.at(city).parent;
  if (province >= 0) address->province = table.at(province).name;
  if (city >= 0) address->city = table.at(city).name;
  if (district >= 0) address->district = table.at(district).name;

  address->key = address->province;
  if (address->city != address->province) address->key += address->city;
  address->key += address->district;
  for (const std::string* part :
       {&address->province, &address->city, &address->district}) {
    if (part->empty()) continue;
    if (!address->tokens.empty() && address->tokens.back() == *part) continue;
    address->tokens.push_back(*part);
  }
  std::vector<std::string> remainder;
  TokenizeCjkRemainder(rest, &remainder);
  for (std::string& token : remainder) {
    address->key += token;
    address->tokens.push_back(std::move(token));
  }
}

const absl::flat_hash_map<std::string, std::string>& LatinAbbreviations() {
  static const auto* kMap = new absl::flat_hash_map<std::string, std::string>{
      {"st", "street"},     {"str", "street"},    {"rd", "road"},
      {"ave", "avenue"},    {"av", "avenue"},     {"blvd", "boulevard"},
      {"dr", "drive"},      {"ln", "lane"},       {"ct", "court"},
      {"pl", "place"},      {"sq", "square"},     {"hwy", "highway"},
      {"pkwy", "parkway"},  {"ste", "suite"},     {"apt", "apartment"},
      {"fl", "floor"},      {"flr", "floor"},     {"bldg", "building"},
      {"rm", "room"},       {"ctr", "center"},    {"centre", "center"},
      {"dist", "district"}, {"n", "north"},       {"s", "south"},
      {"e", "east"},        {"w", "west"},        {"ne", "northeast"},
      {"nw", "northwest"},  {"se", "southeast"},  {"sw", "southwest"},
      {"mt", "mount"},      {"terr", "terrace"},  {"cres", "crescent"},
      {"hts", "heights"},   {"jct", "junction"},  {"no", "number"},
      {"prov", "province"}, {"rm.", "room"},      {"twr", "tower"},
      {"ind", "industrial"}, {"zn", "zone"},      {"rte", "route"}};
  return *kMap;
}

void NormalizeLatinAddress(std::string_view folded, Address* address) {
  const auto& abbreviations = LatinAbbreviations();
  address->tokens.reserve(8);
  std::string current;
  auto flush = [&] {
    if (current.empty()) return;
    std::string token = std::move(current);
    current.clear();
    normalize_internal::StripMarksInPlace(&token);
    auto it = abbreviations.find(token);
    if (it != abbreviations.end()) token = it->second;
    address->tokens.push_back(token);
  };
  for (char c : folded) {
    if (c == ' ' || c == ',' || c == '.' || c == ';' || c == '(' ||
        c == ')' || c == '#' || c == '/' || c == '"') {
      flush();
    } else if (c != '\'') {
      current.push_back(c);
    }
  }
  flush();
  for (const std::string& token : address->tokens) {
    if (!address->key.empty()) address->key += ' ';
    address->key += token;
  }
}

}  // namespace

Address NormalizeAddress(std::string_view text) {
  Address address;
  std::string folded = normalize_internal::FoldForComparison(text);
  if (folded.empty()) return address;
  if (ContainsHan(folded)) {
    NormalizeCjkAddress(folded, &address);
  } else {
    NormalizeLatinAddress(folded, &address);
  }
  return address;
}

}  // namespace credit
