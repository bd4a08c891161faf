// Parses a stored protobuf message without some of its top-level fields.
//
// Linking reads a record's ids, kind and features but not its facts or raw
// input (often most of its bytes); a relink reads an entity's id and
// creation time but not its members or profile. Skipping those fields
// saves parsing them and allocating their strings.
//
// Thread-safe: pure function.
#ifndef CREDIT_STORE_PARTIAL_PARSE_H_
#define CREDIT_STORE_PARTIAL_PARSE_H_

#include <initializer_list>
#include <string_view>

#include "google/protobuf/message_lite.h"

namespace credit {

// Parses `bytes` into `out` (cleared first), leaving out the top-level
// fields numbered in `skipped`. Returns false when `bytes` is not a valid
// message.
bool ParseWithoutFields(std::string_view bytes,
                        std::initializer_list<int> skipped,
                        google::protobuf::MessageLite* out);

}  // namespace credit

#endif  // CREDIT_STORE_PARTIAL_PARSE_H_
