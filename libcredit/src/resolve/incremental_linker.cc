#include "resolve/incremental_linker.h"

#include <algorithm>
#include <bit>
#include <deque>

#include "fmt/format.h"
#include "google/protobuf/arena.h"
#include "match/record_fields.h"
#include "resolve/entity_ids.h"
#include "store/key_codec.h"
#include "store/partial_parse.h"
#include "util/parallel_for.h"
#include "util/status_macros.h"

namespace credit {

using store_internal::AppendUint64;
using store_internal::BlockingKeyPrefix;
using store_internal::BlockingPostingKey;
using store_internal::DirectedEdgeKey;
using store_internal::EntityIdKey;
using store_internal::ReadUint64;
using store_internal::RecordIdKey;
using store_internal::RecordNumberKey;

namespace {

// Below this many candidates to prepare, one thread does it (a thread start
// costs more than preparing a few records).
constexpr std::size_t kMinParallelPrepare = 128;
// Below this many keys to examine, one thread scans them.
constexpr std::size_t kMinParallelScans = 256;
// Records parsed into one arena before it is reset.
constexpr std::size_t kRecordsPerArena = 64;

std::uint8_t TypeByte(const BlockingKey& key) {
  return static_cast<std::uint8_t>(key.type);
}

// Edges that can join records into one entity.
bool Joins(v1::Edge::Kind kind) {
  return kind == v1::Edge::MATCH || kind == v1::Edge::REVIEWER_SAME;
}

bool IsReviewerEdge(v1::Edge::Kind kind) {
  return kind == v1::Edge::REVIEWER_SAME ||
         kind == v1::Edge::REVIEWER_DIFFERENT;
}

absl::StatusOr<ClusterEdge> DecodeEdgeValue(std::uint64_t from,
                                            std::uint64_t to,
                                            std::string_view value) {
  if (from < to) {
    v1::Edge edge;
    if (!edge.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
      return absl::DataLossError(
          fmt::format("edge {}-{} is corrupt; run ResolveAll() to rebuild "
                      "the edges",
                      from, to));
    }
    return ToClusterEdge(edge);
  }
  auto bits = ReadUint64(value, 1);
  if (value.size() != 9 || !bits) {
    return absl::DataLossError(fmt::format(
        "edge reference {}-{} is corrupt; run ResolveAll() to rebuild the "
        "edges",
        from, to));
  }
  return ClusterEdge{to, from, std::bit_cast<double>(*bits),
                     static_cast<v1::Edge::Kind>(value[0])};
}

}  // namespace

bool ParseForLinking(std::string_view bytes, v1::Record* out) {
  return ParseWithoutFields(
      bytes, {v1::Record::kFactsFieldNumber, v1::Record::kRawFieldNumber}, out);
}

std::string EncodeEdgeReference(v1::Edge::Kind kind, double weight) {
  std::string value(1, static_cast<char>(kind));
  AppendUint64(&value, std::bit_cast<std::uint64_t>(weight));
  return value;
}

void PutEdge(const Store& store, const v1::Edge& edge,
             rocksdb::WriteBatch* batch) {
  batch->Put(store.cf(ColumnFamily::kEdges),
             DirectedEdgeKey(edge.record_a(), edge.record_b()),
             edge.SerializeAsString());
  batch->Put(store.cf(ColumnFamily::kEdges),
             DirectedEdgeKey(edge.record_b(), edge.record_a()),
             EncodeEdgeReference(edge.kind(), edge.weight()));
}

absl::StatusOr<std::vector<v1::Edge>> ReadEdgesOfKinds(
    const Store& store, std::initializer_list<v1::Edge::Kind> kinds,
    const rocksdb::ReadOptions& read) {
  std::vector<std::pair<std::uint64_t, std::uint64_t>> wanted;
  // Across every record's prefix: the edges family's hash memtable and
  // prefix filters need a total-order iterator for that.
  rocksdb::ReadOptions total_order = read;
  total_order.total_order_seek = true;
  std::unique_ptr<rocksdb::Iterator> it(
      store.db()->NewIterator(total_order, store.cf(ColumnFamily::kEdges)));
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    const std::string_view key(it->key().data(), it->key().size());
    auto from = ReadUint64(key);
    auto to = ReadUint64(key, 8);
    // Back-references (from > to) carry the kind in their first byte.
    if (!from || !to || *from < *to || it->value().size() != 9) continue;
    const auto kind = static_cast<v1::Edge::Kind>(it->value()[0]);
    if (std::find(kinds.begin(), kinds.end(), kind) != kinds.end()) {
      wanted.emplace_back(*to, *from);
    }
  }
  if (!it->status().ok()) {
    return absl::InternalError("scan edges: " + it->status().ToString());
  }
  std::sort(wanted.begin(), wanted.end());
  std::vector<v1::Edge> edges;
  edges.reserve(wanted.size());
  for (const auto& [a, b] : wanted) {
    CREDIT_ASSIGN_OR_RETURN(
        auto edge, store.GetProto<v1::Edge>(ColumnFamily::kEdges,
                                            DirectedEdgeKey(a, b), read));
    if (!edge) {
      return absl::DataLossError(fmt::format(
          "edge {}-{} has a back-reference but no edge; run ResolveAll()", a,
          b));
    }
    edges.push_back(*std::move(edge));
  }
  return edges;
}

IncrementalLinker::IncrementalLinker(const Store* store,
                                     const PairScorer* scorer,
                                     const CandidateOptions& options,
                                     rocksdb::WriteBatch* batch,
                                     PreparedRecordCache* prepared,
                                     PostingsCache* postings)
    : store_(store),
      scorer_(scorer),
      options_(options),
      batch_(batch),
      shared_prepared_(prepared),
      shared_postings_(postings),
      blocking_scanner_(store, ColumnFamily::kBlocking),
      edge_scanner_(store, ColumnFamily::kEdges) {}

void IncrementalLinker::Stage(const v1::Record* record,
                              const v1::Record* previous) {
  const std::uint64_t number = record->record_number();
  Cached& entry = cache_[number];
  entry.owned.reset();
  entry.record = record;
  const RecordFields fields = ExtractRecordFields(*record);
  entry.keys = BlockingKeys(fields);
  entry.prepared =
      std::make_shared<const PreparedRecord>(scorer_->Prepare(fields, number));
  staged_.insert(number);

  std::vector<BlockingKey> old_keys;
  if (previous != nullptr) old_keys = BlockingKeys(ExtractRecordFields(*previous));
  // Both lists are sorted: walk them once.
  std::vector<BlockingKey> gone, fresh;
  std::set_difference(old_keys.begin(), old_keys.end(), entry.keys->begin(),
                      entry.keys->end(), std::back_inserter(gone));
  std::set_difference(entry.keys->begin(), entry.keys->end(), old_keys.begin(),
                      old_keys.end(), std::back_inserter(fresh));
  for (const auto& key : gone) {
    removed_postings_[key].insert(number);
    added_postings_[key].erase(number);
    touched_keys_.insert(key);
    batch_->Delete(store_->cf(ColumnFamily::kBlocking),
                   BlockingPostingKey(TypeByte(key), key.value, number));
  }
  for (const auto& key : fresh) {
    added_postings_[key].insert(number);
    removed_postings_[key].erase(number);
    touched_keys_.insert(key);
    batch_->Put(store_->cf(ColumnFamily::kBlocking),
                BlockingPostingKey(TypeByte(key), key.value, number), "");
  }
}

void IncrementalLinker::StageRemoval(const v1::Record* record) {
  const std::uint64_t number = record->record_number();
  removed_.insert(number);
  staged_.erase(number);
  cache_.erase(number);
  for (const auto& key : BlockingKeys(ExtractRecordFields(*record))) {
    removed_postings_[key].insert(number);
    added_postings_[key].erase(number);
    touched_keys_.insert(key);
    batch_->Delete(store_->cf(ColumnFamily::kBlocking),
                   BlockingPostingKey(TypeByte(key), key.value, number));
  }
}

void IncrementalLinker::StageReview(std::uint64_t a, std::uint64_t b,
                                    std::optional<v1::Edge> edge) {
  const Pair pair = MakePair(a, b);
  edge_edits_[pair] = std::move(edge);
  edited_neighbors_[a].insert(b);
  edited_neighbors_[b].insert(a);
  reviewed_.insert(a);
  reviewed_.insert(b);
  if (!edge_edits_[pair].has_value()) {
    review_withdrawn_.insert(a);
    review_withdrawn_.insert(b);
  }
}

absl::StatusOr<IncrementalLinker::Cached*> IncrementalLinker::Load(
    std::uint64_t number, bool with_record) {
  auto it = cache_.find(number);
  if (it == cache_.end() || it->second.prepared == nullptr ||
      (with_record && it->second.record == nullptr)) {
    CREDIT_RETURN_IF_ERROR(Prefetch({number}, with_record));
    it = cache_.find(number);
  }
  return &it->second;
}

absl::StatusOr<IncrementalLinker::Cached*> IncrementalLinker::Prepare(
    std::uint64_t number, std::string_view bytes) {
  auto record = std::make_unique<v1::Record>();
  if (!ParseForLinking(bytes, record.get())) {
    return absl::DataLossError(
        fmt::format("stored record number {} is corrupt", number));
  }
  Cached& entry = cache_[number];
  entry.owned = std::move(record);
  entry.record = entry.owned.get();
  // Keys only when asked (KeysOf): most loaded records are candidates,
  // scored but never re-derived.
  entry.keys.reset();
  if (entry.prepared == nullptr) {
    entry.prepared = std::make_shared<const PreparedRecord>(
        scorer_->Prepare(ExtractRecordFields(*entry.record), number));
    // As stored: valid for later calls until the record is written again.
    if (shared_prepared_ != nullptr) {
      shared_prepared_->Insert(number, entry.prepared);
    }
  }
  return &entry;
}

const std::vector<BlockingKey>& IncrementalLinker::KeysOf(Cached* entry) {
  if (!entry->keys.has_value()) {
    entry->keys = BlockingKeys(ExtractRecordFields(*entry->record));
  }
  return *entry->keys;
}

absl::Status IncrementalLinker::Prefetch(
    const std::vector<std::uint64_t>& numbers, bool with_records) {
  std::vector<std::uint64_t> missing;
  for (std::uint64_t number : numbers) {
    auto it = cache_.find(number);
    if (it != cache_.end() && it->second.prepared != nullptr &&
        (!with_records || it->second.record != nullptr)) {
      continue;
    }
    if (!with_records && shared_prepared_ != nullptr) {
      if (auto prepared = shared_prepared_->Find(number)) {
        cache_[number].prepared = std::move(prepared);
        continue;
      }
    }
    missing.push_back(number);
  }
  if (missing.empty()) return absl::OkStatus();
  auto missing_error = [](std::uint64_t number) {
    return absl::DataLossError(fmt::format(
        "the blocking index lists record number {}, which is missing; run "
        "ResolveAll() to rebuild the index",
        number));
  };
  if (with_records) {
    std::vector<std::string> keys;
    keys.reserve(missing.size());
    for (std::uint64_t number : missing) keys.push_back(RecordNumberKey(number));
    CREDIT_ASSIGN_OR_RETURN(auto values,
                            store_->MultiGet(ColumnFamily::kRecords, keys));
    for (std::size_t i = 0; i < missing.size(); ++i) {
      if (!values[i]) return missing_error(missing[i]);
      CREDIT_RETURN_IF_ERROR(Prepare(missing[i], *values[i]).status());
    }
    return absl::OkStatus();
  }
  // Candidates only need their prepared form: read, parse and prepare them
  // on every core, one MultiGet per thread, each thread parsing into an
  // arena it resets as it goes (one free per block instead of one per
  // string), and keep no record. A failed read is reported at its chunk's
  // first slot, a missing or corrupt record at its own.
  std::vector<std::shared_ptr<const PreparedRecord>> prepared(missing.size());
  std::vector<absl::Status> errors(missing.size());
  ParallelFor(missing.size(), kMinParallelPrepare, [&](std::size_t begin,
                                                       std::size_t end) {
    std::vector<std::string> keys;
    keys.reserve(end - begin);
    for (std::size_t i = begin; i < end; ++i) {
      keys.push_back(RecordNumberKey(missing[i]));
    }
    auto values = store_->MultiGet(ColumnFamily::kRecords, keys);
    if (!values.ok()) {
      errors[begin] = values.status();
      return;
    }
    google::protobuf::Arena arena;
    for (std::size_t i = begin; i < end; ++i) {
      const auto& bytes = (*values)[i - begin];
      if (!bytes) {
        errors[i] = missing_error(missing[i]);
        continue;
      }
      if ((i - begin) % kRecordsPerArena == 0) arena.Reset();
      auto* record = google::protobuf::Arena::CreateMessage<v1::Record>(&arena);
      if (!ParseForLinking(*bytes, record)) {
        errors[i] = absl::DataLossError(
            fmt::format("stored record number {} is corrupt", missing[i]));
        continue;
      }
      prepared[i] = std::make_shared<const PreparedRecord>(
          scorer_->Prepare(ExtractRecordFields(*record), missing[i]));
    }
  });
  for (std::size_t i = 0; i < missing.size(); ++i) {
    CREDIT_RETURN_IF_ERROR(errors[i]);
    cache_[missing[i]].prepared = prepared[i];
    // As stored: valid for later calls until the record is written again.
    if (shared_prepared_ != nullptr) {
      shared_prepared_->Insert(missing[i], std::move(prepared[i]));
    }
  }
  return absl::OkStatus();
}

std::size_t IncrementalLinker::ScanLimit(const BlockingKey& key) const {
  const auto removed = removed_postings_.find(key);
  return options_.max_postings + 1 +
         (removed == removed_postings_.end() ? 0 : removed->second.size());
}

absl::StatusOr<std::vector<std::uint64_t>> IncrementalLinker::ScanPostings(
    PrefixScanner* scanner, const BlockingKey& key) const {
  const std::size_t limit = ScanLimit(key);
  std::vector<std::uint64_t> stored;
  const std::string prefix = BlockingKeyPrefix(TypeByte(key), key.value);
  absl::Status corrupt = absl::OkStatus();
  CREDIT_RETURN_IF_ERROR(scanner->Scan(
      prefix, [&](std::string_view k, std::string_view) {
        auto number = ReadUint64(k, prefix.size());
        if (!number || k.size() != prefix.size() + 8) {
          corrupt = absl::DataLossError(
              "a blocking posting is corrupt; run ResolveAll() to rebuild "
              "the index");
          return false;
        }
        stored.push_back(*number);
        return stored.size() < limit;
      }));
  CREDIT_RETURN_IF_ERROR(corrupt);
  return stored;
}

const IncrementalLinker::KeyState* IncrementalLinker::AddKeyState(
    const BlockingKey& key, const std::vector<std::uint64_t>& scanned) {
  const std::size_t limit = ScanLimit(key);
  KeyState state;
  if (scanned.size() >= limit) {
    // At least `limit` stored: over the cap before, and still over it after
    // every removal of this call.
    state.capped_before = state.capped_after = true;
    state.count_after = limit;
  } else {
    std::set<std::uint64_t> stored(scanned.begin(), scanned.end());
    state.capped_before = stored.size() > options_.max_postings;
    if (auto removed = removed_postings_.find(key);
        removed != removed_postings_.end()) {
      for (std::uint64_t n : removed->second) stored.erase(n);
    }
    if (auto added = added_postings_.find(key); added != added_postings_.end()) {
      stored.insert(added->second.begin(), added->second.end());
    }
    for (std::uint64_t n : removed_) stored.erase(n);
    state.count_after = stored.size();
    state.capped_after = stored.size() > options_.max_postings;
    if (!state.capped_after) state.postings_after.assign(stored.begin(), stored.end());
    else if (!state.capped_before) {
      // Crossing up: the records under the key are re-derived.
      state.postings_after.assign(stored.begin(), stored.end());
    }
  }
  return &key_states_.emplace(key, std::move(state)).first->second;
}

const IncrementalLinker::KeyState* IncrementalLinker::AddCachedKeyState(
    const BlockingKey& key) {
  if (shared_postings_ == nullptr) return nullptr;
  const CachedPostings* cached = shared_postings_->Find(key);
  if (cached == nullptr) return nullptr;
  if (!cached->capped) {
    // The whole stored list, shorter than any scan limit: what a scan
    // would return.
    return AddKeyState(key, cached->postings);
  }
  if (auto removed = removed_postings_.find(key);
      removed != removed_postings_.end() && !removed->second.empty()) {
    return nullptr;
  }
  // More than the cap stored and none removed now: a scan would stop at
  // its limit, capped before and after.
  KeyState state;
  state.capped_before = state.capped_after = true;
  state.count_after = ScanLimit(key);
  return &key_states_.emplace(key, std::move(state)).first->second;
}

absl::StatusOr<const IncrementalLinker::KeyState*> IncrementalLinker::Examine(
    const BlockingKey& key) {
  if (auto it = key_states_.find(key); it != key_states_.end()) {
    return &it->second;
  }
  if (const KeyState* cached = AddCachedKeyState(key)) return cached;
  CREDIT_ASSIGN_OR_RETURN(auto scanned, ScanPostings(&blocking_scanner_, key));
  return AddKeyState(key, scanned);
}

absl::Status IncrementalLinker::ExamineAll(
    const std::vector<BlockingKey>& keys) {
  std::vector<const BlockingKey*> todo;
  for (const BlockingKey& key : keys) {
    if (key_states_.contains(key) || AddCachedKeyState(key) != nullptr) {
      continue;
    }
    todo.push_back(&key);
  }
  std::vector<std::vector<std::uint64_t>> scanned(todo.size());
  CREDIT_RETURN_IF_ERROR(ScanOnAllCores(
      ColumnFamily::kBlocking, todo.size(),
      [&](PrefixScanner* scanner, std::size_t i) -> absl::Status {
        CREDIT_ASSIGN_OR_RETURN(scanned[i], ScanPostings(scanner, *todo[i]));
        return absl::OkStatus();
      }));
  for (std::size_t i = 0; i < todo.size(); ++i) {
    AddKeyState(*todo[i], scanned[i]);
  }
  return absl::OkStatus();
}

absl::Status IncrementalLinker::ScanOnAllCores(
    ColumnFamily family, std::size_t n,
    absl::FunctionRef<absl::Status(PrefixScanner*, std::size_t)> scan) const {
  // Independent reads: each thread scans its share with its own iterator
  // (all see the store as of the last write: the engine's write lock is
  // held). The first error in index order wins.
  std::vector<absl::Status> errors(n);
  ParallelFor(n, kMinParallelScans, [&](std::size_t begin, std::size_t end) {
    PrefixScanner scanner(store_, family);
    for (std::size_t i = begin; i < end; ++i) {
      errors[i] = scan(&scanner, i);
      if (!errors[i].ok()) return;
    }
  });
  for (const absl::Status& error : errors) CREDIT_RETURN_IF_ERROR(error);
  return absl::OkStatus();
}

absl::StatusOr<IncrementalLinker::StoredEdges>
IncrementalLinker::ScanStoredEdges(PrefixScanner* scanner,
                                   std::uint64_t number) const {
  StoredEdges edges;
  absl::Status bad = absl::OkStatus();
  CREDIT_RETURN_IF_ERROR(scanner->Scan(
      RecordNumberKey(number),
      [&](std::string_view key, std::string_view value) {
        auto other = ReadUint64(key, 8);
        if (!other || key.size() != 16) {
          bad = absl::DataLossError("an edge key is corrupt");
          return false;
        }
        auto edge = DecodeEdgeValue(number, *other, value);
        if (!edge.ok()) {
          bad = edge.status();
          return false;
        }
        edges.emplace_back(*other, *edge);
        return true;
      }));
  CREDIT_RETURN_IF_ERROR(bad);
  return edges;
}

absl::StatusOr<std::vector<IncrementalLinker::StoredEdges>>
IncrementalLinker::ScanStoredEdgesOfAll(
    const std::vector<std::uint64_t>& numbers) const {
  std::vector<StoredEdges> edges(numbers.size());
  CREDIT_RETURN_IF_ERROR(ScanOnAllCores(
      ColumnFamily::kEdges, numbers.size(),
      [&](PrefixScanner* scanner, std::size_t i) -> absl::Status {
        CREDIT_ASSIGN_OR_RETURN(edges[i], ScanStoredEdges(scanner, numbers[i]));
        return absl::OkStatus();
      }));
  return edges;
}

std::vector<ClusterEdge> IncrementalLinker::WithEdits(
    std::uint64_t number, const StoredEdges& stored) const {
  std::map<std::uint64_t, ClusterEdge> edges;  // other record -> edge
  for (const auto& [other, edge] : stored) {
    if (!edge_edits_.contains(MakePair(number, other))) edges[other] = edge;
  }
  if (auto it = edited_neighbors_.find(number); it != edited_neighbors_.end()) {
    for (std::uint64_t other : it->second) {
      const auto& edit = edge_edits_.at(MakePair(number, other));
      if (edit.has_value()) {
        edges[other] = ToClusterEdge(*edit);
      } else {
        edges.erase(other);
      }
    }
  }
  std::vector<ClusterEdge> out;
  out.reserve(edges.size());
  for (auto& [other, edge] : edges) out.push_back(edge);
  return out;
}

absl::StatusOr<std::vector<ClusterEdge>> IncrementalLinker::EdgesOf(
    std::uint64_t number) {
  CREDIT_ASSIGN_OR_RETURN(StoredEdges stored,
                          ScanStoredEdges(&edge_scanner_, number));
  return WithEdits(number, stored);
}

absl::StatusOr<std::vector<std::optional<std::uint64_t>>>
IncrementalLinker::StoredEntitiesOf(const std::vector<std::uint64_t>& numbers) {
  std::vector<std::string> keys;
  keys.reserve(numbers.size());
  for (std::uint64_t number : numbers) keys.push_back(RecordNumberKey(number));
  CREDIT_ASSIGN_OR_RETURN(
      auto values, store_->MultiGetOnAllCores(ColumnFamily::kRecordEntity, keys));
  std::vector<std::optional<std::uint64_t>> ids(numbers.size());
  for (std::size_t i = 0; i < numbers.size(); ++i) {
    if (values[i]) ids[i] = ReadUint64(*values[i]);
  }
  return ids;
}

absl::Status IncrementalLinker::ExpandEntities(
    const std::vector<std::uint64_t>& ids, LinkOutcome* outcome,
    std::map<std::uint64_t, std::set<std::uint64_t>>* old_members,
    std::vector<std::uint64_t>* frontier) {
  std::vector<std::uint64_t> fresh;
  for (std::uint64_t id : ids) {
    if (outcome->old_entities.count(id) == 0 &&
        std::find(fresh.begin(), fresh.end(), id) == fresh.end()) {
      fresh.push_back(id);
    }
  }
  if (fresh.empty()) return absl::OkStatus();
  std::vector<std::string> entity_keys;
  for (std::uint64_t id : fresh) entity_keys.push_back(EntityIdKey(id));
  CREDIT_ASSIGN_OR_RETURN(
      auto entity_bytes,
      store_->MultiGetOnAllCores(ColumnFamily::kEntities, entity_keys));
  std::vector<v1::Entity> entities(fresh.size());
  std::vector<std::string> member_keys;
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    if (!entity_bytes[i]) {
      return absl::DataLossError(fmt::format(
          "a record points to entity {}, which is missing", fresh[i]));
    }
    // The profile, most of an entity's bytes, is rebuilt anyway.
    if (!ParseWithoutFields(*entity_bytes[i], {v1::Entity::kProfileFieldNumber},
                            &entities[i])) {
      return absl::DataLossError(
          fmt::format("stored entity {} is corrupt", fresh[i]));
    }
    for (const auto& key : entities[i].members()) {
      member_keys.push_back(RecordIdKey(key.source(), key.record_id()));
    }
  }
  CREDIT_ASSIGN_OR_RETURN(
      auto numbers,
      store_->MultiGetOnAllCores(ColumnFamily::kRecordIds, member_keys));
  std::size_t next = 0;
  for (std::size_t i = 0; i < fresh.size(); ++i) {
    auto& members = (*old_members)[fresh[i]];
    for (const auto& key : entities[i].members()) {
      const auto& bytes = numbers[next++];
      auto number = bytes ? ReadUint64(*bytes) : std::nullopt;
      if (!number) {
        return absl::DataLossError(fmt::format(
            "entity {} lists member {}/{}, which is missing", fresh[i],
            key.source(), key.record_id()));
      }
      members.insert(*number);
      outcome->keys_of[*number] = key;
      if (removed_.count(*number) == 0) frontier->push_back(*number);
    }
    outcome->old_entities[fresh[i]] = std::move(entities[i]);
  }
  return absl::OkStatus();
}

absl::Status IncrementalLinker::DeriveEdges(std::uint64_t number,
                                            const StoredEdges& stored,
                                            absl::flat_hash_set<Pair>* scored,
                                            LinkOutcome* outcome) {
  // Drop the computed edges; a reviewer's decision stays.
  const std::vector<ClusterEdge> current = WithEdits(number, stored);
  absl::flat_hash_set<std::uint64_t> reviewed;
  for (const ClusterEdge& edge : current) {
    const std::uint64_t other = edge.a == number ? edge.b : edge.a;
    if (IsReviewerEdge(edge.kind)) {
      reviewed.insert(other);
      continue;
    }
    const Pair pair = MakePair(number, other);
    // Already derived in this call (from the other end): keep it.
    if (scored->count(pair) > 0) continue;
    edge_edits_[pair] = std::nullopt;
    edited_neighbors_[number].insert(other);
    edited_neighbors_[other].insert(number);
  }
  CREDIT_ASSIGN_OR_RETURN(Cached * self, Load(number, /*with_record=*/true));
  std::set<std::uint64_t> candidates;
  for (const BlockingKey& key : KeysOf(self)) {
    CREDIT_ASSIGN_OR_RETURN(const KeyState* state, Examine(key));
    if (state->capped_after) continue;  // too common: no candidates
    candidates.insert(state->postings_after.begin(),
                      state->postings_after.end());
  }
  candidates.erase(number);
  for (std::uint64_t other : candidates) {
    const Pair pair = MakePair(number, other);
    if (!scored->insert(pair).second || reviewed.count(other) > 0) continue;
    CREDIT_ASSIGN_OR_RETURN(Cached * a, Load(pair.first));
    CREDIT_ASSIGN_OR_RETURN(Cached * b, Load(pair.second));
    const PairScore score = scorer_->Score(*a->prepared, *b->prepared);
    ++outcome->pairs_scored;
    if (!scorer_->IsMatch(score) && !score.is_cannot_link() &&
        !scorer_->IsPossibleMatch(score)) {
      continue;
    }
    edge_edits_[pair] =
        scorer_->ToStoredEdge(score, *a->prepared, *b->prepared);
    edited_neighbors_[pair.first].insert(pair.second);
    edited_neighbors_[pair.second].insert(pair.first);
  }
  return absl::OkStatus();
}

void IncrementalLinker::RememberPostings(PostingsCache* cache) const {
  for (const auto& [key, state] : key_states_) {
    CachedPostings postings;
    postings.capped = state.capped_after;
    // Exact when not capped; a key that just crossed the cap lists its
    // postings for re-deriving, which the cache does not keep.
    if (!state.capped_after) postings.postings = state.postings_after;
    cache->Insert(key, std::move(postings));
  }
}

absl::StatusOr<LinkOutcome> IncrementalLinker::Finish(
    std::uint64_t next_entity_id) {
  LinkOutcome outcome;
  // The records to re-derive: the staged ones, both ends of a withdrawn
  // review, and every record under a key that crossed the cap.
  std::set<std::uint64_t> rederive(staged_.begin(), staged_.end());
  rederive.insert(review_withdrawn_.begin(), review_withdrawn_.end());
  // key_counts lists the keys past the cap, with their count when they
  // passed it (for stats and explanations).
  CREDIT_RETURN_IF_ERROR(ExamineAll(std::vector<BlockingKey>(
      touched_keys_.begin(), touched_keys_.end())));
  for (const BlockingKey& key : touched_keys_) {
    CREDIT_ASSIGN_OR_RETURN(const KeyState* state, Examine(key));
    if (state->capped_before == state->capped_after) continue;
    ++outcome.keys_crossing_cap;
    const std::string count_key = BlockingKeyPrefix(TypeByte(key), key.value);
    if (state->capped_after) {
      batch_->Put(store_->cf(ColumnFamily::kKeyCounts), count_key,
                  EncodeCounter(state->count_after));
    } else {
      batch_->Delete(store_->cf(ColumnFamily::kKeyCounts), count_key);
    }
    rederive.insert(state->postings_after.begin(),
                    state->postings_after.end());
  }
  // Removed records lose every edge, reviewer decisions included.
  for (std::uint64_t number : removed_) {
    CREDIT_ASSIGN_OR_RETURN(std::vector<ClusterEdge> current, EdgesOf(number));
    for (const ClusterEdge& edge : current) {
      const std::uint64_t other = edge.a == number ? edge.b : edge.a;
      edge_edits_[MakePair(number, other)] = std::nullopt;
      edited_neighbors_[number].insert(other);
      edited_neighbors_[other].insert(number);
    }
  }
  // What deriving reads, loaded up front with two MultiGets: the records to
  // re-derive, then every candidate under their keys.
  CREDIT_RETURN_IF_ERROR(
      Prefetch(std::vector<std::uint64_t>(rederive.begin(), rederive.end()),
               /*with_records=*/true));
  std::vector<std::uint64_t> candidates;
  for (std::uint64_t number : rederive) {
    for (const BlockingKey& key : KeysOf(&cache_.at(number))) {
      CREDIT_ASSIGN_OR_RETURN(const KeyState* state, Examine(key));
      if (state->capped_after) continue;
      candidates.insert(candidates.end(), state->postings_after.begin(),
                        state->postings_after.end());
    }
  }
  std::sort(candidates.begin(), candidates.end());
  candidates.erase(std::unique(candidates.begin(), candidates.end()),
                   candidates.end());
  CREDIT_RETURN_IF_ERROR(Prefetch(candidates, /*with_records=*/false));
  // The stored edges of every record to re-derive, read up front; edits
  // made while deriving are applied to them as each record's turn comes.
  const std::vector<std::uint64_t> rederived(rederive.begin(), rederive.end());
  CREDIT_ASSIGN_OR_RETURN(std::vector<StoredEdges> stored_edges,
                          ScanStoredEdgesOfAll(rederived));
  absl::flat_hash_set<Pair> scored;
  for (std::size_t i = 0; i < rederived.size(); ++i) {
    CREDIT_RETURN_IF_ERROR(
        DeriveEdges(rederived[i], stored_edges[i], &scored, &outcome));
  }
  for (const auto& [pair, edit] : edge_edits_) {
    if (edit.has_value()) {
      PutEdge(*store_, *edit, batch_);
    } else {
      batch_->Delete(store_->cf(ColumnFamily::kEdges),
                     DirectedEdgeKey(pair.first, pair.second));
      batch_->Delete(store_->cf(ColumnFamily::kEdges),
                     DirectedEdgeKey(pair.second, pair.first));
    }
  }

  // The affected records: the connected components (over joining edges) of
  // every re-derived record, closed over the old entities they touch. Walked
  // one frontier at a time, so that each step's reads are MultiGets.
  std::set<std::uint64_t> affected;
  std::map<std::uint64_t, std::uint64_t> previous;  // record -> old entity
  std::map<std::uint64_t, std::set<std::uint64_t>> old_members;
  std::vector<ClusterEdge> edges;
  std::vector<std::uint64_t> frontier(rederive.begin(), rederive.end());
  frontier.insert(frontier.end(), reviewed_.begin(), reviewed_.end());
  // The entities of removed records are affected too; their live members
  // join the walk.
  std::vector<std::uint64_t> entities;
  {
    std::vector<std::uint64_t> gone(removed_.begin(), removed_.end());
    CREDIT_ASSIGN_OR_RETURN(auto ids, StoredEntitiesOf(gone));
    for (const auto& id : ids) {
      if (id) entities.push_back(*id);
    }
    CREDIT_RETURN_IF_ERROR(ExpandEntities(entities, &outcome, &old_members,
                                          &frontier));
  }
  while (!frontier.empty()) {
    std::vector<std::uint64_t> step;
    for (std::uint64_t number : frontier) {
      if (removed_.count(number) == 0 && affected.insert(number).second) {
        step.push_back(number);
      }
    }
    frontier.clear();
    CREDIT_ASSIGN_OR_RETURN(auto ids, StoredEntitiesOf(step));
    entities.clear();
    for (std::size_t i = 0; i < step.size(); ++i) {
      if (!ids[i]) continue;
      previous[step[i]] = *ids[i];
      entities.push_back(*ids[i]);
    }
    CREDIT_RETURN_IF_ERROR(
        ExpandEntities(entities, &outcome, &old_members, &frontier));
    CREDIT_ASSIGN_OR_RETURN(std::vector<StoredEdges> stored_edges,
                            ScanStoredEdgesOfAll(step));
    for (std::size_t i = 0; i < step.size(); ++i) {
      const std::uint64_t number = step[i];
      for (const ClusterEdge& edge : WithEdits(number, stored_edges[i])) {
        if (edge.kind == v1::Edge::POSSIBLE_MATCH ||
            edge.kind == v1::Edge::KIND_UNSPECIFIED) {
          continue;
        }
        const std::uint64_t other = edge.a == number ? edge.b : edge.a;
        // Each edge once: from its smaller end, or from the end that reaches
        // a record outside the walk (the clusterer ignores those).
        if (number < other) edges.push_back(edge);
        if (Joins(edge.kind)) frontier.push_back(other);
      }
    }
  }
  for (std::uint64_t number : staged_) {
    const v1::Record* record = cache_.at(number).record;
    v1::RecordKey key;
    key.set_source(record->source());
    key.set_record_id(record->record_id());
    outcome.keys_of[number] = std::move(key);
  }
  std::vector<std::uint64_t> numbers(affected.begin(), affected.end());
  // Ties break by record key, as in a bulk run (component_clusterer.h).
  std::vector<KeyedRecord> keyed;
  keyed.reserve(numbers.size());
  for (std::uint64_t number : numbers) {
    auto key = outcome.keys_of.find(number);
    if (key == outcome.keys_of.end()) {
      return absl::InternalError(fmt::format(
          "record number {} was reached while linking but its key was not "
          "read",
          number));
    }
    keyed.push_back({key->second.source(), key->second.record_id(), number});
  }
  const auto rank = RankByRecordKey(std::move(keyed));
  Clustering clustering = ComponentClusterer::Cluster(
      numbers, edges, [&rank](std::uint64_t number) { return rank.at(number); });
  EntityAssignment ids =
      AssignEntityIds(clustering.components, previous, next_entity_id);
  outcome.next_entity_id = ids.next_entity_id;
  outcome.retired = ids.retired;

  for (const auto& [number, id] : ids.entity_of) {
    auto old = previous.find(number);
    if (old == previous.end() || old->second != id) {
      outcome.entity_of[number] = id;
    }
  }
  for (const auto& [id, members] : ids.members) {
    auto old = old_members.find(id);
    bool changed = old == old_members.end() ||
                   !std::equal(old->second.begin(), old->second.end(),
                               members.begin(), members.end());
    for (std::uint64_t m : members) changed |= staged_.count(m) > 0;
    if (!changed) continue;
    outcome.changed[id] = members;
    v1::EntityChange change;
    change.set_entity_id(id);
    std::set<std::uint64_t> origins;  // old entities its members came from
    for (std::uint64_t m : members) {
      if (auto p = previous.find(m); p != previous.end() && p->second != id) {
        origins.insert(p->second);
      }
    }
    std::vector<std::uint64_t> merged;
    for (const auto& [retired, survivor] : ids.retired) {
      if (survivor == id) merged.push_back(retired);
    }
    if (!merged.empty()) {
      change.set_kind(v1::EntityChange::MERGED);
      for (std::uint64_t r : merged) change.add_related_ids(r);
    } else if (old == old_members.end() && !origins.empty()) {
      change.set_kind(v1::EntityChange::SPLIT);
      for (std::uint64_t o : origins) change.add_related_ids(o);
    } else if (old == old_members.end()) {
      change.set_kind(v1::EntityChange::CREATED);
    } else {
      change.set_kind(v1::EntityChange::UPDATED);
    }
    outcome.changes.push_back(std::move(change));
  }
  for (const auto& [id, entity] : outcome.old_entities) {
    if (ids.members.count(id) > 0 || ids.retired.count(id) > 0) continue;
    // No live member left: the entity is gone.
    outcome.emptied.push_back(id);
    v1::EntityChange change;
    change.set_kind(v1::EntityChange::DELETED);
    change.set_entity_id(id);
    outcome.changes.push_back(std::move(change));
  }
  return outcome;
}

}  // namespace credit
