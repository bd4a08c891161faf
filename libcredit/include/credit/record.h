// credit/record.h: the data nouns of the API and the row shape of file input.
//
// Records, features, facts, entities and reports are protobuf messages
// generated from proto/credit/v1/*.proto; this header includes them and adds
// the one plain struct the file adapters produce, InputRow.
//
// Example:
//   credit::v1::Record r;
//   r.set_source("tax");
//   r.set_record_id("123");
//   auto* f = r.add_features();
//   f->set_type(credit::v1::Feature::NAME);
//   f->set_value("深圳市腾讯计算机系统有限公司");
#ifndef CREDIT_RECORD_H_
#define CREDIT_RECORD_H_

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "credit/v1/audit.pb.h"
#include "credit/v1/common.pb.h"
#include "credit/v1/entity.pb.h"
#include "credit/v1/ingest.pb.h"
#include "credit/v1/match.pb.h"
#include "credit/v1/record.pb.h"
#include "credit/v1/source.pb.h"

namespace credit {

// One input row as named columns, before a mapping turns it into a Record.
// Thread-compatible value type.
struct InputRow {
  // (column, value) in input order. Values are UTF-8.
  std::vector<std::pair<std::string, std::string>> columns;
  std::string file;    // input file name, may be empty
  std::uint64_t line = 0;  // 1-based line of the row's start, 0 when not from a file
  std::string raw;     // the row's bytes as read, for quarantine
};

// Returns "source/record_id", the display form of a record key.
inline std::string RecordKeyString(const v1::RecordKey& key) {
  return key.source() + "/" + key.record_id();
}

}  // namespace credit

#endif  // CREDIT_RECORD_H_
