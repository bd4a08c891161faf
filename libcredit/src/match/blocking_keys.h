// Blocking keys: which records are worth comparing.
//
// Two records become a candidate pair when they share at least one blocking
// key. Keys are built from normalized features (via RecordFields) so that
// duplicates with the usual defects still meet: a typo in one name part
// (the other part + date of birth), swapped given/family (sorted tokens,
// phonetic key), a missing date (name + postcode), a typo in the date
// (identifier, names), a missing name (date + postcode, identifier).
//
// FindCandidatePairs() is the in-memory candidate generator (bulk loads,
// training, tests); the store keeps the same keys in its blocking column
// family. Both apply the same frequency cap: a key carried by more than
// `max_postings` records (a shared accountant's phone, a placeholder id)
// produces no candidates and is reported.
//
// Thread-safe: pure functions.
//
// Example:
//   std::vector<credit::BlockingKey> keys = credit::BlockingKeys(fields);
//   for (const auto& k : keys) store.AddPosting(k.type, k.value, number);
#ifndef CREDIT_MATCH_BLOCKING_KEYS_H_
#define CREDIT_MATCH_BLOCKING_KEYS_H_

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "match/record_fields.h"

namespace credit {

// Stored in keys of the blocking column family: never renumber.
enum class BlockingKeyType : std::uint8_t {
  kCheckedId = 1,         // "USCC:9111..." (verified checksummed identifier)
  kOrgCode = 2,           // 9-character organisation code (USCC or ORG_CODE)
  kUncheckedId = 3,       // "OTHER:soc_sec_id|1234567"
  kFullName = 4,          // normalized full name (person or organisation)
  kSortedNameTokens = 5,  // name tokens sorted, joined by ' '
  kPinyin = 6,            // toneless pinyin of a CJK name
  kFamilyBirthYear = 7,   // family name + birth year
  kFamilyPrefixDob = 8,   // first 3 code points of family + full date
  kGivenPrefixDob = 9,    // first 3 code points of given + full date
  kPhoneticName = 10,     // Soundex / pinyin initials of both parts, sorted
  kDobPostcode = 11,      // full date + postcode-like address token
  kPhone = 12,
  kEmail = 13,
  kNameAddress = 14,    // a name part + postcode-like address token
  kOrgNameRegion = 15,  // first 4 code points of an org name + region
  kDobInitials = 16,    // full date + the initials of both name parts, sorted
  kUncheckedIdDeletion = 17,  // unchecked id with one code point deleted
};

// The version of the key derivation below. Bump it when BlockingKeys()
// derives different keys from the same fields: a store's blocking index and
// edges were written under the version stamped in it, and an engine refuses
// to link into a store stamped with another until a relink rebuilds them
// (else a new record would meet stored records only under the keys both
// versions share). 1: up to 2026-11-29; 2: the org pinyin key is scoped to
// the city, a Han family + birth year key carries the given name's first
// character; 3: the keys of 2, and edges scored with organisation names
// that carry different cities agreeing only partially (a relink rescores
// the stored edges; the version covers how edges are scored too).
inline constexpr std::uint32_t kBlockingKeysVersion = 3;

// Returns a short stable name ("checked_id", "phone", ...) for stats.
std::string_view BlockingKeyTypeName(BlockingKeyType type);

struct BlockingKey {
  BlockingKeyType type;
  std::string value;
  friend bool operator==(const BlockingKey&, const BlockingKey&) = default;
  friend auto operator<=>(const BlockingKey&, const BlockingKey&) = default;
  template <typename H>
  friend H AbslHashValue(H h, const BlockingKey& key) {
    return H::combine(std::move(h), key.type, key.value);
  }
};

// Unchecked identifiers of 6 to 20 code points also get one key per
// deleted position (kUncheckedIdDeletion): two values one edit apart
// (substitution, insertion, deletion, transposition) always share one, so a
// typed-in id with a typo still finds its twin.
inline constexpr std::size_t kMinIdLengthForDeletionKeys = 6;
inline constexpr std::size_t kMaxIdLengthForDeletionKeys = 20;

// Returns the distinct blocking keys of a record, sorted.
std::vector<BlockingKey> BlockingKeys(const RecordFields& fields);

// Returns the American Soundex code ("R163") of the ASCII letters of `text`,
// or "" when it has none.
std::string Soundex(std::string_view text);

// Returns the last token of 4 to 6 ASCII digits in `tokens` (an Australian,
// Chinese or similar postcode), or "".
std::string_view PostcodeToken(std::span<const std::string> tokens);

struct CandidateOptions {
  // A key carried by more records than this produces no candidates (it is
  // reported in CandidatePairs::capped_keys instead). Default 256: enough for
  // a family, a company's branches or a small building; far below a shared
  // accountant's phone or a placeholder identifier.
  std::size_t max_postings = 256;
};

struct CandidatePairs {
  // Index pairs (i < j) into the input, sorted and distinct.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
  // Keys that passed the cap, with the number of records carrying them.
  std::vector<std::pair<BlockingKey, std::size_t>> capped_keys;
};

// Returns the pairs of records sharing a key, `keys[i]` being record i's keys.
// Runs on all cores (a sort of every (key, record) posting by key hash).
CandidatePairs FindCandidatePairs(
    std::span<const std::vector<BlockingKey>> keys,
    const CandidateOptions& options = {});

namespace match_internal {
// FindCandidatePairs with the key hash supplied: tests pass a poor one, so
// that different keys share a hash (which the search must tell apart).
CandidatePairs FindCandidatePairsHashedBy(
    std::span<const std::vector<BlockingKey>> keys,
    const CandidateOptions& options,
    absl::FunctionRef<std::uint64_t(const BlockingKey&)> hash);
}  // namespace match_internal

}  // namespace credit

#endif  // CREDIT_MATCH_BLOCKING_KEYS_H_
