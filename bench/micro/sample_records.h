// Raw sample records (features as an agency would send them, not yet
// normalized) shared by the micro benchmarks.
#ifndef CREDIT_BENCH_MICRO_SAMPLE_RECORDS_H_
#define CREDIT_BENCH_MICRO_SAMPLE_RECORDS_H_

#include <string>

#include "credit/v1/record.pb.h"

namespace credit::bench {

inline v1::Feature* Add(v1::Record* record, v1::Feature::Type type,
                        const std::string& value) {
  v1::Feature* f = record->add_features();
  f->set_type(type);
  f->set_value(value);
  return f;
}

// A Latin person record: name, id, dob, address, phone.
inline v1::Record LatinPersonRecord() {
  v1::Record r;
  r.set_entity_kind(v1::PERSON);
  Add(&r, v1::Feature::NAME, "John Michael Smith");
  Add(&r, v1::Feature::ID, "E1234 5678")->set_scheme(v1::Feature::PASSPORT);
  Add(&r, v1::Feature::DOB, "1975-04-23");
  Add(&r, v1::Feature::ADDRESS, "123 Main St., Springfield");
  Add(&r, v1::Feature::PHONE, "+1 415 555 2671");
  return r;
}

inline v1::Record CjkPersonRecord() {
  v1::Record r;
  r.set_entity_kind(v1::PERSON);
  Add(&r, v1::Feature::NAME, "歐陽建新");
  Add(&r, v1::Feature::ID, "11010519491231002X")
      ->set_scheme(v1::Feature::RESIDENT_ID);
  Add(&r, v1::Feature::DOB, "1949年12月31日");
  Add(&r, v1::Feature::ADDRESS, "北京市朝阳区建国路88号");
  Add(&r, v1::Feature::PHONE, "138-1234-5678");
  return r;
}

inline v1::Record CjkEnterpriseRecord(const std::string& name) {
  v1::Record r;
  r.set_entity_kind(v1::ORG);
  Add(&r, v1::Feature::NAME, name);
  Add(&r, v1::Feature::ID, "9144030071526726XG")->set_scheme(v1::Feature::USCC);
  Add(&r, v1::Feature::DOB, "1998-11-11");
  Add(&r, v1::Feature::ADDRESS, "广东省深圳市南山区科技中一路腾讯大厦35层");
  Add(&r, v1::Feature::PHONE, "0755-86013388");
  return r;
}

}  // namespace credit::bench

#endif  // CREDIT_BENCH_MICRO_SAMPLE_RECORDS_H_
