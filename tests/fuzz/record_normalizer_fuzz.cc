// Fuzz target: NormalizeRecord over features cut from the input. Every
// feature gets a verdict: valid, or invalid with an error.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "credit/normalize.h"
#include "fuzz_check.h"
#include "normalize/record_normalizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size < 2) return 0;
  credit::v1::Record record;
  record.set_entity_kind(static_cast<credit::v1::EntityKind>(data[0] % 3));
  std::string_view rest(reinterpret_cast<const char*>(data + 1), size - 1);
  // Features are separated by '\n'; the first byte of each picks its type,
  // scheme and flags.
  while (!rest.empty()) {
    size_t nl = rest.find('\n');
    std::string_view piece = rest.substr(0, nl);
    rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
    if (piece.empty()) continue;
    unsigned char selector = static_cast<unsigned char>(piece[0]);
    credit::v1::Feature* f = record.add_features();
    f->set_type(static_cast<credit::v1::Feature::Type>(selector % 8));
    f->set_scheme(static_cast<credit::v1::Feature::IdScheme>((selector / 8) % 8));
    f->set_accept_unverified(selector & 0x40);
    if (selector & 0x80) f->set_date_format("EXCEL_SERIAL");
    f->set_value(std::string(piece.substr(1)));
  }
  credit::NormalizeRecord(&record);
  for (const auto& f : record.features()) {
    FUZZ_CHECK(f.has_normalized());
    if (!f.normalized().valid()) FUZZ_CHECK(!f.normalized().error().empty());
  }
  return 0;
}
