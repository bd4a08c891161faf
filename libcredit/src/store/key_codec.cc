#include "store/key_codec.h"

namespace credit::store_internal {

void AppendUint64(std::string* out, uint64_t value) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((value >> shift) & 0xFF));
  }
}

std::optional<uint64_t> ReadUint64(std::string_view key, size_t offset) {
  if (key.size() < offset + 8) return std::nullopt;
  uint64_t value = 0;
  for (size_t i = 0; i < 8; ++i) {
    value = (value << 8) | static_cast<unsigned char>(key[offset + i]);
  }
  return value;
}

std::string RecordIdKey(std::string_view source, std::string_view record_id) {
  std::string key = RecordIdPrefix(source);
  key.append(record_id);
  return key;
}

std::string RecordIdPrefix(std::string_view source) {
  std::string key(source);
  key.push_back('\0');
  return key;
}

uint64_t PaddedUint64(std::string_view bytes, size_t offset) {
  uint64_t value = 0;
  for (size_t i = offset; i < offset + 8; ++i) {
    value <<= 8;
    if (i < bytes.size()) value |= static_cast<unsigned char>(bytes[i]);
  }
  return value;
}

std::string RecordNumberKey(uint64_t record_number) {
  std::string key;
  AppendUint64(&key, record_number);
  return key;
}

std::string EntityIdKey(uint64_t entity_id) {
  return RecordNumberKey(entity_id);
}

std::string AuditKey(uint64_t sequence) { return RecordNumberKey(sequence); }

std::string QuarantineKey(std::string_view source, std::string_view record_id,
                          int64_t at_micros, uint64_t sequence) {
  std::string key = RecordIdKey(source, record_id);
  key.push_back('\0');
  // Offset the signed time so negative times still sort first.
  AppendUint64(&key, static_cast<uint64_t>(at_micros) ^ (1ull << 63));
  AppendUint64(&key, sequence);
  return key;
}

std::string IndicatorKey(uint64_t entity_id, std::string_view name) {
  std::string key = EntityIdKey(entity_id);
  key.append(name);
  return key;
}

std::string EdgeKey(uint64_t a, uint64_t b) {
  std::string key;
  AppendUint64(&key, a < b ? a : b);
  AppendUint64(&key, a < b ? b : a);
  return key;
}

std::string DirectedEdgeKey(uint64_t from, uint64_t to) {
  std::string key;
  AppendUint64(&key, from);
  AppendUint64(&key, to);
  return key;
}

namespace {

void AppendBlockingKeyPrefix(uint8_t type, std::string_view value,
                             std::string* out) {
  out->push_back(static_cast<char>(type));
  const auto length = static_cast<uint32_t>(value.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out->push_back(static_cast<char>((length >> shift) & 0xFF));
  }
  out->append(value);
}

}  // namespace

std::string BlockingKeyPrefix(uint8_t type, std::string_view value) {
  std::string key;
  key.reserve(5 + value.size() + 8);
  AppendBlockingKeyPrefix(type, value, &key);
  return key;
}

std::string BlockingPostingKey(uint8_t type, std::string_view value,
                               uint64_t record_number) {
  std::string key;
  AssignBlockingPostingKey(type, value, record_number, &key);
  return key;
}

void AssignBlockingPostingKey(uint8_t type, std::string_view value,
                              uint64_t record_number, std::string* out) {
  out->clear();
  out->reserve(5 + value.size() + 8);
  AppendBlockingKeyPrefix(type, value, out);
  AppendUint64(out, record_number);
}

std::optional<std::pair<uint8_t, std::string_view>> ParseBlockingKeyPrefix(
    std::string_view key) {
  if (key.size() < 5) return std::nullopt;
  uint32_t length = 0;
  for (int i = 1; i <= 4; ++i) {
    length = (length << 8) | static_cast<uint8_t>(key[i]);
  }
  if (key.size() != 5 + length) return std::nullopt;
  return std::make_pair(static_cast<uint8_t>(key[0]), key.substr(5));
}

std::string PrefixUpperBound(std::string_view prefix) {
  std::string bound(prefix);
  while (!bound.empty()) {
    unsigned char last = static_cast<unsigned char>(bound.back());
    if (last != 0xFF) {
      bound.back() = static_cast<char>(last + 1);
      return bound;
    }
    bound.pop_back();
  }
  return bound;
}

}  // namespace credit::store_internal
