// The sources the data generator writes: their ids, CSV columns, record-id
// format and the source mapping JSON (credit.v1.SourceMapping) that reads the
// CSV back into Records.
//
// Thread safety: constant data, safe everywhere.
//
// Example:
//   for (const auto& spec : credit::datagen::SourceSpecs()) {
//     std::cout << spec.id << ".csv has " << spec.columns.size() << "
//     columns\n";
//   }
#ifndef CREDIT_EXAMPLES_DATAGEN_MAPPINGS_H_
#define CREDIT_EXAMPLES_DATAGEN_MAPPINGS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include "vocab.h"

namespace credit::datagen {

enum SourceNumber : int {
  kMarket = 0,
  kTax,
  kCourt,
  kEnvironment,
  kSocial,
  kSourceCount
};

// Column positions. Column 0 is always the record id.
enum MarketColumn : int {
  M_ID,
  M_KIND,
  M_NAME,
  M_USCC,
  M_REG_NO,
  M_LEGAL_REP,
  M_ADDRESS,
  M_ESTABLISHED,
  M_PHONE,
  M_INDUSTRY,
  M_AUTHORITY,
  M_DOC_NO,
  M_VIOLATION,
  M_PENALTY_DATE,
  M_FINE,
  M_SEVERITY,
  M_PENALTY_STATUS,
  M_PUBLISH_UNTIL,
  M_LICENSE_NAME,
  M_LICENSE_NO,
  M_LICENSE_DATE,
  M_LICENSE_UNTIL,
  M_COMMENDATION,
  M_COMMENDATION_DATE
};
enum TaxColumn : int {
  T_ID,
  T_TAX_ID,
  T_NAME,
  T_LEGAL_REP,
  T_ADDRESS,
  T_PHONE,
  T_YEAR,
  T_GRADE,
  T_GRADE_DATE,
  T_TAX_KIND,
  T_ARREARS,
  T_ARREARS_STATUS,
  T_ARREARS_DATE
};
enum CourtColumn : int {
  C_ID,
  C_KIND,
  C_SUBJECT_KIND,
  C_NAME,
  C_USCC,
  C_RESIDENT_ID,
  C_SEX,
  C_LEGAL_REP,
  C_COURT,
  C_AMOUNT,
  C_STATUS,
  C_FILED,
  C_PUBLISHED,
  C_PUBLISH_UNTIL
};
enum EnvironmentColumn : int {
  E_ID,
  E_NAME,
  E_USCC,
  E_LEGAL_REP,
  E_ADDRESS,
  E_VIOLATION,
  E_DATE,
  E_FINE,
  E_SEVERITY,
  E_STATUS,
  E_PUBLISH_UNTIL,
  E_AUTHORITY
};
enum SocialColumn : int {
  S_ID,
  S_NAME,
  S_RESIDENT_ID,
  S_SEX,
  S_BIRTH,
  S_PHONE,
  S_EMPLOYER,
  S_ADDRESS
};

struct SourceSpec {
  SourceNumber number;
  std::string_view id;
  std::span<const std::string_view> columns;  // CSV header, record id first
  std::string_view mapping_json;
  // Returns the record id of the `n`-th row written (1-based); `year`,
  // `region` and `variant` come from the row (court case numbers and
  // penalty decision numbers embed them).
  std::string (*make_id)(uint64_t n, int year, const Region& region,
                         int variant);
};

// Returns the sources in output order, indexed by SourceNumber.
std::span<const SourceSpec> SourceSpecs();

}  // namespace credit::datagen

#endif  // CREDIT_EXAMPLES_DATAGEN_MAPPINGS_H_
