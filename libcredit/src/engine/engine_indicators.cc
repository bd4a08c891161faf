// Engine side of credit indicators: registration (C++, plugins, stored
// declarative rules), evaluation and storage of results, on-the-fly reads
// for another as-of date, and fact status changes (dispute, repair).
#include <algorithm>

#include "absl/time/time.h"
#include "engine/engine_impl.h"
#include "fmt/format.h"
#include "fmt/ranges.h"
#include "indicators/plugin_loader.h"
#include "store/key_codec.h"
#include "util/status_macros.h"

namespace credit {

using store_internal::EntityIdKey;
using store_internal::IndicatorKey;
using store_internal::ReadUint64;
using store_internal::RecordIdKey;
using store_internal::RecordNumberKey;

namespace {

constexpr const char* kRulesKey = "rules";

}  // namespace

v1::Date EngineImpl::Today() const {
  const absl::CivilDay day = absl::ToCivilDay(
      absl::FromUnixMicros(clock_->NowMicros()), absl::UTCTimeZone());
  v1::Date date;
  date.set_year(static_cast<int32_t>(day.year()));
  date.set_month(day.month());
  date.set_day(day.day());
  return date;
}

namespace {

EntityView MakeEntityView(const v1::Entity& entity,
                          const std::vector<const v1::Record*>& members) {
  std::vector<EntityFact> facts;
  for (const v1::Record* record : members) {
    for (int i = 0; i < record->facts_size(); ++i) {
      EntityFact fact;
      fact.record.set_source(record->source());
      fact.record.set_record_id(record->record_id());
      fact.fact_index = static_cast<std::uint32_t>(i);
      fact.fact = record->facts(i);
      facts.push_back(std::move(fact));
    }
  }
  return EntityView(entity, std::move(facts));
}

}  // namespace

std::vector<v1::IndicatorResult> EngineImpl::EvaluateEntity(
    const v1::Entity& entity, const std::vector<const v1::Record*>& members,
    const v1::Date& as_of) const {
  EvalContext context;
  context.as_of = as_of;
  context.evaluated_at_micros = clock_->NowMicros();
  return indicators_.EvaluateAll(MakeEntityView(entity, members), context);
}

void EngineImpl::EvaluateAndStoreIndicators(
    const v1::Entity& entity, const std::vector<const v1::Record*>& members,
    const v1::Date& as_of, rocksdb::WriteBatch* batch) const {
  // Replaced whole: an indicator unregistered since leaves no stale result.
  DeleteIndicatorResults(entity.id(), batch);
  EvaluateIndicatorsInto(
      entity, members, as_of,
      [&](std::string_view key, std::string_view value) {
        batch->Put(store_->cf(ColumnFamily::kIndicators), key, value);
      });
}

void EngineImpl::EvaluateIndicatorsInto(
    const v1::Entity& entity, const std::vector<const v1::Record*>& members,
    const v1::Date& as_of,
    absl::FunctionRef<void(std::string_view, std::string_view)> put) const {
  EvalContext context;
  context.as_of = as_of;
  context.evaluated_at_micros = clock_->NowMicros();
  indicators_.EvaluateAllSerialized(
      MakeEntityView(entity, members), context,
      [&](std::string_view name, std::string_view bytes) {
        put(IndicatorKey(entity.id(), name), bytes);
      });
}

void EngineImpl::DeleteIndicatorResults(uint64_t id,
                                        rocksdb::WriteBatch* batch) const {
  batch->DeleteRange(store_->cf(ColumnFamily::kIndicators), EntityIdKey(id),
                     EntityIdKey(id + 1));
}

absl::Status EngineImpl::LoadStoredRules() {
  CREDIT_ASSIGN_OR_RETURN(auto bytes,
                          store_->Get(ColumnFamily::kMeta, kRulesKey));
  if (!bytes) return absl::OkStatus();
  v1::RuleSet rules;
  if (!rules.ParseFromString(*bytes)) {
    return absl::DataLossError(
        "the stored rules are corrupt; set them again with SetRules() "
        "(credit indicators --rules FILE --save-rules)");
  }
  CREDIT_ASSIGN_OR_RETURN(auto built, BuildRuleIndicators(rules));
  CREDIT_RETURN_IF_ERROR(indicators_.RegisterAll(built));
  absl::MutexLock lock(&write_mu_);
  rules_ = std::move(rules);
  return absl::OkStatus();
}

absl::Status EngineImpl::RegisterIndicator(
    std::shared_ptr<const Indicator> indicator) {
  if (indicator == nullptr) {
    return absl::InvalidArgumentError("RegisterIndicator: null indicator");
  }
  return indicators_.Register(std::move(indicator));
}

absl::StatusOr<PluginInfo> EngineImpl::LoadPlugin(std::string_view path) {
  return credit::LoadPlugin(path, &indicators_);
}

absl::StatusOr<std::vector<std::string>> EngineImpl::SetRules(
    const v1::RuleSet& rules, const IngestOptions& options) {
  CREDIT_RETURN_IF_ERROR(ValidateRuleSet(rules, "rules"));
  CREDIT_ASSIGN_OR_RETURN(auto built, BuildRuleIndicators(rules));
  absl::MutexLock lock(&write_mu_);
  // The old rules go first, so a rule may keep its name with a new version.
  std::vector<std::string> old_names;
  for (const auto& rule : rules_.rule()) old_names.push_back(rule.name());
  for (const auto& card : rules_.scorecard()) old_names.push_back(card.name());
  // Scorecards read rules: unregister them first.
  for (auto it = old_names.rbegin(); it != old_names.rend(); ++it) {
    auto removed = indicators_.Unregister(*it);
    if (!removed.ok() && removed.code() != absl::StatusCode::kNotFound) {
      return removed;
    }
  }
  auto registered = indicators_.RegisterAll(built);
  if (!registered.ok()) {
    // Put the old rules back, so a refused rule set changes nothing.
    auto old_built = BuildRuleIndicators(rules_);
    if (old_built.ok()) indicators_.RegisterAll(*old_built).IgnoreError();
    return registered;
  }
  rocksdb::WriteBatch batch;
  batch.Put(store_->cf(ColumnFamily::kMeta), kRulesKey,
            rules.SerializeAsString());
  std::vector<std::string> names;
  for (const auto& indicator : built) names.push_back(indicator->name());
  v1::AuditEvent event;
  event.set_action("set_rules");
  event.set_detail(fmt::format("{} rules, {} scorecards: {}", rules.rule_size(),
                               rules.scorecard_size(), fmt::join(names, ", ")));
  CREDIT_RETURN_IF_ERROR(Commit(&batch, std::move(event), options));
  rules_ = rules;
  return names;
}

v1::RuleSet EngineImpl::GetRules() const {
  absl::MutexLock lock(&write_mu_);
  return rules_;
}

std::vector<std::string> EngineImpl::ListIndicators() const {
  std::vector<std::string> names;
  for (const auto& indicator : indicators_.List()) {
    names.push_back(indicator->name());
  }
  return names;
}

absl::StatusOr<std::vector<v1::IndicatorResult>> EngineImpl::GetIndicators(
    std::uint64_t id, const std::optional<v1::Date>& as_of) const {
  auto snapshot = store_->NewSnapshot();
  const auto read = snapshot->read_options();
  CREDIT_ASSIGN_OR_RETURN(v1::Entity entity, ResolveEntity(id, read));
  std::vector<v1::IndicatorResult> results;
  if (as_of.has_value()) {
    std::vector<v1::Record> storage;
    CREDIT_ASSIGN_OR_RETURN(auto members,
                            LoadMembers(entity, {}, &storage, read));
    return EvaluateEntity(entity, members, *as_of);
  }
  absl::Status bad = absl::OkStatus();
  CREDIT_RETURN_IF_ERROR(store_->ScanPrefix(
      ColumnFamily::kIndicators, EntityIdKey(entity.id()),
      [&](std::string_view key, std::string_view value) {
        v1::IndicatorResult result;
        if (!result.ParseFromArray(value.data(), static_cast<int>(value.size()))) {
          bad = absl::DataLossError(fmt::format(
              "stored indicator result {} of entity {} is corrupt; run "
              "EvaluateIndicators()",
              key.substr(8), entity.id()));
          return false;
        }
        results.push_back(std::move(result));
        return true;
      },
      read));
  CREDIT_RETURN_IF_ERROR(bad);
  return results;
}

absl::StatusOr<std::uint64_t> EngineImpl::EvaluateIndicators(
    const EvaluateOptions& options) {
  // The entity ids as of now; each batch then reads the current state under
  // the write lock, so ingest calls can interleave between batches.
  std::vector<uint64_t> ids;
  {
    auto it = NewEntityIterator();
    for (; it->Valid(); it->Next()) ids.push_back(it->value().id());
    CREDIT_RETURN_IF_ERROR(it->status());
  }
  const std::size_t batch_size = std::max<std::size_t>(options.batch_size, 1);
  uint64_t done = 0;
  for (std::size_t start = 0; start < ids.size(); start += batch_size) {
    const std::size_t end = std::min(ids.size(), start + batch_size);
    {
      absl::MutexLock lock(&write_mu_);
      const v1::Date today = Today();
      rocksdb::WriteBatch batch;
      for (std::size_t i = start; i < end; ++i) {
        CREDIT_ASSIGN_OR_RETURN(
            auto entity, store_->GetProto<v1::Entity>(ColumnFamily::kEntities,
                                                      EntityIdKey(ids[i])));
        if (!entity) continue;  // merged or deleted meanwhile
        std::vector<v1::Record> storage;
        CREDIT_ASSIGN_OR_RETURN(auto members,
                                LoadMembers(*entity, {}, &storage));
        EvaluateAndStoreIndicators(*entity, members, today, &batch);
      }
      v1::AuditEvent event;
      event.set_action("evaluate_indicators");
      event.set_detail(fmt::format("entities {} to {} of {}", start + 1, end,
                                   ids.size()));
      CREDIT_RETURN_IF_ERROR(Commit(&batch, std::move(event), options.write));
    }
    done = end;
    if (options.progress) options.progress(done, ids.size());
  }
  return done;
}

absl::StatusOr<v1::IngestReport> EngineImpl::SetFactStatus(
    const v1::RecordKey& record_key, std::uint32_t fact_index,
    v1::Fact::Status status, std::string_view reason,
    const IngestOptions& options) {
  if (reason.empty()) {
    return absl::InvalidArgumentError(
        "a fact status change needs a reason (it is kept with the fact and "
        "in the audit log)");
  }
  if (status == v1::Fact::STATUS_UNSPECIFIED || !v1::Fact::Status_IsValid(status)) {
    return absl::InvalidArgumentError(
        "status must be ACTIVE, RESOLVED, DISPUTED or REPAIRED");
  }
  absl::MutexLock lock(&write_mu_);
  CREDIT_ASSIGN_OR_RETURN(uint64_t number, RecordNumberOf(record_key));
  CREDIT_ASSIGN_OR_RETURN(v1::Record record, RecordByNumber(number));
  if (fact_index >= static_cast<std::uint32_t>(record.facts_size())) {
    return absl::InvalidArgumentError(fmt::format(
        "record {}/{} has {} fact(s); there is no fact {}", record_key.source(),
        record_key.record_id(), record.facts_size(), fact_index));
  }
  v1::Fact* fact = record.mutable_facts(static_cast<int>(fact_index));
  const v1::Fact::Status previous = fact->status();
  fact->set_status(status);
  fact->set_status_reason(std::string(reason));

  rocksdb::WriteBatch batch;
  batch.Put(store_->cf(ColumnFamily::kRecords), RecordNumberKey(number),
            record.SerializeAsString());
  v1::IngestReport report;
  report.set_source(record_key.source());
  report.set_updated(1);
  CREDIT_ASSIGN_OR_RETURN(auto entity_bytes,
                          store_->Get(ColumnFamily::kRecordEntity,
                                      RecordNumberKey(number)));
  std::optional<uint64_t> entity_id =
      entity_bytes ? ReadUint64(*entity_bytes) : std::nullopt;
  if (entity_id) {
    CREDIT_ASSIGN_OR_RETURN(
        auto entity, store_->GetProto<v1::Entity>(ColumnFamily::kEntities,
                                                  EntityIdKey(*entity_id)));
    if (entity) {
      RecordOverlay overlay;
      overlay[RecordIdKey(record_key.source(), record_key.record_id())] =
          &record;
      std::vector<v1::Record> storage;
      CREDIT_ASSIGN_OR_RETURN(auto members,
                              LoadMembers(*entity, overlay, &storage));
      if (HasIndicators()) {
        EvaluateAndStoreIndicators(*entity, members, Today(), &batch);
      }
      report.add_affected_entities(*entity_id);
      v1::EntityChange change;
      change.set_kind(v1::EntityChange::UPDATED);
      change.set_entity_id(*entity_id);
      *report.add_changes() = std::move(change);
    }
  }
  v1::AuditEvent event;
  event.set_action("fact_status");
  *event.add_records() = record_key;
  event.set_record_count(1);
  for (uint64_t id : report.affected_entities()) event.add_entities(id);
  event.set_detail(fmt::format(
      "{}/{} fact {} ({}): {} -> {}: {}", record_key.source(),
      record_key.record_id(), fact_index, fact->kind(),
      v1::Fact::Status_Name(previous), v1::Fact::Status_Name(status), reason));
  CREDIT_RETURN_IF_ERROR(Commit(&batch, std::move(event), options));
  return report;
}

}  // namespace credit
