// Builds records with hand-filled normalized features for match tests (the
// real normalizer is tested on its own).
#ifndef CREDIT_TESTS_MATCH_RECORD_BUILDER_H_
#define CREDIT_TESTS_MATCH_RECORD_BUILDER_H_

#include <sstream>
#include <string>

#include "credit/v1/record.pb.h"

namespace credit::testing {

class RecordBuilder {
 public:
  RecordBuilder(v1::EntityKind kind, std::uint64_t number) {
    r_.set_entity_kind(kind);
    r_.set_record_number(number);
    r_.set_source("test");
    r_.set_record_id(std::to_string(number));
  }
  RecordBuilder& PersonName(const std::string& family,
                            const std::string& given) {
    auto* n = Add(v1::Feature::NAME, family + given);
    n->set_family(family);
    n->set_given(given);
    n->set_value(given.empty() || family.empty() ? family + given
                                                 : family + " " + given);
    Tokenize(n, n->value());
    return *this;
  }
  RecordBuilder& FullName(const std::string& value,
                          const std::string& pinyin = "") {
    auto* n = Add(v1::Feature::NAME, value);
    n->set_value(value);
    n->set_pinyin(pinyin);
    Tokenize(n, value);
    return *this;
  }
  RecordBuilder& Dob(int y, int m, int d) {
    auto* n = Add(v1::Feature::DOB, "");
    n->mutable_date()->set_year(y);
    n->mutable_date()->set_month(m);
    n->mutable_date()->set_day(d);
    return *this;
  }
  RecordBuilder& Id(v1::Feature::IdScheme scheme, const std::string& value,
                    bool verified, const std::string& org_code = "",
                    const std::string& scheme_name = "") {
    auto* f = r_.add_features();
    f->set_type(v1::Feature::ID);
    f->set_scheme(scheme);
    f->set_scheme_name(scheme_name);
    f->set_value(value);
    auto* n = f->mutable_normalized();
    n->set_value(value);
    n->set_valid(true);
    n->set_checksum_verified(verified);
    n->set_org_code(org_code);
    return *this;
  }
  // A checksummed id that failed its checksum, kept as legacy/unverified.
  RecordBuilder& LegacyId(v1::Feature::IdScheme scheme,
                          const std::string& value) {
    auto* f = r_.add_features();
    f->set_type(v1::Feature::ID);
    f->set_scheme(scheme);
    f->set_value(value);
    f->set_accept_unverified(true);
    auto* n = f->mutable_normalized();
    n->set_value(value);
    n->set_valid(false);
    n->set_checksum_verified(false);
    n->set_error("check character mismatch");
    return *this;
  }
  RecordBuilder& Phone(const std::string& v) {
    Add(v1::Feature::PHONE, v)->set_value(v);
    return *this;
  }
  RecordBuilder& Email(const std::string& v) {
    Add(v1::Feature::EMAIL, v)->set_value(v);
    return *this;
  }
  RecordBuilder& Address(const std::string& v, const std::string& region = "") {
    auto* n = Add(v1::Feature::ADDRESS, v);
    n->set_value(v);
    n->set_region(region);
    Tokenize(n, v);
    return *this;
  }
  RecordBuilder& Attribute(const std::string& name, const std::string& v) {
    auto* f = r_.add_features();
    f->set_type(v1::Feature::ATTRIBUTE);
    f->set_attribute(name);
    f->set_value(v);
    f->mutable_normalized()->set_valid(true);
    f->mutable_normalized()->set_value(v);
    return *this;
  }
  v1::Record Build() const { return r_; }

 private:
  v1::NormalizedFeature* Add(v1::Feature::Type type, const std::string& raw) {
    auto* f = r_.add_features();
    f->set_type(type);
    f->set_value(raw);
    f->mutable_normalized()->set_valid(true);
    return f->mutable_normalized();
  }
  static void Tokenize(v1::NormalizedFeature* n, const std::string& s) {
    std::istringstream in(s);
    std::string t;
    while (in >> t) n->add_tokens(t);
  }
  v1::Record r_;
};

}  // namespace credit::testing

#endif  // CREDIT_TESTS_MATCH_RECORD_BUILDER_H_
