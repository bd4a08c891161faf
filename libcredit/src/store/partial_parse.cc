#include "store/partial_parse.h"

#include <algorithm>
#include <cstdint>
#include <string>

#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/wire_format_lite.h"

namespace credit {

bool ParseWithoutFields(std::string_view bytes,
                        std::initializer_list<int> skipped,
                        google::protobuf::MessageLite* out) {
  using google::protobuf::internal::WireFormatLite;
  google::protobuf::io::CodedInputStream in(
      reinterpret_cast<const std::uint8_t*>(bytes.data()),
      static_cast<int>(bytes.size()));
  // The kept fields, copied as they are: their concatenation is a valid
  // encoding of the message without the skipped ones.
  std::string kept;
  kept.reserve(bytes.size());
  while (true) {
    const int start = in.CurrentPosition();
    const std::uint32_t tag = in.ReadTag();
    if (tag == 0) break;
    if (!WireFormatLite::SkipField(&in, tag)) return false;
    const int field = WireFormatLite::GetTagFieldNumber(tag);
    if (std::find(skipped.begin(), skipped.end(), field) != skipped.end()) {
      continue;
    }
    kept.append(bytes.substr(start, in.CurrentPosition() - start));
  }
  // A zero tag before the end is a malformed message, not its end.
  if (!in.ConsumedEntireMessage()) return false;
  return out->ParseFromString(kept);
}

}  // namespace credit
