// Builds an entity's golden record (Profile) from its member records.
//
// Per attribute, a survivorship cascade picks the value: source trust rank,
// then most recent observation, then most frequent, then most complete
// (longest). Each chosen value carries its provenance (source, record,
// observed time, the rule that decided) and the alternatives it beat.
// Identifier, phone and email attributes keep every distinct value (a
// subject may have several), each with the provenance of its best record.
//
// Thread safety: pure function, thread-safe.
#ifndef CREDIT_PROFILE_PROFILE_BUILDER_H_
#define CREDIT_PROFILE_PROFILE_BUILDER_H_

#include <map>
#include <string>
#include <vector>

#include "credit/v1/entity.pb.h"
#include "credit/v1/record.pb.h"

namespace credit {

// Trust rank per source id; sources not listed rank 0.
using SourceTrust = std::map<std::string, int, std::less<>>;

// Returns the profile of an entity whose members are `records`.
v1::Profile BuildProfile(const std::vector<const v1::Record*>& records,
                         const SourceTrust& trust);

// Returns the profile attribute name of `feature`: "name", "dob", "address",
// "phone", "email", "id:USCC" (scheme name for OTHER: "id:soc_sec_id"),
// "attr:<name>".
std::string ProfileAttributeName(const v1::Feature& feature);

// Returns the display value of `feature`: a NAME or an ATTRIBUTE as the
// source wrote it (trimmed); any other its normalized value when valid
// (a date as YYYY-MM-DD, an address with its province), otherwise the
// value as given ("family given" for a NAME given in parts).
std::string FeatureDisplayValue(const v1::Feature& feature);

}  // namespace credit

#endif  // CREDIT_PROFILE_PROFILE_BUILDER_H_
