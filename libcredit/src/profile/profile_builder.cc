#include "profile/profile_builder.h"

#include <algorithm>
#include <tuple>

#include "fmt/format.h"

namespace credit {
namespace {

// One record's offer of one value for one attribute.
struct Offer {
  std::string value;
  const v1::Record* record;
  int trust;
  bool unverified;  // an identifier that failed its check
};

bool IsMultiValued(const v1::Feature& feature) {
  return feature.type() == v1::Feature::ID ||
         feature.type() == v1::Feature::PHONE ||
         feature.type() == v1::Feature::EMAIL;
}

std::string IdSchemeLabel(const v1::Feature& feature) {
  if (feature.scheme() == v1::Feature::OTHER && !feature.scheme_name().empty()) {
    return feature.scheme_name();
  }
  return v1::Feature::IdScheme_Name(feature.scheme());
}

v1::Provenance MakeProvenance(const Offer& offer, std::string_view rule) {
  v1::Provenance provenance;
  provenance.mutable_record()->set_source(offer.record->source());
  provenance.mutable_record()->set_record_id(offer.record->record_id());
  provenance.set_observed_at_micros(offer.record->observed_at_micros());
  provenance.set_rule(std::string(rule));
  return provenance;
}

// Orders offers best first by the cascade and returns the rule that
// separated the winner from the runner-up.
std::string RankOffers(std::vector<Offer>* offers) {
  std::map<std::string, int> frequency;
  for (const auto& offer : *offers) ++frequency[offer.value];
  auto key = [&](const Offer& o) {
    return std::make_tuple(o.trust, o.record->observed_at_micros(),
                           frequency[o.value], o.value.size());
  };
  std::stable_sort(offers->begin(), offers->end(),
                   [&](const Offer& a, const Offer& b) {
                     auto ka = key(a);
                     auto kb = key(b);
                     if (ka != kb) return ka > kb;
                     // Deterministic final tie-break: record key order.
                     return std::tie(a.record->source(), a.record->record_id(),
                                     a.value) <
                            std::tie(b.record->source(), b.record->record_id(),
                                     b.value);
                   });
  const Offer& best = offers->front();
  for (const Offer& other : *offers) {
    if (other.value == best.value) continue;
    if (other.trust != best.trust) return "trust_rank";
    if (other.record->observed_at_micros() != best.record->observed_at_micros())
      return "most_recent";
    if (frequency[other.value] != frequency[best.value]) return "most_frequent";
    if (other.value.size() != best.value.size()) return "most_complete";
    return "record_order";
  }
  return "only_value";
}

}  // namespace

std::string ProfileAttributeName(const v1::Feature& feature) {
  switch (feature.type()) {
    case v1::Feature::NAME:
      return "name";
    case v1::Feature::ID:
      return "id:" + IdSchemeLabel(feature);
    case v1::Feature::DOB:
      return "dob";
    case v1::Feature::ADDRESS:
      return "address";
    case v1::Feature::PHONE:
      return "phone";
    case v1::Feature::EMAIL:
      return "email";
    case v1::Feature::ATTRIBUTE:
      return "attr:" + feature.attribute();
    default:
      return "unknown";
  }
}

namespace {

// `text` without leading and trailing spaces (ASCII and ideographic).
std::string_view TrimSpaces(std::string_view text) {
  constexpr std::string_view kIdeographicSpace = "\u3000";
  while (true) {
    if (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
      text.remove_prefix(1);
    } else if (!text.empty() && (text.back() == ' ' || text.back() == '\t' ||
                                 text.back() == '\r' || text.back() == '\n')) {
      text.remove_suffix(1);
    } else if (text.starts_with(kIdeographicSpace)) {
      text.remove_prefix(kIdeographicSpace.size());
    } else if (text.ends_with(kIdeographicSpace)) {
      text.remove_suffix(kIdeographicSpace.size());
    } else {
      return text;
    }
  }
}

}  // namespace

std::string FeatureDisplayValue(const v1::Feature& feature) {
  // A name or an attribute reads as the source wrote it: the normalized
  // form is a matching key (深圳市腾讯计算机系统有限公司 -> 腾讯计算机系统,
  // R8610 -> r8610), not what a reader of the profile expects.
  if (feature.type() == v1::Feature::NAME ||
      feature.type() == v1::Feature::ATTRIBUTE) {
    const std::string_view written = TrimSpaces(feature.value());
    if (!written.empty()) return std::string(written);
  }
  if (feature.has_normalized() && feature.normalized().valid() &&
      !feature.normalized().value().empty()) {
    return feature.normalized().value();
  }
  if (!feature.value().empty()) return feature.value();
  if (!feature.family().empty() && !feature.given().empty()) {
    return feature.family() + " " + feature.given();
  }
  return feature.family().empty() ? feature.given() : feature.family();
}

v1::Profile BuildProfile(const std::vector<const v1::Record*>& records,
                         const SourceTrust& trust) {
  // attribute name -> offers, in a sorted map so output order is stable.
  std::map<std::string, std::vector<Offer>> offers;
  std::map<std::string, bool> multi_valued;
  for (const v1::Record* record : records) {
    auto rank = trust.find(record->source());
    int record_trust = rank == trust.end() ? 0 : rank->second;
    for (const v1::Feature& feature : record->features()) {
      std::string value = FeatureDisplayValue(feature);
      if (value.empty()) continue;
      std::string name = ProfileAttributeName(feature);
      const bool unverified = feature.type() == v1::Feature::ID &&
                              feature.has_normalized() &&
                              !feature.normalized().valid();
      offers[name].push_back(
          Offer{std::move(value), record, record_trust, unverified});
      multi_valued[name] = IsMultiValued(feature);
    }
  }

  v1::Profile profile;
  for (auto& [name, attribute_offers] : offers) {
    v1::ProfileAttribute* attribute = profile.add_attributes();
    attribute->set_name(name);
    std::string rule = RankOffers(&attribute_offers);
    if (multi_valued[name]) {
      // Every distinct value, each with its best offer's provenance.
      std::map<std::string, bool> seen;
      for (const Offer& offer : attribute_offers) {
        if (seen[offer.value]) continue;
        seen[offer.value] = true;
        v1::ProfileValue* value = attribute->add_values();
        value->set_value(offer.value);
        // An identifier that failed its check is listed, marked so.
        *value->mutable_provenance() = MakeProvenance(
            offer, offer.unverified ? "unverified_value" : "distinct_value");
      }
      continue;
    }
    const Offer& best = attribute_offers.front();
    v1::ProfileValue* value = attribute->add_values();
    value->set_value(best.value);
    *value->mutable_provenance() = MakeProvenance(best, rule);
    for (size_t i = 1; i < attribute_offers.size(); ++i) {
      const Offer& other = attribute_offers[i];
      if (other.value == best.value) continue;
      *value->add_alternatives() = MakeProvenance(other, "");
      value->add_alternative_values(other.value);
    }
  }
  return profile;
}

}  // namespace credit
