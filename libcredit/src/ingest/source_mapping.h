// Source mappings: how the columns of a source's files become Records.
//
// Implements credit::LoadSourceMapping and credit::ParseSourceMapping
// (declared in credit/engine.h): the JSON is read with protobuf's JSON
// support into v1::SourceMapping (lowerCamel or snake_case keys; an unknown
// key is an error naming it), then checked by ValidateSourceMapping. The
// format is documented in docs/mapping.md.
//
// Thread-safe: pure functions.
//
// Example:
//   CREDIT_ASSIGN_OR_RETURN(v1::SourceMapping mapping,
//                           LoadSourceMapping("tax.mapping.json"));
//   for (const std::string& column : MappedColumns(mapping)) ...
#ifndef CREDIT_INGEST_SOURCE_MAPPING_H_
#define CREDIT_INGEST_SOURCE_MAPPING_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "credit/engine.h"
#include "credit/record.h"

namespace credit {

// Checks every rule of the mapping format (docs/mapping.md); `origin` names
// the mapping in the InvalidArgumentError, which names the offending key.
absl::Status ValidateSourceMapping(const v1::SourceMapping& mapping,
                                   std::string_view origin);

// Returns every column the mapping reads, each once, in mapping order.
std::vector<std::string> MappedColumns(const v1::SourceMapping& mapping);

// Returns the Fact.Status named `name` (case-insensitive, e.g. "resolved"),
// or nullopt. STATUS_UNSPECIFIED is not a name.
std::optional<v1::Fact::Status> FactStatusFromName(std::string_view name);
// Returns PERSON or ORG for `name` (case-insensitive), or nullopt.
std::optional<v1::EntityKind> EntityKindFromName(std::string_view name);

}  // namespace credit

#endif  // CREDIT_INGEST_SOURCE_MAPPING_H_
