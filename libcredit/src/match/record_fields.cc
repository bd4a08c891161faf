#include "match/record_fields.h"

#include <algorithm>

namespace credit {
namespace {

std::vector<std::string> SplitSpaces(std::string_view s) {
  std::vector<std::string> out;
  std::size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && s[i] == ' ') ++i;
    std::size_t j = i;
    while (j < s.size() && s[j] != ' ') ++j;
    if (j > i) out.emplace_back(s.substr(i, j - i));
    i = j;
  }
  return out;
}

std::vector<std::string> TokensOf(const v1::NormalizedFeature& n) {
  if (n.tokens_size() > 0) {
    std::vector<std::string> out;
    for (const auto& t : n.tokens()) {
      if (!t.empty()) out.push_back(t);
    }
    return out;
  }
  return SplitSpaces(n.value());
}

bool Usable(const v1::Feature& f) {
  if (!f.has_normalized()) return false;
  if (f.normalized().valid()) return true;
  return f.type() == v1::Feature::ID && f.accept_unverified() &&
         !f.normalized().value().empty();
}

}  // namespace

bool IsChecksummedScheme(v1::Feature::IdScheme scheme) {
  return scheme == v1::Feature::USCC || scheme == v1::Feature::RESIDENT_ID ||
         scheme == v1::Feature::ORG_CODE || scheme == v1::Feature::REG_NO;
}

RecordFields ExtractRecordFields(const v1::Record& record) {
  RecordFields out;
  out.kind = record.entity_kind();
  bool have_name = false;
  CompactDate derived_dob;
  for (const v1::Feature& f : record.features()) {
    if (!Usable(f)) continue;
    const v1::NormalizedFeature& n = f.normalized();
    switch (f.type()) {
      case v1::Feature::NAME: {
        if (have_name) break;
        have_name = true;
        if (record.entity_kind() == v1::ORG) {
          out.org_name = n.value();
          out.org_name_tokens = TokensOf(n);
          out.org_pinyin = n.pinyin();
          out.org_region = n.region();
          out.org_branch = n.branch();
        } else {
          out.family = n.family();
          out.given = n.given();
          out.person_name = n.value();
          if (out.person_name.empty()) {
            out.person_name = out.family;
            if (!out.family.empty() && !out.given.empty()) {
              out.person_name += ' ';
            }
            out.person_name += out.given;
          }
          out.person_name_tokens = TokensOf(n);
          if (out.person_name_tokens.empty()) {
            out.person_name_tokens = SplitSpaces(out.person_name);
          }
          out.person_pinyin = n.pinyin();
        }
        break;
      }
      case v1::Feature::ID: {
        if (n.value().empty()) break;
        RecordFields::Id id;
        id.scheme = f.scheme();
        id.value = n.value();
        if (IsChecksummedScheme(f.scheme()) && n.checksum_verified()) {
          out.checked_ids.push_back(id);
          if (!n.org_code().empty() && (f.scheme() == v1::Feature::USCC ||
                                        f.scheme() == v1::Feature::ORG_CODE)) {
            out.org_codes.push_back(n.org_code());
          }
          if (f.scheme() == v1::Feature::RESIDENT_ID && n.has_derived_dob()) {
            derived_dob = ToCompactDate(n.derived_dob());
          }
        } else {
          id.scheme_key = v1::Feature::IdScheme_Name(f.scheme());
          if (f.scheme() == v1::Feature::OTHER ||
              f.scheme() == v1::Feature::ID_SCHEME_UNSPECIFIED) {
            id.scheme_key += ':';
            id.scheme_key += f.scheme_name();
          }
          out.unchecked_ids.push_back(std::move(id));
        }
        break;
      }
      case v1::Feature::DOB:
        if (!out.dob.known()) out.dob = ToCompactDate(n.date());
        break;
      case v1::Feature::ADDRESS: {
        for (std::string& t : TokensOf(n)) {
          out.address_tokens.push_back(std::move(t));
        }
        if (out.address_region.empty()) out.address_region = n.region();
        if (out.address_city.empty()) out.address_city = n.city();
        break;
      }
      case v1::Feature::PHONE:
        if (!n.value().empty()) out.phones.push_back(n.value());
        break;
      case v1::Feature::EMAIL:
        if (!n.value().empty()) out.emails.push_back(n.value());
        break;
      case v1::Feature::ATTRIBUTE:
        if (!f.attribute().empty() && !n.value().empty()) {
          out.attributes.emplace_back(f.attribute(), n.value());
        }
        break;
      default:
        break;
    }
  }
  if (!out.dob.known()) out.dob = derived_dob;
  for (std::size_t i = 0; i < out.address_tokens.size(); ++i) {
    if (i > 0) out.address += ' ';
    out.address += out.address_tokens[i];
  }
  auto dedupe = [](std::vector<std::string>* v) {
    std::sort(v->begin(), v->end());
    v->erase(std::unique(v->begin(), v->end()), v->end());
  };
  dedupe(&out.phones);
  dedupe(&out.emails);
  dedupe(&out.org_codes);
  return out;
}

}  // namespace credit
