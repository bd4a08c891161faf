// The comparable fields of a record, read from its normalized features.
//
// One place decides which normalized feature feeds which comparison, so the
// scorer (PairScorer::Prepare), the term-frequency counts
// (ForEachTermValue) and the blocking keys (BlockingKeys) always agree.
//
// Rules:
//  - A feature without `normalized`, or whose normalized.valid is false, is
//    ignored, except an ID with accept_unverified, which is kept as an
//    unchecked identifier.
//  - NAME: the first name feature wins. On a PERSON record (or a record of
//    unspecified kind) it is a person name: normalized.family / given when
//    present, else normalized.value as a full name. On an ORG record it is an
//    organisation name.
//  - ID: USCC, RESIDENT_ID, ORG_CODE and REG_NO with checksum_verified are
//    checked identifiers; a verified USCC or ORG_CODE also contributes its
//    9-character organisation code. Everything else (PASSPORT, TAX_ID,
//    OTHER, unverified values) is unchecked, keyed by scheme and, for OTHER,
//    scheme_name.
//  - DOB: the first valid DOB; else the date a RESIDENT_ID encodes.
//  - ADDRESS: the tokens of all address features, in order; the region and
//    city of the first that has them.
//  - ATTRIBUTE: (attribute name, normalized value) pairs.
//
// Thread-safe: pure functions.
//
// Example:
//   credit::RecordFields f = credit::ExtractRecordFields(record);
//   if (!f.family.empty()) ...
#ifndef CREDIT_MATCH_RECORD_FIELDS_H_
#define CREDIT_MATCH_RECORD_FIELDS_H_

#include <string>
#include <utility>
#include <vector>

#include "credit/v1/record.pb.h"
#include "match/date_comparator.h"

namespace credit {

struct RecordFields {
  v1::EntityKind kind = v1::ENTITY_KIND_UNSPECIFIED;
  // Person name parts (may be one of them only) and the full person name.
  std::string family;
  std::string given;
  std::string person_name;  // normalized.value, else "family given"
  std::vector<std::string> person_name_tokens;
  std::string person_pinyin;
  // Organisation name with its tokens.
  std::string org_name;
  std::vector<std::string> org_name_tokens;
  std::string org_pinyin;
  // The city-level region the name carries (南京市 of 南京市晨发…), if any.
  std::string org_region;
  bool org_branch = false;  // the name marks a branch (分公司)
  CompactDate dob;
  struct Id {
    v1::Feature::IdScheme scheme = v1::Feature::ID_SCHEME_UNSPECIFIED;
    std::string scheme_key;  // unchecked: "TAX_ID", "OTHER:soc_sec_id", ...
    std::string value;
  };
  std::vector<Id> checked_ids;
  std::vector<std::string> org_codes;  // verified organisation codes
  std::vector<Id> unchecked_ids;
  std::vector<std::string> phones;
  std::vector<std::string> emails;
  std::vector<std::string> address_tokens;
  std::string address;  // address_tokens joined by ' '
  std::string address_region;
  std::string address_city;  // of the first address naming one (杭州市)
  std::vector<std::pair<std::string, std::string>> attributes;
};

// Returns the comparable fields of `record` (see the rules above).
RecordFields ExtractRecordFields(const v1::Record& record);

// Returns true when `scheme` has a check character the normalizer verifies.
bool IsChecksummedScheme(v1::Feature::IdScheme scheme);

}  // namespace credit

#endif  // CREDIT_MATCH_RECORD_FIELDS_H_
