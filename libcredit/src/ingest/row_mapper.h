// Turns InputRows into Records as a source mapping says.
//
// Values are kept as the source wrote them (trimmed): normalization is the
// engine's job. Missing data is not an error: a feature whose columns are
// empty is left out, and so is a fact whose columns are all empty. What
// cannot be read (no record id, an unknown entity kind, an amount or date
// that is not one) is an InvalidArgumentError naming the record and column,
// and the engine quarantines the row. Every input column, used or not, is
// kept in Record.raw.
//
// Thread-safe: Map and CheckColumns are const and keep no state.
//
// Example:
//   CREDIT_ASSIGN_OR_RETURN(RowMapper mapper, RowMapper::Create(mapping));
//   CREDIT_RETURN_IF_ERROR(mapper.CheckColumns(reader->header()));
//   absl::StatusOr<v1::Record> record = mapper.Map(row);
#ifndef CREDIT_INGEST_ROW_MAPPER_H_
#define CREDIT_INGEST_ROW_MAPPER_H_

#include <string>
#include <string_view>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "credit/record.h"

namespace credit {

// Reads an amount in yuan: "1234.5", "1,234.50", "¥1234", "￥1,234",
// full-width digits, "1234元", "12.5万元" (×10 000), "3亿" (×10^8).
// InvalidArgumentError for anything else.
absl::StatusOr<double> ParseAmount(std::string_view text);

class RowMapper {
 public:
  // Checks `mapping` (ValidateSourceMapping) and prepares it. `origin` (the
  // mapping file's name, if known) is used in messages.
  static absl::StatusOr<RowMapper> Create(const v1::SourceMapping& mapping,
                                          std::string_view origin = "");

  // Returns InvalidArgumentError naming the first column the mapping reads
  // that `header` lacks.
  absl::Status CheckColumns(const std::vector<std::string>& header) const;

  // Returns the Record for `row`. A column the row lacks reads as empty.
  absl::StatusOr<v1::Record> Map(const InputRow& row) const;

  const v1::SourceMapping& mapping() const { return mapping_; }

 private:
  struct FeaturePlan {
    int index;  // into mapping_.features()
    std::vector<int> columns;
    int given = -1;
    int family = -1;
    std::string date_format;
  };
  struct FactPlan {
    int index;  // into mapping_.facts()
    int kind = -1;
    int occurred_at = -1;
    int amount = -1;
    int severity = -1;
    int status = -1;
    int publish_until = -1;
    int when_present = -1;
    std::vector<int> attributes;
    std::vector<int> all;  // the columns whose values make the fact present
  };

  RowMapper() = default;
  int Slot(const std::string& column) const;
  std::string Label() const;

  v1::SourceMapping mapping_;
  std::string origin_;
  std::vector<std::string> columns_;  // MappedColumns(mapping_)
  absl::flat_hash_map<std::string, int> slots_;
  int record_id_ = -1;
  int entity_kind_ = -1;
  int observed_at_ = -1;
  std::vector<FeaturePlan> features_;
  std::vector<FactPlan> facts_;
};

}  // namespace credit

#endif  // CREDIT_INGEST_ROW_MAPPER_H_
