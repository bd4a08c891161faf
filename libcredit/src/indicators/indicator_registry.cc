// IndicatorRegistry: copy-on-write snapshots so evaluation never waits for
// registration, and a catch-all boundary around every indicator call.
#include <cstdint>
#include <exception>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "credit/clock.h"
#include "credit/indicator.h"
#include "fmt/format.h"
#include "google/protobuf/arena.h"

namespace credit {

// Name, version and inputs are read once at registration: evaluation then
// calls nothing on an indicator but Evaluate, inside the catch-all.
struct IndicatorRegistry::Snapshot {
  struct Entry {
    std::shared_ptr<const Indicator> indicator;
    std::string name;
    std::uint32_t version = 0;
    std::vector<std::string> inputs;
    std::vector<std::size_t> input_indices;  // into `entries`, all smaller
  };
  std::vector<Entry> entries;
  absl::flat_hash_map<std::string, std::size_t> index;
};

namespace {

// Debian's abseil has its own string_view; the map looks up by it.
absl::string_view Key(std::string_view name) {
  return absl::string_view(name.data(), name.size());
}

bool IsLowerSnake(std::string_view name) {
  if (name.empty() || name[0] < 'a' || name[0] > 'z') return false;
  for (char c : name) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_')) {
      return false;
    }
  }
  return true;
}

std::string ExceptionText() {
  try {
    throw;
  } catch (const std::exception& e) {
    return fmt::format("threw an exception: {}", e.what());
  } catch (...) {
    return "threw an exception of a non-standard type";
  }
}

}  // namespace

IndicatorRegistry::IndicatorRegistry()
    : snapshot_(std::make_shared<const Snapshot>()) {}

IndicatorRegistry::~IndicatorRegistry() = default;

std::shared_ptr<const IndicatorRegistry::Snapshot> IndicatorRegistry::snapshot()
    const {
  absl::MutexLock lock(&mu_);
  return snapshot_;
}

namespace {

// Reads what the registry caches about `indicator` and checks it. Indicator
// code may throw, even from name(): the boundary covers registration too.
template <typename Entry, typename Index>
absl::Status AddEntry(std::shared_ptr<const Indicator> indicator,
                      std::vector<Entry>* entries, Index* index) {
  if (indicator == nullptr) {
    return absl::InvalidArgumentError("cannot register a null indicator");
  }
  Entry entry;
  entry.indicator = std::move(indicator);
  try {
    entry.name = entry.indicator->name();
    entry.version = entry.indicator->version();
    entry.inputs = entry.indicator->inputs();
  } catch (...) {
    return absl::InvalidArgumentError(fmt::format(
        "indicator '{}': describing it {}", entry.name, ExceptionText()));
  }
  if (!IsLowerSnake(entry.name)) {
    return absl::InvalidArgumentError(fmt::format(
        "indicator name '{}' is not lower_snake_case (a-z, 0-9, _; starting "
        "with a letter)",
        entry.name));
  }
  if (entry.version == 0) {
    return absl::InvalidArgumentError(fmt::format(
        "indicator '{}': version must be 1 or more", entry.name));
  }
  if (index->contains(entry.name)) {
    return absl::AlreadyExistsError(fmt::format(
        "indicator '{}' is already registered; unregister it first or choose "
        "another name",
        entry.name));
  }
  for (const std::string& input : entry.inputs) {
    auto it = index->find(input);
    if (it == index->end()) {
      return absl::FailedPreconditionError(fmt::format(
          "indicator '{}' reads input '{}', which is not registered: register "
          "inputs first",
          entry.name, input));
    }
    entry.input_indices.push_back(it->second);
  }
  (*index)[entry.name] = entries->size();
  entries->push_back(std::move(entry));
  return absl::OkStatus();
}

}  // namespace

absl::Status IndicatorRegistry::Register(
    std::shared_ptr<const Indicator> indicator) {
  return RegisterAll({std::move(indicator)});
}

absl::Status IndicatorRegistry::RegisterAll(
    const std::vector<std::shared_ptr<const Indicator>>& indicators) {
  absl::MutexLock lock(&mu_);
  auto next = std::make_shared<Snapshot>(*snapshot_);
  for (const auto& indicator : indicators) {
    absl::Status s = AddEntry(indicator, &next->entries, &next->index);
    if (!s.ok()) return s;
  }
  snapshot_ = std::move(next);
  return absl::OkStatus();
}

absl::Status IndicatorRegistry::Unregister(std::string_view name) {
  absl::MutexLock lock(&mu_);
  auto it = snapshot_->index.find(Key(name));
  if (it == snapshot_->index.end()) {
    return absl::NotFoundError(
        fmt::format("indicator '{}' is not registered", name));
  }
  const std::size_t removed = it->second;
  for (const Snapshot::Entry& e : snapshot_->entries) {
    for (std::size_t input : e.input_indices) {
      if (input == removed) {
        return absl::FailedPreconditionError(fmt::format(
            "indicator '{}' is an input of '{}': unregister '{}' first", name,
            e.name, e.name));
      }
    }
  }
  // Rebuild: indices after the removed entry shift down by one.
  auto next = std::make_shared<Snapshot>();
  for (std::size_t i = 0; i < snapshot_->entries.size(); ++i) {
    if (i == removed) continue;
    Snapshot::Entry e = snapshot_->entries[i];
    for (std::size_t& input : e.input_indices) {
      if (input > removed) --input;
    }
    next->index[e.name] = next->entries.size();
    next->entries.push_back(std::move(e));
  }
  snapshot_ = std::move(next);
  return absl::OkStatus();
}

std::vector<std::shared_ptr<const Indicator>> IndicatorRegistry::List() const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  std::vector<std::shared_ptr<const Indicator>> out;
  out.reserve(snap->entries.size());
  for (const Snapshot::Entry& e : snap->entries) out.push_back(e.indicator);
  return out;
}

std::shared_ptr<const Indicator> IndicatorRegistry::Find(
    std::string_view name) const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  auto it = snap->index.find(Key(name));
  if (it == snap->index.end()) return nullptr;
  return snap->entries[it->second].indicator;
}

namespace {

// The results evaluated so far in one call, and the evidence of each as
// indices into the view's facts() when it was given that way.
struct Done {
  explicit Done(std::size_t n) {
    results.reserve(n);
    evidence_facts.reserve(n);
  }
  std::vector<const v1::IndicatorResult*> results;
  std::vector<std::optional<std::vector<std::uint32_t>>> evidence_facts;
};

// Evaluates `entry` into `result` given the results of the indicators it
// may read (`done`, which holds at least its inputs), and records the result
// in `done`.
//
// Evidence given as indices is written into `result` as FactRefs only when
// `write_indexed_evidence`; otherwise it stays in `done` alone (the
// serialized path appends it as bytes). Evidence given as FactRefs is always
// written, and then the indices are too.
template <typename Entry>
void EvaluateEntry(const Entry& entry, const EntityView& view,
                   const EvalContext& ctx, const std::vector<std::ptrdiff_t>& slot,
                   std::int64_t now_micros, bool write_indexed_evidence,
                   v1::IndicatorResult* result, Done* done) {
  done->results.push_back(result);
  done->evidence_facts.emplace_back();
  std::optional<std::vector<std::uint32_t>>& indexed =
      done->evidence_facts.back();
  result->set_entity_id(view.entity_id());
  result->set_name(entry.name);
  result->set_version(entry.version);
  *result->mutable_as_of() = ctx.as_of;
  result->set_evaluated_at_micros(now_micros);
  for (std::size_t input : entry.input_indices) {
    const v1::IndicatorResult& in = *done->results[slot[input]];
    if (!in.error().empty()) {
      result->set_error(fmt::format("indicator '{}': input '{}' failed: {}",
                                    entry.name, in.name(), in.error()));
      return;
    }
  }
  absl::StatusOr<IndicatorOutput> output;
  try {
    // Without this result: it is not done yet.
    output = entry.indicator->Evaluate(
        view, ctx,
        IndicatorInputs(
            std::span(done->results).first(done->results.size() - 1),
            std::span(done->evidence_facts)
                .first(done->evidence_facts.size() - 1)));
  } catch (...) {
    result->set_error(
        fmt::format("indicator '{}' {}", entry.name, ExceptionText()));
    return;
  }
  if (!output.ok()) {
    result->set_error(fmt::format("indicator '{}' failed: {}", entry.name,
                                  output.status().ToString()));
    return;
  }
  const std::vector<EntityFact>& facts = view.facts();
  for (std::uint32_t index : output->evidence_facts) {
    if (index >= facts.size()) {
      result->set_error(fmt::format(
          "indicator '{}' returned evidence fact {}, but the entity has {} "
          "facts",
          entry.name, index, facts.size()));
      return;
    }
  }
  *result->mutable_value() = std::move(output->value);
  result->set_explanation(std::move(output->explanation));
  if (output->score.has_value()) result->set_score(*output->score);
  const bool only_indexed = output->evidence.empty();
  if (only_indexed && !write_indexed_evidence) {
    indexed = std::move(output->evidence_facts);
    return;
  }
  result->mutable_evidence()->Reserve(static_cast<int>(
      output->evidence.size() + output->evidence_facts.size()));
  for (v1::FactRef& ref : output->evidence) {
    *result->add_evidence() = std::move(ref);
  }
  // Built in place: on an arena, strings and all, without a heap copy.
  for (std::uint32_t index : output->evidence_facts) {
    const EntityFact& fact = facts[index];
    v1::FactRef* ref = result->add_evidence();
    v1::RecordKey* record = ref->mutable_record();
    record->set_source(fact.record.source());
    record->set_record_id(fact.record.record_id());
    ref->set_fact_index(fact.fact_index);
  }
  if (only_indexed) indexed = std::move(output->evidence_facts);
}

std::int64_t NowMicros(const EvalContext& ctx) {
  return ctx.evaluated_at_micros != 0 ? ctx.evaluated_at_micros
                                      : Clock::System()->NowMicros();
}

// Evaluates all of `entries` in registration order into `out`, replacing
// its contents, and records each result in `done` (sized for them).
template <typename Entry>
void EvaluateEntries(const std::vector<Entry>& entries, const EntityView& view,
                     const EvalContext& ctx, bool write_indexed_evidence,
                     v1::IndicatorResults* out, Done* done) {
  const std::int64_t now = NowMicros(ctx);
  const std::size_t n = entries.size();
  out->Clear();
  out->mutable_results()->Reserve(static_cast<int>(n));
  std::vector<std::ptrdiff_t> slot(n);
  for (std::size_t i = 0; i < n; ++i) {
    slot[i] = static_cast<std::ptrdiff_t>(i);
    EvaluateEntry(entries[i], view, ctx, slot, now, write_indexed_evidence,
                  out->add_results(), done);
  }
}

}  // namespace

void IndicatorRegistry::EvaluateAllInto(const EntityView& entity,
                                        const EvalContext& ctx,
                                        v1::IndicatorResults* out) const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  Done done(snap->entries.size());
  EvaluateEntries(snap->entries, entity, ctx, /*write_indexed_evidence=*/true,
                  out, &done);
}

namespace {

void AppendVarint(std::uint64_t v, std::string* out) {
  while (v >= 0x80) {
    out->push_back(static_cast<char>((v & 0x7f) | 0x80));
    v >>= 7;
  }
  out->push_back(static_cast<char>(v));
}

// Appends the tag and length of length-delimited field `field` (a string or
// a message) whose bytes are `size` long.
void AppendLengthDelimitedHeader(int field, std::size_t size,
                                 std::string* out) {
  AppendVarint((static_cast<std::uint64_t>(field) << 3) | 2, out);
  AppendVarint(size, out);
}

// Appends fact `fact` as one element of IndicatorResult.evidence, in wire
// format: a FactRef {record: RecordKey {source, record_id}, fact_index},
// written directly (protobuf's serializer, with its UTF-8 checks, was a
// quarter of the serialized path). Fields at their default are left out, as
// protobuf does; tests compare the parsed bytes with EvaluateAll's results.
void AppendEvidence(const EntityFact& fact, std::string* out) {
  const std::string& source = fact.record.source();
  const std::string& record_id = fact.record.record_id();
  auto varint_size = [](std::uint64_t v) {
    std::size_t size = 1;
    for (; v >= 0x80; v >>= 7) ++size;
    return size;
  };
  // Each field is one byte of tag (field numbers below 16) and its payload.
  auto string_size = [&](const std::string& text) {
    return text.empty() ? 0 : 1 + varint_size(text.size()) + text.size();
  };
  const std::size_t record_size = string_size(source) + string_size(record_id);
  const std::size_t ref_size =
      (record_size == 0 ? 0 : 1 + varint_size(record_size) + record_size) +
      (fact.fact_index == 0 ? 0 : 1 + varint_size(fact.fact_index));
  AppendLengthDelimitedHeader(v1::IndicatorResult::kEvidenceFieldNumber,
                              ref_size, out);
  if (record_size != 0) {
    AppendLengthDelimitedHeader(v1::FactRef::kRecordFieldNumber, record_size,
                                out);
  }
  if (!source.empty()) {
    AppendLengthDelimitedHeader(v1::RecordKey::kSourceFieldNumber,
                                source.size(), out);
    out->append(source);
  }
  if (!record_id.empty()) {
    AppendLengthDelimitedHeader(v1::RecordKey::kRecordIdFieldNumber,
                                record_id.size(), out);
    out->append(record_id);
  }
  if (fact.fact_index != 0) {
    AppendVarint(v1::FactRef::kFactIndexFieldNumber << 3, out);  // a varint
    AppendVarint(fact.fact_index, out);
  }
}

}  // namespace

void IndicatorRegistry::EvaluateAllSerialized(
    const EntityView& entity, const EvalContext& ctx,
    absl::FunctionRef<void(std::string_view, std::string_view)> put) const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  const std::size_t n = snap->entries.size();
  // The results live only until they are serialized. The first arena block
  // on the stack holds a typical entity's results without their evidence.
  alignas(8) char block[8192];
  google::protobuf::ArenaOptions arena_options;
  arena_options.initial_block = block;
  arena_options.initial_block_size = sizeof(block);
  google::protobuf::Arena arena(arena_options);
  auto* results =
      google::protobuf::Arena::CreateMessage<v1::IndicatorResults>(&arena);
  Done done(n);
  EvaluateEntries(snap->entries, entity, ctx, /*write_indexed_evidence=*/false,
                  results, &done);
  // Evidence given as indices is appended as serialized FactRefs (field
  // `evidence`, framed: tag, length, bytes), each fact's framed once per call
  // into `refs` however many results name it. Repeated fields parse in the
  // order they appear, so the bytes parse to exactly the result
  // EvaluateAllInto builds.
  const std::vector<EntityFact>& facts = entity.facts();
  constexpr std::uint32_t kNotYet = ~std::uint32_t{0};
  std::string refs;
  refs.reserve(32 * facts.size());
  // Per fact: where its framed FactRef starts in `refs`, and its size.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> ref_at(
      facts.size(), {kNotYet, 0});
  std::string value;
  value.reserve(1024);
  for (std::size_t i = 0; i < n; ++i) {
    const v1::IndicatorResult& result = results->results(static_cast<int>(i));
    value.clear();
    result.AppendToString(&value);
    if (done.evidence_facts[i].has_value()) {
      for (std::uint32_t index : *done.evidence_facts[i]) {
        auto& [at, size] = ref_at[index];
        if (at == kNotYet) {
          at = static_cast<std::uint32_t>(refs.size());
          AppendEvidence(facts[index], &refs);
          size = static_cast<std::uint32_t>(refs.size()) - at;
        }
        value.append(refs, at, size);
      }
    }
    put(result.name(), value);
  }
}

std::vector<v1::IndicatorResult> IndicatorRegistry::EvaluateAll(
    const EntityView& entity, const EvalContext& ctx) const {
  v1::IndicatorResults all;
  EvaluateAllInto(entity, ctx, &all);
  std::vector<v1::IndicatorResult> results;
  results.reserve(all.results_size());
  // Both on the heap: a move is a swap.
  for (v1::IndicatorResult& result : *all.mutable_results()) {
    results.push_back(std::move(result));
  }
  return results;
}

absl::StatusOr<v1::IndicatorResult> IndicatorRegistry::Evaluate(
    std::string_view name, const EntityView& entity,
    const EvalContext& ctx) const {
  std::shared_ptr<const Snapshot> snap = snapshot();
  auto it = snap->index.find(Key(name));
  if (it == snap->index.end()) {
    return absl::NotFoundError(
        fmt::format("indicator '{}' is not registered", name));
  }
  // Mark the target and its transitive inputs; inputs always have smaller
  // indices, so one backward pass finds them all.
  const std::size_t target = it->second;
  std::vector<bool> needed(target + 1, false);
  needed[target] = true;
  for (std::size_t i = target + 1; i-- > 0;) {
    if (!needed[i]) continue;
    for (std::size_t input : snap->entries[i].input_indices) {
      needed[input] = true;
    }
  }
  const std::int64_t now = NowMicros(ctx);
  std::vector<v1::IndicatorResult> results;
  results.reserve(target + 1);
  Done done(target + 1);
  std::vector<std::ptrdiff_t> slot(target + 1, -1);
  for (std::size_t i = 0; i <= target; ++i) {
    if (!needed[i]) continue;
    slot[i] = static_cast<std::ptrdiff_t>(results.size());
    results.emplace_back();
    EvaluateEntry(snap->entries[i], entity, ctx, slot, now,
                  /*write_indexed_evidence=*/true, &results.back(), &done);
  }
  return std::move(results.back());
}

}  // namespace credit
