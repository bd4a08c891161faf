#include "engine/engine_impl.h"

#include <google/protobuf/util/message_differencer.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <set>
#include <utility>

#include "absl/cleanup/cleanup.h"
#include "absl/functional/function_ref.h"
#include "absl/strings/numbers.h"
#include "fmt/format.h"
#include "ingest/row_mapper.h"
#include "ingest/row_reader.h"
#include "match/blocking_keys.h"
#include "match/match_model.h"
#include "match/model_trainer.h"
#include "match/record_fields.h"
#include "normalize/record_normalizer.h"
#include "resolve/bulk_resolver.h"
#include "store/key_codec.h"
#include "store/partial_parse.h"
#include "store/record_scan.h"
#include "util/parallel_for.h"
#include "util/prefetcher.h"
#include "util/status_macros.h"
#include "util/utf8.h"

namespace credit {
namespace {

using store_internal::EntityIdKey;
using store_internal::QuarantineKey;
using store_internal::ReadUint64;
using store_internal::RecordIdKey;
using store_internal::RecordNumberKey;

constexpr const char* kNextRecordKey = "next_record_number";
constexpr const char* kNextEntityKey = "next_entity_id";
constexpr const char* kQuarantineSequenceKey = "quarantine_sequence";
constexpr const char* kEntityCountKey = "count/entities";
// The term-frequency snapshot incremental linking scores with.
constexpr const char* kTermFrequencyKey = "term_frequencies";
// The match model in force, once TrainModel() stored one.
constexpr const char* kMatchModelKey = "match_model";
// The blocking-key version of the stored index and edges (decimal text).
// Absent from stores written before it existed: version 1.
constexpr const char* kBlockingKeysVersionKey = "blocking_keys_version";
// Present while records stored with IngestOptions::defer_entities have no
// entity yet; ResolveAll() removes it.
constexpr const char* kAwaitingLinkKey = "awaiting_link";
// Audit events name at most this many records; the rest is a count.
constexpr int kMaxAuditRecordKeys = 100;

std::string RecordCountKey(std::string_view source) {
  return fmt::format("count/records/{}", source);
}
std::string QuarantineCountKey(std::string_view source) {
  return fmt::format("count/quarantine/{}", source);
}

absl::StatusOr<uint64_t> ReadMetaNumber(const Store& store,
                                        std::string_view key) {
  auto value = store.Get(ColumnFamily::kMeta, key);
  if (!value.ok()) return value.status();
  if (!value->has_value()) return uint64_t{0};
  auto number = ReadUint64(**value);
  if (!number) {
    return absl::DataLossError(
        fmt::format("meta key '{}' is not an 8-byte number", key));
  }
  return *number;
}

// Returns the blocking-key version the store's index and edges were
// written under. A store that never held a record is stamped with the
// current one; an unstamped store with records predates the stamp: 1.
absl::StatusOr<uint32_t> LoadOrStampBlockingKeysVersion(Store* store,
                                                 uint64_t next_record) {
  CREDIT_ASSIGN_OR_RETURN(
      auto stored, store->Get(ColumnFamily::kMeta, kBlockingKeysVersionKey));
  if (stored) {
    uint32_t version = 0;
    if (!absl::SimpleAtoi(*stored, &version) || version == 0) {
      return absl::DataLossError(fmt::format(
          "meta key '{}' holds '{}', not a version number: restore a backup",
          kBlockingKeysVersionKey, *stored));
    }
    return version;
  }
  if (next_record > 1) return 1;
  rocksdb::WriteBatch batch;
  batch.Put(store->cf(ColumnFamily::kMeta), kBlockingKeysVersionKey,
            std::to_string(kBlockingKeysVersion));
  CREDIT_RETURN_IF_ERROR(store->Write(&batch, /*sync=*/true));
  return kBlockingKeysVersion;
}

// `status` of a step that ran after `what` was committed: OK, or the same
// error saying that `what` stands.
absl::Status CommittedBut(std::string_view what, std::string_view step,
                          const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(),
                      fmt::format("{} is committed, but {} failed: {}", what,
                                  step, std::string(status.message())));
}

// Returns the first problem that keeps `record` out of the store, or "".
// `columns_checked`: its raw columns came from a reader that already
// refused any column value that is not UTF-8 (RowReader::ChecksColumnUtf8).
std::string FindRecordProblem(const v1::Record& record, bool columns_checked) {
  if (record.record_id().empty()) return "missing record id";
  if (record.record_id().find('\0') != std::string::npos) {
    return "record id contains a NUL byte";
  }
  // `what` names the text in the message; it is only built for a problem
  // (formatting it for every feature and column of every record cost a
  // tenth of the reading thread of a bulk load).
  auto check = [](absl::FunctionRef<std::string()> what,
                  std::string_view text) -> std::string {
    size_t bad = FindInvalidUtf8(text);
    if (bad == std::string_view::npos) return "";
    return fmt::format("{} is not valid UTF-8 (byte {}); convert the input or "
                       "set the mapping's encoding",
                       what(), bad);
  };
  std::string problem =
      check([] { return std::string("record id"); }, record.record_id());
  if (!problem.empty()) return problem;
  if (record.entity_kind() == v1::ENTITY_KIND_UNSPECIFIED) {
    return "entity kind is missing (set PERSON or ORG)";
  }
  for (const auto& feature : record.features()) {
    auto what = [&feature] {
      return fmt::format("feature {}", v1::Feature::Type_Name(feature.type()));
    };
    for (std::string_view text :
         {std::string_view(feature.value()), std::string_view(feature.given()),
          std::string_view(feature.family()),
          std::string_view(feature.scheme_name()),
          std::string_view(feature.attribute())}) {
      problem = check(what, text);
      if (!problem.empty()) return problem;
      // Valid UTF-8, but no text holds one: the input is damaged (and a
      // NUL would end the value in many a tool downstream).
      if (size_t nul = text.find('\0'); nul != std::string_view::npos) {
        return fmt::format("{} contains a NUL byte (byte {}); the input is "
                           "damaged",
                           what(), nul);
      }
    }
  }
  for (const auto& fact : record.facts()) {
    problem = check([] { return std::string("fact kind"); }, fact.kind());
    if (!problem.empty()) return problem;
    if (fact.kind().empty()) return "a fact has no kind";
    for (const auto& [name, value] : fact.attributes()) {
      problem = check(
          [&name = name] { return fmt::format("fact attribute '{}'", name); },
          value);
      if (!problem.empty()) return problem;
      problem = check([] { return std::string("fact attribute name"); }, name);
      if (!problem.empty()) return problem;
    }
  }
  // Most of a row's bytes, and a map slower to walk than its size says: a
  // tenth of a bulk load's reading thread went into this check.
  if (columns_checked) return "";
  for (const auto& [name, value] : record.raw().columns()) {
    problem = check([&name = name] { return fmt::format("column '{}'", name); },
                    value);
    if (!problem.empty()) return problem;
  }
  return "";
}

// The raw bytes to keep for a typed record that is quarantined.
std::string RawBytesOf(const v1::Record& record) {
  if (!record.raw().bytes().empty()) return record.raw().bytes();
  return record.ShortDebugString();
}

// A value of a column in `row`, or "".
std::string ColumnValue(const InputRow& row, std::string_view column) {
  for (const auto& [name, value] : row.columns) {
    if (name == column) return value;
  }
  return "";
}

std::string RawBytesOf(const InputRow& row) {
  if (!row.raw.empty()) return row.raw;
  std::string raw;
  for (const auto& [name, value] : row.columns) {
    if (!raw.empty()) raw += ", ";
    raw += fmt::format("{}={}", name, value);
  }
  return raw;
}

// Parses a stored record for profiles and indicators: never its raw input,
// and its facts only when indicators will read them.
bool ParseForProfile(std::string_view bytes, bool with_facts,
                     v1::Record* out) {
  if (with_facts) {
    return ParseWithoutFields(bytes, {v1::Record::kRawFieldNumber}, out);
  }
  return ParseWithoutFields(
      bytes, {v1::Record::kRawFieldNumber, v1::Record::kFactsFieldNumber},
      out);
}

// Every stored record, in record-number order, as ParseForProfile reads
// it, from the view `read` gives (a snapshot), read on all cores.
absl::StatusOr<std::vector<v1::Record>> ReadAllRecords(
    const Store& store, const rocksdb::ReadOptions& read, bool with_facts) {
  CREDIT_ASSIGN_OR_RETURN(auto range, StoredRecordNumberRange(store, read));
  if (!range) return std::vector<v1::Record>();
  const auto [first, last] = *range;
  std::vector<std::vector<v1::Record>> parts(RecordScanParts(first, last));
  CREDIT_RETURN_IF_ERROR(VisitRecordsOnAllCores(
      store, read, first, last,
      [&](size_t part, uint64_t number, std::string_view value) {
        if (ParseForProfile(value, with_facts, &parts[part].emplace_back())) {
          return absl::OkStatus();
        }
        return absl::DataLossError(fmt::format(
            "corrupt value in column family 'records' (record number {}): "
            "restore from a backup",
            number));
      }));
  size_t total = 0;
  for (const auto& part : parts) total += part.size();
  std::vector<v1::Record> records;
  records.reserve(total);
  for (auto& part : parts) {
    for (v1::Record& record : part) records.push_back(std::move(record));
    part = {};
  }
  return records;
}

// Maps `rows` through `mapper`: records to `records`, rows the mapping
// cannot turn into a record to `rejects` with the reason.
void MapRows(const v1::SourceConfig& config, const RowMapper& mapper,
             const std::vector<InputRow>& rows, std::vector<v1::Record>* records,
             std::vector<v1::QuarantinedRow>* rejects) {
  records->reserve(records->size() + rows.size());
  for (const auto& row : rows) {
    auto record = mapper.Map(row);
    if (record.ok()) {
      records->push_back(*std::move(record));
      continue;
    }
    v1::QuarantinedRow reject;
    reject.set_source(config.id());
    reject.set_record_id(ColumnValue(row, config.mapping().record_id()));
    reject.set_file(row.file);
    reject.set_line(row.line);
    reject.set_raw(RawBytesOf(row));
    reject.set_reason(std::string(record.status().message()));
    rejects->push_back(std::move(reject));
  }
}

// `text` cut to about `max_bytes` (at a UTF-8 character boundary) with
// "..." and the full length: a warning quotes the offending value, which
// may be a megabyte-long field.
std::string ShortenForMessage(std::string_view text, size_t max_bytes = 300) {
  if (text.size() <= max_bytes) return std::string(text);
  size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) {
    --end;
  }
  return fmt::format("{}... ({} bytes in all)", text.substr(0, end),
                     text.size());
}

// A fact's status set by SetFactStatus (a dispute, a repair) carries a
// reason. When the source sends the record again with that fact otherwise
// unchanged, the decision stands: re-sending a file must not undo a
// dispute. A fact the source changed is new information, and its status is
// the source's.
void KeepFactStatuses(const v1::Record& previous, v1::Record* record) {
  const int n = std::min(previous.facts_size(), record->facts_size());
  for (int i = 0; i < n; ++i) {
    const v1::Fact& before = previous.facts(i);
    if (before.status_reason().empty()) continue;
    v1::Fact* after = record->mutable_facts(i);
    v1::Fact before_as_sent = before;
    before_as_sent.clear_status();
    before_as_sent.clear_status_reason();
    v1::Fact after_as_sent = *after;
    after_as_sent.clear_status();
    after_as_sent.clear_status_reason();
    if (!google::protobuf::util::MessageDifferencer::Equals(before_as_sent,
                                                           after_as_sent)) {
      continue;
    }
    after->set_status(before.status());
    after->set_status_reason(before.status_reason());
  }
}

void SortMembers(v1::Entity* entity) {
  auto* members = entity->mutable_members();
  std::sort(members->begin(), members->end(),
            [](const v1::RecordKey& a, const v1::RecordKey& b) {
              return std::tie(a.source(), a.record_id()) <
                     std::tie(b.source(), b.record_id());
            });
}

// Iterates one column family of a snapshot, parsing each value as `T`.
template <typename T>
class ProtoIterator final : public SnapshotIterator<T> {
 public:
  ProtoIterator(const Store* store, ColumnFamily family)
      : snapshot_(store->NewSnapshot()), family_(family) {
    read_options_ = snapshot_->read_options();
    read_options_.fill_cache = false;
    // A whole family, across prefixes (see the prefix extractors in store.cc).
    read_options_.total_order_seek = true;
    it_.reset(store->db()->NewIterator(read_options_, store->cf(family)));
    it_->SeekToFirst();
    Load();
  }
  bool Valid() const override { return it_->Valid() && status_.ok(); }
  void Next() override {
    it_->Next();
    Load();
  }
  const T& value() const override { return value_; }
  absl::Status status() const override {
    if (!status_.ok()) return status_;
    return FromRocks(it_->status(),
                     fmt::format("scan {}", ColumnFamilyName(family_)));
  }

 private:
  void Load() {
    if (!it_->Valid()) return;
    if (!value_.ParseFromArray(it_->value().data(),
                               static_cast<int>(it_->value().size()))) {
      status_ = absl::DataLossError(fmt::format(
          "corrupt value in column family '{}': restore from a backup",
          ColumnFamilyName(family_)));
    }
  }

  std::shared_ptr<StoreSnapshot> snapshot_;
  ColumnFamily family_;
  rocksdb::ReadOptions read_options_;
  std::unique_ptr<rocksdb::Iterator> it_;
  T value_;
  absl::Status status_;
};

// The edges of a relink as one table of the edges family (batch_tables.h):
// the layout PutEdge writes, each edge at DirectedEdgeKey(a, b) and its
// back-reference at (b, a), produced in key order by merging the edges
// sorted both ways. Replaces every stored edge. `edges` must outlive the
// write.
ReplacementTable EdgesReplacement(const Store& store,
                                  const std::vector<SerializedEdge>& edges) {
  ReplacementTable table;
  table.family = store.cf(ColumnFamily::kEdges);
  table.delete_begin = RecordNumberKey(0);
  table.delete_end = std::string(17, '\xff');
  table.write = [&edges](TableSink& sink) -> absl::Status {
    struct Entry {
      uint64_t first = 0;
      uint64_t second = 0;
      bool operator<(const Entry& other) const {
        return std::pair(first, second) < std::pair(other.first, other.second);
      }
    };
    // A forward entry is written from edges[index]; a back-reference from
    // the kind and weight it carries: in key order, edges[index] of the
    // back-references would be a cache miss each (~3 s of a 1M relink).
    struct Forward : Entry {
      size_t index = 0;
    };
    struct Backward : Entry {
      double weight = 0;
      v1::Edge::Kind kind = v1::Edge::MATCH;
    };
    std::vector<Forward> forward(edges.size());
    std::vector<Backward> backward(edges.size());
    for (size_t i = 0; i < edges.size(); ++i) {
      const ClusterEdge& edge = edges[i].edge;
      forward[i] = {{edge.a, edge.b}, i};
      backward[i] = {{edge.b, edge.a}, edge.weight, edge.kind};
    }
    // Scoring emits the edges in pair order already, back-references not.
    if (!std::is_sorted(forward.begin(), forward.end())) {
      std::sort(forward.begin(), forward.end());
    }
    std::sort(backward.begin(), backward.end());
    std::string key;
    size_t f = 0, b = 0;
    while (f < forward.size() || b < backward.size()) {
      const bool take_forward =
          b == backward.size() ||
          (f < forward.size() && forward[f] < backward[b]);
      const Entry& entry =
          take_forward ? static_cast<const Entry&>(forward[f])
                       : static_cast<const Entry&>(backward[b]);
      key.clear();
      store_internal::AppendUint64(&key, entry.first);
      store_internal::AppendUint64(&key, entry.second);
      if (take_forward) {
        CREDIT_RETURN_IF_ERROR(sink.Put(key, edges[forward[f].index].value));
        ++f;
      } else {
        CREDIT_RETURN_IF_ERROR(sink.Put(
            key, EncodeEdgeReference(backward[b].kind, backward[b].weight)));
        ++b;
      }
    }
    return absl::OkStatus();
  };
  return table;
}

// The blocking index of a relink as one table of the blocking family: a
// posting BlockingPostingKey(type, value, number) for each key of each
// record, in key order. That order is (type, value length, value bytes,
// number), as the key spells the length in 4 big-endian bytes before the
// value. `records` and `keys` (keys[i] of records[i]) must outlive the
// write.
ReplacementTable PostingsReplacement(
    const Store& store, const std::vector<const v1::Record*>& records,
    const std::vector<std::vector<BlockingKey>>& keys) {
  ReplacementTable table;
  table.family = store.cf(ColumnFamily::kBlocking);
  table.delete_begin = std::string();
  table.delete_end = std::string(1, '\xff');
  table.write = [&records, &keys](TableSink& sink) -> absl::Status {
    // Each posting carries its value's first 24 bytes as three big-endian
    // words: sorted on as integers, and enough to spell a value that is no
    // longer. Ids and names share long prefixes ("RESIDENT_ID:1101..."), so
    // with fewer words most comparisons, and writing each posting in key
    // order, loaded the value from wherever its BlockingKey lives: a cache
    // miss each (1M relink: sort 2.3 -> 1.6 s, table 7.4 -> 3.7 s).
    static constexpr size_t kWords = 3;
    static constexpr size_t kSpelledBytes = 8 * kWords;
    struct Entry {
      uint8_t type = 0;
      uint32_t length = 0;
      std::array<uint64_t, kWords> words{};
      const BlockingKey* key = nullptr;
      uint64_t number = 0;
    };
    std::vector<Entry> entries;
    size_t total = 0;
    for (const auto& list : keys) total += list.size();
    entries.reserve(total);
    for (size_t i = 0; i < keys.size(); ++i) {
      for (const BlockingKey& key : keys[i]) {
        Entry entry;
        entry.type = static_cast<uint8_t>(key.type);
        entry.length = static_cast<uint32_t>(key.value.size());
        for (size_t w = 0; w < kWords; ++w) {
          entry.words[w] = store_internal::PaddedUint64(key.value, 8 * w);
        }
        entry.key = &key;
        entry.number = records[i]->record_number();
        entries.push_back(entry);
      }
    }
    // Key order (a total order: a record carries each key once), on all
    // cores: ~7M postings at 1M records. Values of equal length and at
    // most 24 bytes are equal when their words are.
    SortOnAllCores(entries, [](const Entry& x, const Entry& y) {
      if (x.type != y.type) return x.type < y.type;
      if (x.length != y.length) return x.length < y.length;
      if (x.words != y.words) return x.words < y.words;
      if (x.length > kSpelledBytes) {
        if (const int order = x.key->value.compare(y.key->value); order != 0) {
          return order < 0;
        }
      }
      return x.number < y.number;
    });
    // A longer value is fetched a few postings ahead: its BlockingKey, then
    // the bytes it points to.
    constexpr size_t kAhead = 8;
    auto spelled_out = [&entries](size_t i) {
      return i < entries.size() && entries[i].length > kSpelledBytes;
    };
    std::string posting;
    std::array<char, kSpelledBytes> spelled;
    for (size_t i = 0; i < entries.size(); ++i) {
      if (spelled_out(i + 2 * kAhead)) {
        __builtin_prefetch(entries[i + 2 * kAhead].key);
      }
      if (spelled_out(i + kAhead)) {
        __builtin_prefetch(entries[i + kAhead].key->value.data());
      }
      const Entry& entry = entries[i];
      std::string_view value;
      if (entry.length <= kSpelledBytes) {
        for (size_t byte = 0; byte < kSpelledBytes; ++byte) {
          spelled[byte] = static_cast<char>(entry.words[byte / 8] >>
                                            (56 - 8 * (byte % 8)));
        }
        value = std::string_view(spelled.data(), entry.length);
      } else {
        value = entry.key->value;
      }
      store_internal::AssignBlockingPostingKey(entry.type, value, entry.number,
                                               &posting);
      CREDIT_RETURN_IF_ERROR(sink.Put(posting, ""));
    }
    return absl::OkStatus();
  };
  return table;
}

}  // namespace

absl::StatusOr<std::unique_ptr<Engine>> Engine::Open(std::string_view path,
                                                     const Options& options) {
  return EngineImpl::Open(path, options);
}

absl::Status Engine::RestoreBackup(std::string_view backup_dir,
                                   std::string_view db_path) {
  return Store::Restore(backup_dir, db_path);
}

EngineImpl::EngineImpl(std::unique_ptr<Store> store, const Options& options,
                       AuditLog audit)
    : store_(std::move(store)),
      options_(options),
      clock_(options.clock != nullptr ? options.clock : Clock::System()),
      audit_(std::move(audit)),
      prepared_cache_(options.linking_cache_records) {}

absl::StatusOr<std::unique_ptr<Engine>> EngineImpl::Open(
    std::string_view path, const Options& options) {
  StoreOptions store_options;
  store_options.create_if_missing = options.create_if_missing;
  store_options.block_cache_bytes = options.block_cache_bytes;
  store_options.write_buffer_bytes = options.write_buffer_bytes;
  store_options.background_jobs = options.background_jobs;
  CREDIT_ASSIGN_OR_RETURN(auto store, Store::Open(path, store_options));
  CREDIT_ASSIGN_OR_RETURN(auto audit, AuditLog::Load(store.get()));
  CREDIT_ASSIGN_OR_RETURN(uint64_t next_record,
                          ReadMetaNumber(*store, kNextRecordKey));
  CREDIT_ASSIGN_OR_RETURN(uint64_t next_entity,
                          ReadMetaNumber(*store, kNextEntityKey));
  CREDIT_ASSIGN_OR_RETURN(uint64_t quarantine_sequence,
                          ReadMetaNumber(*store, kQuarantineSequenceKey));
  CREDIT_ASSIGN_OR_RETURN(
      uint32_t keys_version,
      LoadOrStampBlockingKeysVersion(store.get(), next_record));
  std::unique_ptr<EngineImpl> engine(
      new EngineImpl(std::move(store), options, std::move(audit)));
  {
    absl::MutexLock lock(&engine->write_mu_);
    engine->next_record_number_ = std::max<uint64_t>(next_record, 1);
    engine->next_entity_id_ = std::max<uint64_t>(next_entity, 1);
    engine->quarantine_sequence_ = quarantine_sequence;
    engine->blocking_keys_version_ = keys_version;
  }
  CREDIT_ASSIGN_OR_RETURN(
      auto tf_bytes,
      engine->store_->Get(ColumnFamily::kMeta, kTermFrequencyKey));
  v1::MatchModel model = DefaultMatchModel();
  CREDIT_ASSIGN_OR_RETURN(
      auto model_bytes, engine->store_->Get(ColumnFamily::kMeta, kMatchModelKey));
  if (model_bytes && !model.ParseFromString(*model_bytes)) {
    return absl::DataLossError(fmt::format(
        "the stored match model of '{}' is corrupt; restore a backup or "
        "retrain it",
        path));
  }
  CREDIT_ASSIGN_OR_RETURN(
      auto linking, MakeLinkingModel(model, tf_bytes.value_or("")));
  {
    absl::MutexLock lock(&engine->linking_mu_);
    engine->linking_ = std::move(linking);
  }
  if (options.register_stored_rules) {
    CREDIT_RETURN_IF_ERROR(engine->LoadStoredRules());
  }
  if (options.preload_linking_cache) {
    absl::MutexLock lock(&engine->write_mu_);
    CREDIT_RETURN_IF_ERROR(engine->PreloadLinkingCacheLocked());
  }
  return std::unique_ptr<Engine>(std::move(engine));
}

absl::StatusOr<std::shared_ptr<const LinkingModel>>
EngineImpl::MakeLinkingModel(const v1::MatchModel& model,
                             std::string_view tf_snapshot) {
  auto linking = std::make_shared<LinkingModel>();
  linking->model = model;
  if (!tf_snapshot.empty()) {
    CREDIT_RETURN_IF_ERROR(linking->tf.Deserialize(tf_snapshot));
  }
  CREDIT_ASSIGN_OR_RETURN(PairScorer scorer,
                          PairScorer::Create(model, &linking->tf));
  linking->scorer.emplace(std::move(scorer));
  return std::shared_ptr<const LinkingModel>(std::move(linking));
}

std::shared_ptr<const LinkingModel> EngineImpl::linking() const {
  absl::MutexLock lock(&linking_mu_);
  return linking_;
}

// --- Sources ---------------------------------------------------------------

absl::Status EngineImpl::RegisterSource(const v1::SourceMapping& mapping) {
  // RowMapper::Create validates the whole mapping.
  CREDIT_RETURN_IF_ERROR(RowMapper::Create(mapping).status());
  absl::MutexLock lock(&write_mu_);
  v1::SourceConfig config;
  config.set_id(mapping.source());
  config.set_display_name(mapping.display_name().empty()
                              ? mapping.source()
                              : mapping.display_name());
  config.set_trust_rank(mapping.trust_rank());
  *config.mutable_mapping() = mapping;
  config.set_registered_at_micros(clock_->NowMicros());
  rocksdb::WriteBatch batch;
  batch.Put(store_->cf(ColumnFamily::kSources), mapping.source(),
            config.SerializeAsString());
  v1::AuditEvent event;
  event.set_action("register_source");
  event.set_detail(fmt::format("source '{}' ({}), trust rank {}",
                               config.id(), config.display_name(),
                               config.trust_rank()));
  return Commit(&batch, std::move(event), IngestOptions{});
}

absl::StatusOr<std::vector<v1::SourceConfig>> EngineImpl::ListSources() const {
  std::vector<v1::SourceConfig> sources;
  auto it = std::make_unique<ProtoIterator<v1::SourceConfig>>(
      store_.get(), ColumnFamily::kSources);
  for (; it->Valid(); it->Next()) sources.push_back(it->value());
  CREDIT_RETURN_IF_ERROR(it->status());
  return sources;
}

absl::StatusOr<v1::SourceConfig> EngineImpl::GetSource(
    std::string_view id) const {
  CREDIT_ASSIGN_OR_RETURN(
      auto config,
      store_->GetProto<v1::SourceConfig>(ColumnFamily::kSources, id));
  if (!config) {
    return absl::NotFoundError(fmt::format(
        "source '{}' is not registered (register it with its mapping first, "
        "e.g. `credit ingest --mapping {}.mapping.json`)",
        id, id));
  }
  return *std::move(config);
}

absl::StatusOr<SourceTrust> EngineImpl::LoadSourceTrust() const {
  CREDIT_ASSIGN_OR_RETURN(auto sources, ListSources());
  SourceTrust trust;
  for (const auto& source : sources) trust[source.id()] = source.trust_rank();
  return trust;
}

// --- Ingest ----------------------------------------------------------------

absl::StatusOr<v1::IngestReport> EngineImpl::Ingest(
    std::string_view source, std::vector<v1::Record> records,
    const IngestOptions& options) {
  CREDIT_ASSIGN_OR_RETURN(auto config, GetSource(source));
  for (auto& record : records) record.set_source(config.id());
  return IngestBatch(config, std::move(records), {}, options);
}

absl::StatusOr<v1::IngestReport> EngineImpl::IngestRows(
    std::string_view source, const std::vector<InputRow>& rows,
    const IngestOptions& options) {
  CREDIT_ASSIGN_OR_RETURN(auto config, GetSource(source));
  CREDIT_ASSIGN_OR_RETURN(auto mapper, RowMapper::Create(config.mapping()));
  if (!rows.empty()) {
    std::vector<std::string> header;
    for (const auto& [name, value] : rows.front().columns) {
      header.push_back(name);
    }
    CREDIT_RETURN_IF_ERROR(mapper.CheckColumns(header));
  }
  std::vector<v1::Record> records;
  std::vector<v1::QuarantinedRow> rejects;
  MapRows(config, mapper, rows, &records, &rejects);
  return IngestBatch(config, std::move(records), std::move(rejects), options);
}

absl::StatusOr<v1::IngestReport> EngineImpl::IngestFile(
    std::string_view source, std::string_view path,
    const FileIngestOptions& options) {
  CREDIT_ASSIGN_OR_RETURN(auto config, GetSource(source));
  CREDIT_ASSIGN_OR_RETURN(auto reader, RowReader::Open(config.mapping(), path));
  CREDIT_ASSIGN_OR_RETURN(auto mapper, RowMapper::Create(config.mapping()));
  if (reader->header().empty()) {
    // A JSONL file's columns are the keys of its first object.
    return absl::InvalidArgumentError(fmt::format(
        "input {}: no JSON object in it (an empty file?): nothing to ingest",
        path));
  }
  if (auto columns = mapper.CheckColumns(reader->header()); !columns.ok()) {
    return absl::InvalidArgumentError(
        fmt::format("input {}: {}", path, std::string(columns.message())));
  }

  v1::IngestReport total;
  total.set_source(config.id());
  IngestProgress progress;
  progress.bytes_total = reader->bytes_total();
  std::set<uint64_t> affected;
  bool wrote_tables = false;  // some batch went in as table files
  // Every record id of the file so far, with its line: a repeated id is
  // quarantined wherever the batches happen to split the file.
  SeenRecordIds file_ids;
  const size_t batch_size = std::max<size_t>(options.batch_size, 1);
  // The next batch is read, mapped and normalized on a helper thread while
  // this one links and writes the current batch.
  struct ReadBatch {
    absl::Status status;
    bool more = false;
    uint64_t rows = 0;
    uint64_t bytes_read = 0;
    std::vector<v1::Record> records;
    std::vector<std::string> problems;
    std::vector<v1::QuarantinedRow> rejects;
  };
  // Records this thread has written, freed by the helper thread that built
  // them (see IngestBatchLocked).
  absl::Mutex spent_mu;
  std::vector<std::vector<v1::Record>> spent;  // guarded by spent_mu
  Prefetcher<ReadBatch> batches(
      [&] {
        // Free what the writing thread handed back, outside the lock.
        std::vector<std::vector<v1::Record>> to_free;
        {
          absl::MutexLock lock(&spent_mu);
          to_free.swap(spent);
        }
        to_free.clear();
        ReadBatch batch;
        std::vector<InputRow> rows;
        auto more = reader->ReadBatch(batch_size, &rows, &batch.rejects);
        if (!more.ok()) {
          batch.status = more.status();
          return batch;
        }
        batch.more = *more;
        batch.rows = rows.size() + batch.rejects.size();
        MapRows(config, mapper, rows, &batch.records, &batch.rejects);
        batch.problems = PrepareBatch(config, &batch.records,
                                      reader->ChecksColumnUtf8());
        batch.bytes_read = reader->bytes_read();
        return batch;
      },
      [](const ReadBatch& batch) { return !batch.status.ok() || !batch.more; });
  while (true) {
    ReadBatch batch = batches.Next();
    CREDIT_RETURN_IF_ERROR(batch.status);
    if (batch.rows == 0) {
      if (!batch.more) break;
      continue;
    }
    progress.rows_read += batch.rows;
    absl::StatusOr<v1::IngestReport> ingested;
    std::vector<v1::Record> written;
    {
      absl::MutexLock lock(&write_mu_);
      ingested = IngestBatchLocked(config, std::move(batch.records),
                                   batch.problems, std::move(batch.rejects),
                                   options.ingest, &written,
                                   /*bulk_tables=*/true, &wrote_tables,
                                   &file_ids);
    }
    {
      absl::MutexLock lock(&spent_mu);
      spent.push_back(std::move(written));
    }
    CREDIT_ASSIGN_OR_RETURN(auto report, std::move(ingested));
    total.set_accepted(total.accepted() + report.accepted());
    total.set_updated(total.updated() + report.updated());
    total.set_quarantined(total.quarantined() + report.quarantined());
    total.set_invalid_features(total.invalid_features() +
                               report.invalid_features());
    for (auto& row : *report.mutable_quarantine()) {
      *total.add_quarantine() = std::move(row);
    }
    for (auto& warning : *report.mutable_warnings()) {
      total.add_warnings(std::move(warning));
    }
    for (auto& key : *report.mutable_accepted_keys()) {
      *total.add_accepted_keys() = std::move(key);
    }
    affected.insert(report.affected_entities().begin(),
                    report.affected_entities().end());
    progress.bytes_read = batch.bytes_read;
    progress.accepted = total.accepted();
    progress.quarantined = total.quarantined();
    if (options.progress) options.progress(progress);
    if (!batch.more) break;
  }
  if (wrote_tables) CREDIT_RETURN_IF_ERROR(CompactBulkFamilies());
  for (uint64_t id : affected) total.add_affected_entities(id);
  return total;
}

absl::Status EngineImpl::CompactBulkFamilies() {
  // Each batch committed as tables left a table of a few keys in each of
  // these (counters, its audit event, its rejects): hundreds per million
  // records, each an open file. They are merged now, in milliseconds; the
  // families' larger tables (a long-lived store's audit log) are not
  // rewritten. The records' and record ids' tables stay (a batch's worth
  // each, most on the last level): rewriting them cost 1.7 of the 3.5 s
  // the tables saved over the five sources of the 1M bench set.
  static constexpr ColumnFamily kSmall[] = {
      ColumnFamily::kMeta, ColumnFamily::kAudit, ColumnFamily::kQuarantine};
  return CommittedBut("the file", "merging the small tables its batches left",
                      store_->MergeSmallTables(kSmall, kMaxBulkSmallTableBytes));
}

absl::StatusOr<v1::IngestReport> EngineImpl::IngestBatch(
    const v1::SourceConfig& source, std::vector<v1::Record> records,
    std::vector<v1::QuarantinedRow> rejects, const IngestOptions& options) {
  // Normalization is pure and the costliest step: do it before taking the
  // write lock so concurrent ingest calls overlap here.
  std::vector<std::string> problems = PrepareBatch(source, &records);
  absl::MutexLock lock(&write_mu_);
  return IngestBatchLocked(source, std::move(records), problems,
                           std::move(rejects), options);
}

std::vector<std::string> EngineImpl::PrepareBatch(
    const v1::SourceConfig& source, std::vector<v1::Record>* records,
    bool columns_checked) const {
  std::vector<std::string> problems(records->size());
  for (size_t i = 0; i < records->size(); ++i) {
    v1::Record& record = (*records)[i];
    record.set_source(source.id());
    problems[i] = FindRecordProblem(record, columns_checked);
    if (problems[i].empty()) NormalizeRecord(&record);
  }
  return problems;
}

absl::StatusOr<v1::IngestReport> EngineImpl::IngestBatchLocked(
    const v1::SourceConfig& source, std::vector<v1::Record> records,
    const std::vector<std::string>& problems,
    std::vector<v1::QuarantinedRow> rejects, const IngestOptions& options,
    std::vector<v1::Record>* spent, bool bulk_tables, bool* wrote_tables,
    SeenRecordIds* file_ids) {
  if (options.link && options.defer_entities) {
    return absl::InvalidArgumentError(
        "IngestOptions::defer_entities applies to ingest without linking "
        "(link = false): a linked record always gets its entity");
  }
  if (options.link) CREDIT_RETURN_IF_ERROR(CheckLinkable());
  const int64_t now = clock_->NowMicros();
  v1::IngestReport report;
  report.set_source(source.id());
  // The batch of the last call, emptied: its buffer stays allocated (a new
  // one grew by doubling into fresh pages on every call, whose page faults
  // were a tenth of a bulk load's writing thread), unless that call left it
  // larger than an ingest of a few thousand records needs.
  rocksdb::WriteBatch& batch = ingest_batch_;
  if (batch.GetDataSize() > kMaxKeptIngestBatchBytes) {
    batch = rocksdb::WriteBatch();
  } else {
    batch.Clear();
  }
  const uint64_t first_new_record = next_record_number_;
  const uint64_t first_new_entity = next_entity_id_;
  const uint64_t first_quarantine = quarantine_sequence_;
  auto restore_counters = [&]() ABSL_EXCLUSIVE_LOCKS_REQUIRED(write_mu_) {
    next_record_number_ = first_new_record;
    next_entity_id_ = first_new_entity;
    quarantine_sequence_ = first_quarantine;
  };

  // Rows an adapter rejected, then records with problems or repeated ids.
  for (auto& reject : rejects) {
    reject.set_source(source.id());
    *report.add_quarantine() = reject;
  }
  SeenRecordIds batch_ids;
  SeenRecordIds& seen_ids = file_ids != nullptr ? *file_ids : batch_ids;
  // Ids this call adds to `file_ids`: taken out again if the call fails, so
  // that a retried batch is not refused as repeating itself.
  std::vector<std::string> added_ids;
  absl::Cleanup forget_added = [&] {
    if (file_ids == nullptr) return;
    for (const auto& id : added_ids) file_ids->erase(id);
  };
  std::vector<v1::Record> accepted;
  absl::Cleanup hand_back = [&] {
    if (spent != nullptr) *spent = std::move(accepted);
  };
  accepted.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    v1::Record& record = records[i];
    std::string problem = problems[i];
    if (problem.empty()) {
      auto [first, inserted] =
          seen_ids.try_emplace(record.record_id(), record.raw().line());
      if (inserted) {
        if (file_ids != nullptr) added_ids.push_back(record.record_id());
      } else if (file_ids != nullptr && first->second > 0) {
        problem = fmt::format(
            "record id '{}' appears more than once in this file; the first "
            "occurrence (line {}) was ingested",
            record.record_id(), first->second);
      } else {
        problem = fmt::format(
            "record id '{}' appears more than once in this {}; the first "
            "occurrence was ingested",
            record.record_id(), file_ids != nullptr ? "file" : "batch");
      }
    }
    if (!problem.empty()) {
      v1::QuarantinedRow row;
      row.set_source(source.id());
      if (IsValidUtf8(record.record_id())) row.set_record_id(record.record_id());
      row.set_file(record.raw().file());
      row.set_line(record.raw().line());
      row.set_raw(RawBytesOf(record));
      row.set_reason(record.record_id().empty()
                         ? problem
                         : fmt::format("record {}/{}: {}", source.id(),
                                       IsValidUtf8(record.record_id())
                                           ? record.record_id()
                                           : "<invalid UTF-8>",
                                       problem));
      *report.add_quarantine() = std::move(row);
      continue;
    }
    accepted.push_back(std::move(record));
  }
  for (const auto& row : report.quarantine()) QuarantineRow(row, &batch);
  report.set_quarantined(report.quarantine_size());
  if (report.quarantined() > 0) {
    batch.Merge(store_->cf(ColumnFamily::kMeta), QuarantineCountKey(source.id()),
                EncodeCounter(report.quarantined()));
  }

  CREDIT_ASSIGN_OR_RETURN(SourceTrust trust, LoadSourceTrust());
  const std::shared_ptr<const LinkingModel> linking = this->linking();
  RecordOverlay overlay;
  // The stored versions of updated records, by position in `accepted`.
  std::vector<std::optional<v1::Record>> previous(accepted.size());
  uint64_t new_records = 0;
  for (size_t i = 0; i < accepted.size(); ++i) {
    v1::Record& record = accepted[i];
    record.set_ingested_at_micros(now);
    if (record.observed_at_micros() == 0) record.set_observed_at_micros(now);
    for (const auto& feature : record.features()) {
      if (feature.has_normalized() && !feature.normalized().valid()) {
        report.set_invalid_features(report.invalid_features() + 1);
        report.add_warnings(fmt::format(
            "{}/{}: feature {}: {}", source.id(), record.record_id(),
            ProfileAttributeName(feature),
            ShortenForMessage(feature.normalized().error())));
      }
    }
    const std::string id_key = RecordIdKey(source.id(), record.record_id());
    CREDIT_ASSIGN_OR_RETURN(auto existing,
                            store_->Get(ColumnFamily::kRecordIds, id_key));
    if (existing.has_value()) {
      auto number = ReadUint64(*existing);
      if (!number) {
        restore_counters();
        return absl::DataLossError(fmt::format(
            "record index entry for {}/{} is corrupt", source.id(),
            record.record_id()));
      }
      record.set_record_number(*number);
      report.set_updated(report.updated() + 1);
      CREDIT_ASSIGN_OR_RETURN(
          previous[i], store_->GetProto<v1::Record>(ColumnFamily::kRecords,
                                                    RecordNumberKey(*number)));
      if (previous[i]) KeepFactStatuses(*previous[i], &record);
    } else {
      record.set_record_number(next_record_number_++);
      ++new_records;
      batch.Put(store_->cf(ColumnFamily::kRecordIds), id_key,
                RecordNumberKey(record.record_number()));
    }
    overlay[id_key] = &record;
    if (options.report_keys) {
      auto* key = report.add_accepted_keys();
      key->set_source(source.id());
      key->set_record_id(record.record_id());
    }
  }
  for (const auto& record : accepted) {
    batch.Put(store_->cf(ColumnFamily::kRecords),
              RecordNumberKey(record.record_number()),
              record.SerializeAsString());
  }
  absl::StatusOr<LinkOutcome> outcome;
  // Whatever this call writes, a stale prepared form must not outlive it
  // (record numbers stay with a record through updates).
  for (const auto& record : accepted) {
    prepared_cache_.Erase(record.record_number());
  }
  // Kept until the write has landed: then its postings go to the cache.
  std::optional<IncrementalLinker> linker;
  if (options.link) {
    linker.emplace(store_.get(), &*linking->scorer, CandidateOptions{}, &batch,
                   PreparedCacheFor(linking), &postings_cache_);
    for (size_t i = 0; i < accepted.size(); ++i) {
      linker->Stage(&accepted[i], previous[i] ? &*previous[i] : nullptr);
    }
    outcome = linker->Finish(next_entity_id_);
  } else {
    bool deferred = false;
    outcome = StoreOnlyOutcome(accepted, previous, options.defer_entities,
                               &deferred);
    if (deferred) {
      batch.Put(store_->cf(ColumnFamily::kMeta), kAwaitingLinkKey, "1");
    }
  }
  absl::Status applied = outcome.status();
  if (applied.ok()) {
    applied = ApplyLinkOutcome(*outcome, overlay, trust, now, &batch, &report);
  }
  if (!applied.ok()) {
    restore_counters();
    return applied;
  }
  report.set_accepted(accepted.size());
  if (new_records > 0) {
    batch.Merge(store_->cf(ColumnFamily::kMeta), RecordCountKey(source.id()),
                EncodeCounter(new_records));
  }

  v1::AuditEvent event;
  event.set_action("ingest");
  event.set_record_count(accepted.size());
  for (const auto& record : accepted) {
    if (event.records_size() >= kMaxAuditRecordKeys) break;
    auto* key = event.add_records();
    key->set_source(source.id());
    key->set_record_id(record.record_id());
  }
  for (uint64_t id : report.affected_entities()) {
    if (event.entities_size() >= kMaxAuditRecordKeys) break;
    event.add_entities(id);
  }
  event.set_detail(fmt::format(
      "source '{}': {} accepted ({} updated), {} quarantined", source.id(),
      report.accepted(), report.updated(), report.quarantined()));
  const bool as_tables = bulk_tables && !options.link &&
                         options.defer_entities &&
                         accepted.size() >= kMinBulkRecordsAsTables;
  auto committed = Commit(&batch, std::move(event), options, as_tables);
  if (!committed.ok()) {
    restore_counters();
    return committed;
  }
  if (as_tables && wrote_tables != nullptr) *wrote_tables = true;
  if (linker) linker->RememberPostings(&postings_cache_);
  std::move(forget_added).Cancel();
  return report;
}

void EngineImpl::QuarantineRow(v1::QuarantinedRow row,
                               rocksdb::WriteBatch* batch) {
  row.set_at_micros(clock_->NowMicros());
  const uint64_t sequence = ++quarantine_sequence_;
  batch->Put(store_->cf(ColumnFamily::kQuarantine),
             QuarantineKey(row.source(), row.record_id(), row.at_micros(),
                           sequence),
             row.SerializeAsString());
}

absl::StatusOr<LinkOutcome> EngineImpl::StoreOnlyOutcome(
    const std::vector<v1::Record>& accepted,
    const std::vector<std::optional<v1::Record>>& previous,
    bool defer_entities, bool* deferred) {
  LinkOutcome outcome;
  outcome.next_entity_id = next_entity_id_;
  auto add_change = [&](v1::EntityChange::Kind kind, uint64_t id) {
    v1::EntityChange change;
    change.set_kind(kind);
    change.set_entity_id(id);
    outcome.changes.push_back(std::move(change));
  };
  for (size_t i = 0; i < accepted.size(); ++i) {
    const v1::Record& record = accepted[i];
    v1::RecordKey& key = outcome.keys_of[record.record_number()];
    key.set_source(record.source());
    key.set_record_id(record.record_id());
    std::optional<v1::Entity> entity;
    if (previous[i]) {
      CREDIT_ASSIGN_OR_RETURN(auto entity_bytes,
                              store_->Get(ColumnFamily::kRecordEntity,
                                          RecordNumberKey(record.record_number())));
      if (auto id = entity_bytes ? ReadUint64(*entity_bytes) : std::nullopt) {
        CREDIT_ASSIGN_OR_RETURN(entity, store_->GetProto<v1::Entity>(
                                            ColumnFamily::kEntities, EntityIdKey(*id)));
      }
    }
    if (!entity) {
      // The ResolveAll() that follows gives it one.
      if (defer_entities) {
        *deferred = true;
        continue;
      }
      // A new record (or one whose entity is gone) is its own entity.
      const uint64_t id = outcome.next_entity_id++;
      outcome.changed[id] = {record.record_number()};
      outcome.entity_of[record.record_number()] = id;
      add_change(v1::EntityChange::CREATED, id);
      continue;
    }
    // An updated record keeps its entity, whose profile is rebuilt.
    if (outcome.old_entities.count(entity->id()) > 0) continue;
    std::vector<uint64_t>& members = outcome.changed[entity->id()];
    for (const auto& member : entity->members()) {
      CREDIT_ASSIGN_OR_RETURN(uint64_t number, RecordNumberOf(member));
      members.push_back(number);
      outcome.keys_of[number] = member;
    }
    std::sort(members.begin(), members.end());
    add_change(v1::EntityChange::UPDATED, entity->id());
    outcome.old_entities[entity->id()] = *std::move(entity);
  }
  return outcome;
}

absl::Status EngineImpl::ApplyLinkOutcome(const LinkOutcome& outcome,
                                          const RecordOverlay& overlay,
                                          const SourceTrust& trust,
                                          int64_t now,
                                          rocksdb::WriteBatch* batch,
                                          v1::IngestReport* report) {
  int64_t entity_delta = 0;
  const bool has_indicators = HasIndicators();
  const v1::Date today = Today();
  // The stored members of every changed entity, with one MultiGet.
  std::vector<uint64_t> stored_numbers;
  for (const auto& [id, numbers] : outcome.changed) {
    for (uint64_t number : numbers) {
      auto key = outcome.keys_of.find(number);
      if (key != outcome.keys_of.end() &&
          !overlay.contains(
              RecordIdKey(key->second.source(), key->second.record_id()))) {
        stored_numbers.push_back(number);
      }
    }
  }
  CREDIT_ASSIGN_OR_RETURN(auto stored, LoadRecords(stored_numbers));
  // Each changed entity, its profile and its indicator results are built on
  // all cores (each entity on its own, from the read-only outcome, overlay
  // and stored records), then written in id order, as one by one.
  struct Changed {
    BuiltEntity built;
    const std::vector<uint64_t>* numbers = nullptr;
    absl::Status status;
  };
  std::vector<Changed> changed;
  changed.reserve(outcome.changed.size());
  for (const auto& [id, numbers] : outcome.changed) {
    Changed& out = changed.emplace_back();
    out.built.id = id;
    out.numbers = &numbers;
  }
  auto build = [&](Changed& out) -> absl::Status {
    const uint64_t id = out.built.id;
    v1::Entity entity;
    entity.set_id(id);
    auto old = outcome.old_entities.find(id);
    if (old != outcome.old_entities.end()) {
      entity.set_created_at_micros(old->second.created_at_micros());
      entity.set_kind(old->second.kind());
    } else {
      entity.set_created_at_micros(now);
    }
    entity.set_updated_at_micros(now);
    for (uint64_t number : *out.numbers) {
      auto key = outcome.keys_of.find(number);
      if (key == outcome.keys_of.end()) {
        return absl::InternalError(fmt::format(
            "linking lost the key of record number {} (entity {})", number,
            id));
      }
      *entity.add_members() = key->second;
      auto staged = overlay.find(
          RecordIdKey(key->second.source(), key->second.record_id()));
      if (staged != overlay.end()) entity.set_kind(staged->second->entity_kind());
    }
    SortMembers(&entity);
    // In member order: staged records from the overlay, the others as read.
    absl::flat_hash_map<std::string, uint64_t> number_of;
    for (uint64_t number : *out.numbers) {
      const v1::RecordKey& key = outcome.keys_of.at(number);
      number_of[RecordIdKey(key.source(), key.record_id())] = number;
    }
    std::vector<const v1::Record*> members;
    members.reserve(entity.members_size());
    for (const auto& key : entity.members()) {
      const std::string id_key = RecordIdKey(key.source(), key.record_id());
      if (auto it = overlay.find(id_key); it != overlay.end()) {
        members.push_back(it->second);
        continue;
      }
      auto record = stored.find(number_of.at(id_key));
      if (record == stored.end()) {
        return absl::DataLossError(fmt::format(
            "entity {} lists member {}, which is missing", id,
            RecordKeyString(key)));
      }
      members.push_back(&record->second);
    }
    BuildEntity(&entity, members, trust, today, has_indicators, &out.built);
    return absl::OkStatus();
  };
  ParallelFor(changed.size(), kMinParallelProfiles,
              [&](size_t begin, size_t end) {
                for (size_t i = begin; i < end; ++i) {
                  changed[i].status = build(changed[i]);
                }
              });
  for (const Changed& out : changed) {
    CREDIT_RETURN_IF_ERROR(out.status);
    if (!outcome.old_entities.contains(out.built.id)) ++entity_delta;
    WriteBuiltEntity(out.built, has_indicators, batch);
    report->add_affected_entities(out.built.id);
  }
  for (const auto& [retired, survivor] : outcome.retired) {
    batch->Delete(store_->cf(ColumnFamily::kEntities), EntityIdKey(retired));
    batch->Put(store_->cf(ColumnFamily::kIdLineage), EntityIdKey(retired),
               EntityIdKey(survivor));
    DeleteIndicatorResults(retired, batch);
    report->add_affected_entities(retired);
    --entity_delta;
  }
  for (uint64_t id : outcome.emptied) {
    batch->Delete(store_->cf(ColumnFamily::kEntities), EntityIdKey(id));
    DeleteIndicatorResults(id, batch);
    report->add_affected_entities(id);
    --entity_delta;
  }
  for (const auto& [number, id] : outcome.entity_of) {
    batch->Put(store_->cf(ColumnFamily::kRecordEntity), RecordNumberKey(number),
               EntityIdKey(id));
  }
  if (entity_delta != 0) {
    batch->Merge(store_->cf(ColumnFamily::kMeta), kEntityCountKey,
                 EncodeCounterDelta(entity_delta));
  }
  for (const auto& change : outcome.changes) *report->add_changes() = change;
  next_entity_id_ = outcome.next_entity_id;
  return absl::OkStatus();
}

absl::StatusOr<std::vector<const v1::Record*>> EngineImpl::LoadMembers(
    const v1::Entity& entity, const RecordOverlay& overlay,
    std::vector<v1::Record>* storage, const rocksdb::ReadOptions& read) const {
  std::vector<const v1::Record*> members;
  std::vector<size_t> stored_slots;  // positions filled from `storage`
  storage->clear();
  storage->reserve(entity.members_size());
  for (const auto& key : entity.members()) {
    const std::string id_key = RecordIdKey(key.source(), key.record_id());
    // Members written in this batch are not in the store yet.
    if (auto it = overlay.find(id_key); it != overlay.end()) {
      members.push_back(it->second);
      continue;
    }
    CREDIT_ASSIGN_OR_RETURN(auto number_bytes,
                            store_->Get(ColumnFamily::kRecordIds, id_key, read));
    std::optional<uint64_t> number =
        number_bytes ? ReadUint64(*number_bytes) : std::nullopt;
    std::optional<v1::Record> record;
    if (number) {
      CREDIT_ASSIGN_OR_RETURN(
          record, store_->GetProto<v1::Record>(ColumnFamily::kRecords,
                                               RecordNumberKey(*number), read));
    }
    if (!record) {
      return absl::DataLossError(fmt::format(
          "entity {} lists member {}, which is missing", entity.id(),
          RecordKeyString(key)));
    }
    storage->push_back(*std::move(record));
    stored_slots.push_back(members.size());
    members.push_back(nullptr);
  }
  for (size_t i = 0; i < stored_slots.size(); ++i) {
    members[stored_slots[i]] = &(*storage)[i];
  }
  return members;
}

void EngineImpl::BuildEntity(v1::Entity* entity,
                             const std::vector<const v1::Record*>& members,
                             const SourceTrust& trust, const v1::Date& today,
                             bool with_indicators, BuiltEntity* out) const {
  *entity->mutable_profile() = BuildProfile(members, trust);
  entity->SerializeToString(&out->value);
  // Indicators follow their entity's members and facts, in the same write.
  if (with_indicators) {
    EvaluateIndicatorsInto(*entity, members, today,
                           [&](std::string_view key, std::string_view value) {
                             out->indicators.emplace_back(key, value);
                           });
  }
}

void EngineImpl::WriteBuiltEntity(const BuiltEntity& built,
                                  bool with_indicators,
                                  rocksdb::WriteBatch* batch) const {
  batch->Put(store_->cf(ColumnFamily::kEntities), EntityIdKey(built.id),
             built.value);
  if (with_indicators) {
    // Replaced whole: an indicator unregistered since leaves no stale
    // result.
    DeleteIndicatorResults(built.id, batch);
    for (const auto& [key, value] : built.indicators) {
      batch->Put(store_->cf(ColumnFamily::kIndicators), key, value);
    }
  }
}

absl::StatusOr<absl::flat_hash_map<uint64_t, v1::Record>>
EngineImpl::LoadRecords(const std::vector<uint64_t>& numbers) const {
  // Read and parsed on all cores.
  std::vector<std::string> keys;
  keys.reserve(numbers.size());
  for (uint64_t number : numbers) keys.push_back(RecordNumberKey(number));
  CREDIT_ASSIGN_OR_RETURN(auto values,
                          store_->MultiGetOnAllCores(ColumnFamily::kRecords,
                                                     keys, kMinParallelReads));
  std::vector<std::optional<v1::Record>> parsed(numbers.size());
  std::vector<char> corrupt(numbers.size(), 0);
  const bool facts = HasIndicators();
  ParallelFor(numbers.size(), kMinParallelReads, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      // Absent records are left out: the caller names what is missing.
      if (values[i] &&
          !ParseForProfile(*values[i], facts, &parsed[i].emplace())) {
        corrupt[i] = 1;
      }
    }
  });
  absl::flat_hash_map<uint64_t, v1::Record> records;
  records.reserve(numbers.size());
  for (size_t i = 0; i < numbers.size(); ++i) {
    if (corrupt[i]) {
      return absl::DataLossError(
          fmt::format("stored record number {} is corrupt", numbers[i]));
    }
    if (parsed[i]) records[numbers[i]] = *std::move(parsed[i]);
  }
  return records;
}

absl::Status EngineImpl::RebuildProfile(
    v1::Entity* entity, const RecordOverlay& overlay,
    const SourceTrust& trust) const {
  std::vector<v1::Record> storage;
  CREDIT_ASSIGN_OR_RETURN(auto members, LoadMembers(*entity, overlay, &storage));
  *entity->mutable_profile() = BuildProfile(members, trust);
  return absl::OkStatus();
}

absl::Status EngineImpl::Commit(
    rocksdb::WriteBatch* batch, v1::AuditEvent event,
    const IngestOptions& options, bool as_tables,
    const std::vector<ReplacementTable>& replacements) {
  event.set_at_micros(clock_->NowMicros());
  event.set_actor(options.access.actor);
  event.set_purpose(options.access.purpose);
  batch->Put(store_->cf(ColumnFamily::kMeta), kNextRecordKey,
             RecordNumberKey(next_record_number_));
  batch->Put(store_->cf(ColumnFamily::kMeta), kNextEntityKey,
             EntityIdKey(next_entity_id_));
  batch->Put(store_->cf(ColumnFamily::kMeta), kQuarantineSequenceKey,
             RecordNumberKey(quarantine_sequence_));
  audit_.Append(std::move(event), batch);
  auto written = as_tables ? store_->WriteAsTables(batch, replacements)
                           : store_->Write(batch, SyncFor(options));
  if (!written.ok()) {
    audit_.Abandoned();
    return written;
  }
  audit_.Committed();
  return absl::OkStatus();
}

absl::Status EngineImpl::CheckLinkable() const {
  if (blocking_keys_version_ == kBlockingKeysVersion) return absl::OkStatus();
  return absl::FailedPreconditionError(fmt::format(
      "the blocking index and edges of '{}' were written with blocking keys "
      "version {}, and this libcredit derives version {}: relink the store "
      "once (`credit resolve --db {}`, Engine::ResolveAll) before linking "
      "into it, deleting records or recording reviews. Reads, and ingest "
      "without linking, work meanwhile",
      store_->path(), blocking_keys_version_, kBlockingKeysVersion,
      store_->path()));
}

absl::StatusOr<v1::IngestReport> EngineImpl::DeleteRecord(
    std::string_view source, std::string_view record_id,
    const IngestOptions& options) {
  absl::MutexLock lock(&write_mu_);
  CREDIT_RETURN_IF_ERROR(CheckLinkable());
  const std::string id_key = RecordIdKey(source, record_id);
  CREDIT_ASSIGN_OR_RETURN(auto existing,
                          store_->Get(ColumnFamily::kRecordIds, id_key));
  std::optional<uint64_t> number =
      existing ? ReadUint64(*existing) : std::nullopt;
  if (!number) {
    return absl::NotFoundError(
        fmt::format("no record {}/{} to delete", source, record_id));
  }
  rocksdb::WriteBatch batch;
  v1::IngestReport report;
  report.set_source(std::string(source));
  report.set_deleted(1);
  batch.Delete(store_->cf(ColumnFamily::kRecordIds), id_key);
  batch.Delete(store_->cf(ColumnFamily::kRecords), RecordNumberKey(*number));
  batch.Delete(store_->cf(ColumnFamily::kRecordEntity),
               RecordNumberKey(*number));
  batch.Merge(store_->cf(ColumnFamily::kMeta), RecordCountKey(source),
              EncodeCounterDelta(-1));

  CREDIT_ASSIGN_OR_RETURN(
      auto stored, store_->GetProto<v1::Record>(ColumnFamily::kRecords,
                                                RecordNumberKey(*number)));
  if (!stored) {
    return absl::DataLossError(fmt::format(
        "record {}/{} is indexed but missing", source, record_id));
  }
  // Re-form whatever the record held together: its entity may split.
  CREDIT_ASSIGN_OR_RETURN(SourceTrust trust, LoadSourceTrust());
  const std::shared_ptr<const LinkingModel> linking = this->linking();
  const uint64_t first_new_entity = next_entity_id_;
  prepared_cache_.Erase(*number);
  IncrementalLinker linker(store_.get(), &*linking->scorer, CandidateOptions{},
                           &batch, PreparedCacheFor(linking), &postings_cache_);
  linker.StageRemoval(&*stored);
  CREDIT_ASSIGN_OR_RETURN(LinkOutcome outcome, linker.Finish(next_entity_id_));
  auto applied = ApplyLinkOutcome(outcome, {}, trust, clock_->NowMicros(),
                                  &batch, &report);
  if (!applied.ok()) {
    next_entity_id_ = first_new_entity;
    return applied;
  }
  v1::AuditEvent event;
  event.set_action("delete");
  event.set_record_count(1);
  auto* key = event.add_records();
  key->set_source(std::string(source));
  key->set_record_id(std::string(record_id));
  for (uint64_t id : report.affected_entities()) event.add_entities(id);
  event.set_detail(fmt::format("deleted record {}/{}", source, record_id));
  auto committed = Commit(&batch, std::move(event), options);
  if (!committed.ok()) {
    next_entity_id_ = first_new_entity;
    return committed;
  }
  linker.RememberPostings(&postings_cache_);
  return report;
}

// --- Resolution ------------------------------------------------------------

absl::StatusOr<ResolveSummary> EngineImpl::ResolveAll(
    const ResolveOptions& options) {
  absl::MutexLock lock(&write_mu_);
  return ResolveAllLocked(options, std::nullopt);
}

absl::StatusOr<v1::MatchModel> EngineImpl::TrainModel(
    const TrainModelOptions& options) {
  absl::MutexLock lock(&write_mu_);
  std::vector<v1::Record> records;
  {
    auto it = NewRecordIterator();
    for (; it->Valid(); it->Next()) records.push_back(it->value());
    CREDIT_RETURN_IF_ERROR(it->status());
  }
  // Train with the frequencies of exactly these records, as the relink
  // that follows will score with them.
  InMemoryTermFrequencies tf;
  std::vector<RecordFields> fields;
  fields.reserve(records.size());
  for (const auto& record : records) {
    fields.push_back(ExtractRecordFields(record));
    tf.Add(fields.back());
  }
  const v1::MatchModel start = linking()->model;
  CREDIT_ASSIGN_OR_RETURN(PairScorer scorer, PairScorer::Create(start, &tf));
  std::vector<PreparedRecord> prepared;
  std::vector<std::vector<BlockingKey>> keys;
  prepared.reserve(records.size());
  keys.reserve(records.size());
  for (size_t i = 0; i < records.size(); ++i) {
    prepared.push_back(scorer.Prepare(fields[i], records[i].record_number()));
    keys.push_back(BlockingKeys(fields[i]));
  }
  const CandidatePairs candidates = FindCandidatePairs(keys);
  TrainingOptions training;
  training.random_pairs = options.random_pairs;
  training.seed = options.seed;
  training.max_iterations = options.max_iterations;
  CREDIT_ASSIGN_OR_RETURN(
      v1::MatchModel model,
      credit::TrainModel(start, prepared, candidates.pairs, training));
  model.set_trained_at_micros(clock_->NowMicros());
  ResolveOptions relink;
  relink.write = options.write;
  CREDIT_RETURN_IF_ERROR(ResolveAllLocked(relink, model).status());
  return model;
}

v1::MatchModel EngineImpl::GetModel() const { return linking()->model; }

PreparedRecordCache* EngineImpl::PreparedCacheFor(
    const std::shared_ptr<const LinkingModel>& linking) {
  if (prepared_cache_model_ != linking) {
    prepared_cache_.Clear();
    prepared_cache_model_ = linking;
  }
  return &prepared_cache_;
}

absl::Status EngineImpl::PreloadLinkingCacheLocked(
    const std::vector<v1::Record>* stored) {
  if (!CheckLinkable().ok()) return absl::OkStatus();
  const std::shared_ptr<const LinkingModel> linking = this->linking();
  PreparedRecordCache* cache = PreparedCacheFor(linking);
  // The newest records: ingest meets recent subjects again more often, and
  // record numbers only grow.
  const uint64_t capacity = cache->capacity();
  const uint64_t first =
      next_record_number_ > capacity ? next_record_number_ - capacity : 1;
  if (next_record_number_ <= first) return absl::OkStatus();
  // Prepared on all cores, skipping records already prepared for this
  // model (a relink that kept the frequencies), then cached here: the cache
  // is not thread-safe, but looking it up is while nothing writes to it.
  auto prepare = [&](const v1::Record& record) {
    return std::make_shared<const PreparedRecord>(linking->scorer->Prepare(
        ExtractRecordFields(record), record.record_number()));
  };
  std::vector<std::vector<std::shared_ptr<const PreparedRecord>>> parts;
  if (stored != nullptr) {
    // The relink's records: the newest are the last ones.
    const auto newest = std::lower_bound(
        stored->begin(), stored->end(), first,
        [](const v1::Record& record, uint64_t number) {
          return record.record_number() < number;
        });
    const size_t offset = newest - stored->begin();
    auto& prepared = parts.emplace_back(stored->size() - offset);
    ParallelFor(prepared.size(), kMinParallelReads,
                [&](size_t begin, size_t end) {
                  for (size_t i = begin; i < end; ++i) {
                    const v1::Record& record = (*stored)[offset + i];
                    if (!cache->Contains(record.record_number())) {
                      prepared[i] = prepare(record);
                    }
                  }
                });
  } else {
    rocksdb::ReadOptions read;
    read.fill_cache = false;  // read once, kept prepared: not worth caching
    parts.resize(RecordScanParts(first, next_record_number_ - 1));
    std::vector<v1::Record> scratch(parts.size());
    CREDIT_RETURN_IF_ERROR(VisitRecordsOnAllCores(
        *store_, read, first, next_record_number_ - 1,
        [&](size_t part, uint64_t number, std::string_view value) {
          if (cache->Contains(number)) return absl::OkStatus();
          v1::Record& record = scratch[part];
          if (!ParseForLinking(value, &record)) {
            return absl::DataLossError(fmt::format(
                "stored record number {} is corrupt (found while preloading "
                "the linking cache): restore from a backup",
                number));
          }
          parts[part].push_back(prepare(record));
          return absl::OkStatus();
        }));
  }
  for (auto& part : parts) {
    for (auto& entry : part) {
      if (entry == nullptr) continue;  // was cached already
      const uint64_t number = entry->record_number;
      cache->InsertResident(number, std::move(entry));
    }
    part = {};
  }
  return absl::OkStatus();
}

absl::StatusOr<ResolveSummary> EngineImpl::ResolveAllLocked(
    const ResolveOptions& options, std::optional<v1::MatchModel> new_model) {
  // The relink rewrites every posting list (whether or not it commits, the
  // cache is rebuilt by the calls that follow).
  postings_cache_.Clear();
  const int64_t now = clock_->NowMicros();
  const bool has_indicators = HasIndicators();
  // The current state: every record and the entity each belongs to, read
  // from one snapshot with one iterator per family. Records are parsed
  // without their facts and raw input unless indicators need the facts;
  // old entities without their members and profile (only the id and the
  // creation time carry over).
  auto snapshot = store_->NewSnapshot();
  rocksdb::ReadOptions read = snapshot->read_options();
  read.fill_cache = false;
  read.total_order_seek = true;
  // Every entry of `family` through `parse`; false from it means corrupt.
  auto scan = [&](ColumnFamily family,
                  absl::FunctionRef<bool(std::string_view, std::string_view)>
                      parse) -> absl::Status {
    bool corrupt = false;
    CREDIT_RETURN_IF_ERROR(store_->ScanPrefix(
        family, "",
        [&](std::string_view key, std::string_view value) {
          corrupt = !parse(key, value);
          return !corrupt;
        },
        read));
    if (!corrupt) return absl::OkStatus();
    return absl::DataLossError(fmt::format(
        "corrupt value in column family '{}': restore from a backup",
        ColumnFamilyName(family)));
  };
  CREDIT_ASSIGN_OR_RETURN(std::vector<v1::Record> records,
                          ReadAllRecords(*store_, read, has_indicators));
  std::map<uint64_t, uint64_t> previous;
  CREDIT_RETURN_IF_ERROR(scan(
      ColumnFamily::kRecordEntity,
      [&](std::string_view key, std::string_view value) {
        auto number = ReadUint64(key);
        auto id = ReadUint64(value);
        if (!number || !id) return false;
        previous.emplace_hint(previous.end(), *number, *id);
        return true;
      }));
  std::map<uint64_t, v1::Entity> old_entities;
  CREDIT_RETURN_IF_ERROR(scan(
      ColumnFamily::kEntities, [&](std::string_view, std::string_view value) {
        v1::Entity entity;
        if (!ParseWithoutFields(value,
                                {v1::Entity::kMembersFieldNumber,
                                 v1::Entity::kProfileFieldNumber},
                                &entity)) {
          return false;
        }
        const uint64_t id = entity.id();
        old_entities.emplace_hint(old_entities.end(), id, std::move(entity));
        return true;
      }));
  // Everything is read (writers wait for this call). Held on, the snapshot
  // would pin what the relink replaces: the compaction below would have to
  // keep the old edges and postings for it and could not zero the new
  // data's sequence numbers, so RocksDB compacted the bottom level of every
  // rewritten family once more at the next open.
  snapshot.reset();
  std::vector<const v1::Record*> pointers;
  std::map<uint64_t, const v1::Record*> by_number;
  pointers.reserve(records.size());
  for (const auto& record : records) {
    pointers.push_back(&record);
    by_number.emplace_hint(by_number.end(), record.record_number(), &record);
  }
  // Only stored records have a previous entity.
  std::erase_if(previous, [&](const auto& entry) {
    return by_number.count(entry.first) == 0;
  });
  // A fresh term-frequency snapshot over exactly the stored records: the
  // weights of this run, and of every incremental ingest until the next one.
  // ResolveAll counts it from the fields it extracts anyway (null `tf`
  // below), which saves extracting them twice (~3 s for 1M records).
  std::shared_ptr<const LinkingModel> linking = this->linking();
  if (new_model) {
    CREDIT_ASSIGN_OR_RETURN(linking, MakeLinkingModel(*new_model, ""));
  }
  const bool fresh_frequencies =
      options.refresh_term_frequencies || new_model.has_value();
  // Reviewer decisions survive a relink: they are not a function of the
  // records but of a person's judgement.
  CREDIT_ASSIGN_OR_RETURN(
      std::vector<v1::Edge> reviewer_edges,
      ReadEdgesOfKinds(*store_, {v1::Edge::REVIEWER_SAME,
                                 v1::Edge::REVIEWER_DIFFERENT}));
  // Decisions about records deleted since are dropped with the relink.
  std::erase_if(reviewer_edges, [&](const v1::Edge& edge) {
    return by_number.count(edge.record_a()) == 0 ||
           by_number.count(edge.record_b()) == 0;
  });
  CREDIT_ASSIGN_OR_RETURN(
      BulkResolution resolution,
      credit::ResolveAll(pointers, previous, next_entity_id_, linking->model,
                         fresh_frequencies ? nullptr : &linking->tf,
                         reviewer_edges));
  const std::string tf_snapshot = std::move(resolution.term_frequencies);
  if (fresh_frequencies) {
    CREDIT_ASSIGN_OR_RETURN(linking,
                            MakeLinkingModel(linking->model, tf_snapshot));
  }
  CREDIT_ASSIGN_OR_RETURN(SourceTrust trust, LoadSourceTrust());

  rocksdb::WriteBatch batch;
  ResolveSummary summary;
  summary.records = records.size();
  summary.entities = resolution.members.size();
  summary.retired_ids = resolution.retired.size();
  summary.candidate_pairs = resolution.candidate_pairs;
  summary.capped_keys = resolution.capped.size();
  // Edges and the blocking index are rewritten whole: they are a function
  // of the records (and the snapshot). The edges (two entries each, 15M for
  // 1M records) and the postings (6.6M) go straight into their tables, in
  // key order, instead of through the batch (EdgesReplacement,
  // PostingsReplacement).
  batch.DeleteRange(store_->cf(ColumnFamily::kKeyCounts), std::string(),
                    std::string(1, '\xff'));
  // key_counts lists only the keys past the cap (see incremental_linker.h):
  // the ones the candidate search refused.
  for (const auto& [key, count] : resolution.capped) {
    batch.Put(store_->cf(ColumnFamily::kKeyCounts),
              store_internal::BlockingKeyPrefix(static_cast<uint8_t>(key.type),
                                                key.value),
              EncodeCounter(count));
  }
  if (fresh_frequencies) {
    batch.Put(store_->cf(ColumnFamily::kMeta), kTermFrequencyKey, tf_snapshot);
  }
  if (new_model) {
    batch.Put(store_->cf(ColumnFamily::kMeta), kMatchModelKey,
              new_model->SerializeAsString());
  }
  // The index and edges are now this library's, and every record has its
  // entity.
  batch.Put(store_->cf(ColumnFamily::kMeta), kBlockingKeysVersionKey,
            std::to_string(kBlockingKeysVersion));
  batch.Delete(store_->cf(ColumnFamily::kMeta), kAwaitingLinkKey);
  for (const SerializedEdge& edge : resolution.edges) {
    switch (edge.edge.kind) {
      case v1::Edge::MATCH:
        ++summary.match_edges;
        break;
      case v1::Edge::CANNOT_LINK:
        ++summary.cannot_link_edges;
        break;
      case v1::Edge::POSSIBLE_MATCH:
        ++summary.possible_matches;
        break;
      default:
        break;
    }
  }
  const v1::Date today = Today();
  for (const auto& [id, old] : old_entities) {
    if (resolution.members.count(id) == 0) {
      batch.Delete(store_->cf(ColumnFamily::kEntities), EntityIdKey(id));
      DeleteIndicatorResults(id, &batch);
    }
  }
  for (const auto& [retired, survivor] : resolution.retired) {
    batch.Put(store_->cf(ColumnFamily::kIdLineage), EntityIdKey(retired),
              EntityIdKey(survivor));
  }
  for (const auto& [number, id] : resolution.entity_of) {
    batch.Put(store_->cf(ColumnFamily::kRecordEntity), RecordNumberKey(number),
              EntityIdKey(id));
  }
  // Entities with their profiles and indicator results, built on all cores
  // (each entity on its own) and written in id order.
  std::vector<BuiltEntity> built(resolution.members.size());
  std::vector<const std::vector<uint64_t>*> member_numbers(built.size());
  {
    size_t i = 0;
    for (const auto& [id, numbers] : resolution.members) {
      built[i].id = id;
      member_numbers[i] = &numbers;
      ++i;
    }
  }
  ParallelFor(built.size(), 256, [&](size_t begin, size_t end) {
    for (size_t i = begin; i < end; ++i) {
      BuiltEntity& out = built[i];
      v1::Entity entity;
      entity.set_id(out.id);
      auto old = old_entities.find(out.id);
      entity.set_created_at_micros(old != old_entities.end()
                                       ? old->second.created_at_micros()
                                       : now);
      entity.set_updated_at_micros(now);
      std::vector<const v1::Record*> members;
      members.reserve(member_numbers[i]->size());
      for (uint64_t number : *member_numbers[i]) {
        const v1::Record* record = by_number.at(number);
        members.push_back(record);
        auto* key = entity.add_members();
        key->set_source(record->source());
        key->set_record_id(record->record_id());
      }
      entity.set_kind(members.front()->entity_kind());
      SortMembers(&entity);
      BuildEntity(&entity, members, trust, today, has_indicators, &out);
    }
  });
  for (BuiltEntity& entity : built) {
    WriteBuiltEntity(entity, has_indicators, &batch);
    entity = BuiltEntity();
  }
  const int64_t entity_delta = static_cast<int64_t>(resolution.members.size()) -
                               static_cast<int64_t>(old_entities.size());
  if (entity_delta != 0) {
    batch.Merge(store_->cf(ColumnFamily::kMeta), kEntityCountKey,
                EncodeCounterDelta(entity_delta));
  }
  const uint64_t previous_next_entity = next_entity_id_;
  next_entity_id_ = resolution.next_entity_id;
  v1::AuditEvent event;
  event.set_action(new_model ? "train_model" : "resolve");
  event.set_record_count(records.size());
  event.set_detail(fmt::format(
      "linked {} records into {} entities ({} ids retired, {} match edges, "
      "{} cannot-link)",
      summary.records, summary.entities, summary.retired_ids,
      summary.match_edges, summary.cannot_link_edges));
  // Hundreds of MB for a large store: ingested as tables, not logged.
  auto committed =
      Commit(&batch, std::move(event), options.write, /*as_tables=*/true,
             {EdgesReplacement(*store_, resolution.edges),
              PostingsReplacement(*store_, pointers, resolution.keys)});
  if (!committed.ok()) {
    next_entity_id_ = previous_next_entity;
    return committed;
  }
  {
    absl::MutexLock linking_lock(&linking_mu_);
    linking_ = std::move(linking);
  }
  blocking_keys_version_ = kBlockingKeysVersion;
  if (!old_entities.empty()) {
    // The relink replaced what linking had written: without a compaction the
    // old edges, postings and entities stay on disk beside the new ones
    // (1,146 B per record instead of 997 at 100k records, bench/README.md)
    // until compaction happens to reach them.
    static constexpr ColumnFamily kRewritten[] = {
        ColumnFamily::kEdges,        ColumnFamily::kBlocking,
        ColumnFamily::kKeyCounts,    ColumnFamily::kEntities,
        ColumnFamily::kRecordEntity, ColumnFamily::kIndicators};
    CREDIT_RETURN_IF_ERROR(CommittedBut(
        "the relink", "reclaiming the disk space of the data it replaced",
        store_->CompactFamilies(kRewritten)));
  }
  if (options_.preload_linking_cache) {
    // The relink's fresh frequencies emptied the cache (and records may
    // have arrived without linking): fill it for the ingests to come.
    CREDIT_RETURN_IF_ERROR(CommittedBut("the relink",
                                        "preloading the linking cache",
                                        PreloadLinkingCacheLocked(&records)));
  }
  return summary;
}

// --- Reads -----------------------------------------------------------------

absl::StatusOr<uint64_t> EngineImpl::RecordNumberOf(
    const v1::RecordKey& key, const rocksdb::ReadOptions& read) const {
  CREDIT_ASSIGN_OR_RETURN(
      auto bytes,
      store_->Get(ColumnFamily::kRecordIds,
                  RecordIdKey(key.source(), key.record_id()), read));
  std::optional<uint64_t> number = bytes ? ReadUint64(*bytes) : std::nullopt;
  if (!number) {
    return absl::NotFoundError(
        fmt::format("no record {}/{}", key.source(), key.record_id()));
  }
  return *number;
}

absl::StatusOr<v1::Record> EngineImpl::RecordByNumber(
    uint64_t number, const rocksdb::ReadOptions& read) const {
  CREDIT_ASSIGN_OR_RETURN(
      auto record, store_->GetProto<v1::Record>(ColumnFamily::kRecords,
                                                RecordNumberKey(number), read));
  if (!record) {
    return absl::DataLossError(
        fmt::format("record number {} is referenced but missing", number));
  }
  return *std::move(record);
}

absl::StatusOr<v1::Record> EngineImpl::GetRecord(
    std::string_view source, std::string_view record_id) const {
  auto snapshot = store_->NewSnapshot();
  auto read = snapshot->read_options();
  CREDIT_ASSIGN_OR_RETURN(
      auto number_bytes,
      store_->Get(ColumnFamily::kRecordIds, RecordIdKey(source, record_id),
                  read));
  std::optional<uint64_t> number =
      number_bytes ? ReadUint64(*number_bytes) : std::nullopt;
  if (!number) {
    return absl::NotFoundError(
        fmt::format("no record {}/{}", source, record_id));
  }
  CREDIT_ASSIGN_OR_RETURN(
      auto record, store_->GetProto<v1::Record>(
                       ColumnFamily::kRecords, RecordNumberKey(*number), read));
  if (!record) {
    return absl::DataLossError(fmt::format(
        "record {}/{} is indexed but missing", source, record_id));
  }
  return *std::move(record);
}

absl::StatusOr<v1::Entity> EngineImpl::ResolveEntity(
    uint64_t id, const rocksdb::ReadOptions& read) const {
  uint64_t current = id;
  // Follow id lineage; a chain longer than the number of merges is corrupt.
  for (int hops = 0; hops < 1000; ++hops) {
    CREDIT_ASSIGN_OR_RETURN(
        auto entity, store_->GetProto<v1::Entity>(ColumnFamily::kEntities,
                                                  EntityIdKey(current), read));
    if (entity) {
      if (current != id) entity->set_redirected_from(id);
      return *std::move(entity);
    }
    CREDIT_ASSIGN_OR_RETURN(
        auto next,
        store_->Get(ColumnFamily::kIdLineage, EntityIdKey(current), read));
    std::optional<uint64_t> survivor = next ? ReadUint64(*next) : std::nullopt;
    if (!survivor) break;
    current = *survivor;
  }
  return absl::NotFoundError(fmt::format("no entity {}", id));
}

absl::StatusOr<v1::Entity> EngineImpl::GetEntity(std::uint64_t id) const {
  auto snapshot = store_->NewSnapshot();
  return ResolveEntity(id, snapshot->read_options());
}

absl::StatusOr<v1::Entity> EngineImpl::GetEntityOfRecord(
    std::string_view source, std::string_view record_id) const {
  auto snapshot = store_->NewSnapshot();
  auto read = snapshot->read_options();
  CREDIT_ASSIGN_OR_RETURN(
      auto number_bytes,
      store_->Get(ColumnFamily::kRecordIds, RecordIdKey(source, record_id),
                  read));
  std::optional<uint64_t> number =
      number_bytes ? ReadUint64(*number_bytes) : std::nullopt;
  if (!number) {
    return absl::NotFoundError(
        fmt::format("no record {}/{}", source, record_id));
  }
  CREDIT_ASSIGN_OR_RETURN(
      auto entity_bytes,
      store_->Get(ColumnFamily::kRecordEntity, RecordNumberKey(*number), read));
  std::optional<uint64_t> entity_id =
      entity_bytes ? ReadUint64(*entity_bytes) : std::nullopt;
  if (!entity_id) {
    CREDIT_ASSIGN_OR_RETURN(
        auto awaiting, store_->Get(ColumnFamily::kMeta, kAwaitingLinkKey, read));
    if (awaiting) {
      return absl::FailedPreconditionError(fmt::format(
          "record {}/{} was stored by a bulk load (defer_entities) and has "
          "no entity until the relink that follows it: run `credit resolve` "
          "(Engine::ResolveAll)",
          source, record_id));
    }
    return absl::DataLossError(fmt::format(
        "record {}/{} has no entity", source, record_id));
  }
  return ResolveEntity(*entity_id, read);
}

std::unique_ptr<RecordIterator> EngineImpl::NewRecordIterator() const {
  return std::make_unique<ProtoIterator<v1::Record>>(store_.get(),
                                                     ColumnFamily::kRecords);
}

std::unique_ptr<EntityIterator> EngineImpl::NewEntityIterator() const {
  return std::make_unique<ProtoIterator<v1::Entity>>(store_.get(),
                                                     ColumnFamily::kEntities);
}

std::unique_ptr<QuarantineIterator> EngineImpl::NewQuarantineIterator() const {
  return std::make_unique<ProtoIterator<v1::QuarantinedRow>>(
      store_.get(), ColumnFamily::kQuarantine);
}

absl::StatusOr<v1::Stats> EngineImpl::GetStats() const {
  auto snapshot = store_->NewSnapshot();
  auto read = snapshot->read_options();
  v1::Stats stats;
  stats.set_schema_version(store_->schema_version());
  CREDIT_ASSIGN_OR_RETURN(auto sources, ListSources());
  for (const auto& source : sources) {
    auto* entry = stats.add_sources();
    entry->set_source(source.id());
    CREDIT_ASSIGN_OR_RETURN(
        uint64_t records,
        store_->GetCounter(ColumnFamily::kMeta, RecordCountKey(source.id()),
                           read));
    CREDIT_ASSIGN_OR_RETURN(
        uint64_t quarantined,
        store_->GetCounter(ColumnFamily::kMeta, QuarantineCountKey(source.id()),
                           read));
    entry->set_records(records);
    entry->set_quarantined(quarantined);
    stats.set_records(stats.records() + records);
    stats.set_quarantined(stats.quarantined() + quarantined);
  }
  CREDIT_ASSIGN_OR_RETURN(
      uint64_t entities,
      store_->GetCounter(ColumnFamily::kMeta, kEntityCountKey, read));
  stats.set_entities(entities);
  CREDIT_ASSIGN_OR_RETURN(
      auto awaiting, store_->Get(ColumnFamily::kMeta, kAwaitingLinkKey, read));
  stats.set_awaiting_link(awaiting.has_value());
  {
    absl::MutexLock lock(&write_mu_);
    stats.set_audit_events(audit_.last_sequence());
    stats.set_linking_cache_records(prepared_cache_.size());
    stats.set_linking_cache_resident(prepared_cache_.resident_size());
  }
  for (int i = 0; i < kColumnFamilyCount; ++i) {
    auto family = static_cast<ColumnFamily>(i);
    (*stats.mutable_column_family_keys())[ColumnFamilyName(family)] =
        store_->EstimateKeys(family);
    (*stats.mutable_column_family_bytes())[ColumnFamilyName(family)] =
        store_->TableBytes(family);
  }
  // key_counts holds exactly the keys past the cap (incremental_linker.h).
  constexpr int kListedCappedKeys = 20;
  absl::Status bad = absl::OkStatus();
  CREDIT_RETURN_IF_ERROR(store_->ScanPrefix(
      ColumnFamily::kKeyCounts, "",
      [&](std::string_view key, std::string_view value) {
        stats.set_capped_blocking_keys(stats.capped_blocking_keys() + 1);
        if (stats.capped_keys_size() >= kListedCappedKeys) return true;
        auto parsed = store_internal::ParseBlockingKeyPrefix(key);
        if (!parsed) {
          bad = absl::DataLossError("a key_counts entry is corrupt");
          return false;
        }
        auto* capped = stats.add_capped_keys();
        capped->set_key(fmt::format(
            "{}:{}", BlockingKeyTypeName(static_cast<BlockingKeyType>(parsed->first)),
            parsed->second));
        capped->set_records(ReadUint64(value).value_or(0));
        return true;
      },
      read));
  CREDIT_RETURN_IF_ERROR(bad);
  return stats;
}

absl::Status EngineImpl::Backup(std::string_view backup_dir) {
  return store_->Backup(backup_dir);
}

absl::Status EngineImpl::Checkpoint(std::string_view checkpoint_dir) {
  return store_->Checkpoint(checkpoint_dir);
}

}  // namespace credit
