// The ingest hook: fills Feature.normalized for every feature of a record.
// Thread-safe (pure; uses the per-thread ICU state of the normalizers).
#ifndef CREDIT_NORMALIZE_RECORD_NORMALIZER_H_
#define CREDIT_NORMALIZE_RECORD_NORMALIZER_H_

#include "credit/normalize.h"
#include "credit/v1/record.pb.h"

namespace credit {

// Replaces `normalized` of every feature of `record` with NormalizeFeature's
// result for the record's entity kind. Invalid values are kept with
// normalized.valid = false and normalized.error set (ingest reports them as
// warnings); nothing is dropped. REQUIRES: record != nullptr.
void NormalizeRecord(v1::Record* record);

}  // namespace credit

#endif  // CREDIT_NORMALIZE_RECORD_NORMALIZER_H_
