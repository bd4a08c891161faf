// Order-preserving binary keys for the store's column families.
//
// Integers are 8-byte big-endian so byte order equals numeric order. Strings
// inside composite keys are followed by a 0x00 separator; the store refuses
// source and record ids that contain NUL, so the encoding is unambiguous and
// ordered by (first string, second ...).
#ifndef CREDIT_STORE_KEY_CODEC_H_
#define CREDIT_STORE_KEY_CODEC_H_

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

namespace credit::store_internal {

// Appends `value` as 8 big-endian bytes to `out`.
void AppendUint64(std::string* out, uint64_t value);
// Reads 8 big-endian bytes at `offset` of `key`; nullopt if too short.
std::optional<uint64_t> ReadUint64(std::string_view key, size_t offset = 0);
// Bytes [offset, offset + 8) of `bytes` as a big-endian integer, zero past
// the end: comparing these compares the bytes in bytewise order (sorts
// compare them before calling memcmp).
uint64_t PaddedUint64(std::string_view bytes, size_t offset = 0);

// record_ids: source \0 record_id
std::string RecordIdKey(std::string_view source, std::string_view record_id);
// The prefix of every record_ids key of `source`.
std::string RecordIdPrefix(std::string_view source);
// records, record_entity: record number
std::string RecordNumberKey(uint64_t record_number);
// entities, id_lineage: entity id
std::string EntityIdKey(uint64_t entity_id);
// audit: sequence number
std::string AuditKey(uint64_t sequence);
// quarantine: source \0 record_id \0 time(8) sequence(8)
std::string QuarantineKey(std::string_view source, std::string_view record_id,
                          int64_t at_micros, uint64_t sequence);
// indicators: entity id(8) name
std::string IndicatorKey(uint64_t entity_id, std::string_view name);
// edges: record number(8) record number(8), smaller number first
std::string EdgeKey(uint64_t a, uint64_t b);

// edges, adjacency: `from`(8) `to`(8) in that order. An edge (a < b) is
// stored in full at EdgeKey(a, b) and as a compact back-reference at
// DirectedEdgeKey(b, a), so a prefix scan on one record lists all its edges.
std::string DirectedEdgeKey(uint64_t from, uint64_t to);
// blocking: type(1) length(4) value; key_counts uses it as the whole key,
// blocking appends the record number(8). The length prefix keeps any value
// (even one holding NUL) unambiguous.
std::string BlockingKeyPrefix(uint8_t type, std::string_view value);
std::string BlockingPostingKey(uint8_t type, std::string_view value,
                               uint64_t record_number);
// Replaces `out` with BlockingPostingKey(type, value, record_number), reusing
// its buffer (the relink writes millions of them).
void AssignBlockingPostingKey(uint8_t type, std::string_view value,
                              uint64_t record_number, std::string* out);
// Splits a BlockingKeyPrefix (a key_counts key) into type and value;
// nullopt when malformed.
std::optional<std::pair<uint8_t, std::string_view>> ParseBlockingKeyPrefix(
    std::string_view key);
// Returns the smallest key greater than every key starting with `prefix`
// (for iterate_upper_bound), or "" when there is none (prefix all 0xFF).
std::string PrefixUpperBound(std::string_view prefix);

}  // namespace credit::store_internal

#endif  // CREDIT_STORE_KEY_CODEC_H_
