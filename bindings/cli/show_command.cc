// credit show: one entity or one record, as JSON.
#include <cstdio>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit show --db DIR (--entity ID | --record SOURCE/RECORD_ID)

Prints the entity (members, profile with provenance and the stored credit
indicators) or the record
(features, facts, raw input, entity id) as pretty JSON. A retired entity id
prints the entity it was merged into, with "redirectedFrom" set.
)";

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, ArgSpec{{"db", "entity", "record"}, {}, {}});
  if (!args.ok()) return ReportError("show", args.status());
  if (args->Has("entity") == args->Has("record")) {
    return ReportError("show", absl::InvalidArgumentError(
                                   "give exactly one of --entity or --record "
                                   "(see --help)"));
  }
  auto engine = OpenEngine(*args, /*create=*/false);
  if (!engine.ok()) return ReportError("show", engine.status());
  if (auto id_text = args->Get("entity")) {
    // Digits only: std::stoull read "-1" as 18446744073709551615.
    auto id = ParseCount(*id_text, "--entity");
    if (!id.ok()) return ReportError("show", id.status());
    auto entity = (*engine)->GetEntity(*id);
    if (!entity.ok()) return ReportError("show", entity.status());
    std::string json = ToJson(*entity, /*pretty=*/true);
    // The stored credit indicators, as one more top-level field.
    auto indicators = (*engine)->GetIndicators(entity->id());
    if (!indicators.ok()) return ReportError("show", indicators.status());
    if (!indicators->empty() && !json.empty() && json.back() == '}') {
      json.pop_back();
      while (!json.empty() && (json.back() == '\n' || json.back() == ' ')) {
        json.pop_back();
      }
      json += ",\n \"indicators\": [";
      for (size_t i = 0; i < indicators->size(); ++i) {
        json += (i == 0 ? "\n  " : ",\n  ") +
                ToJson((*indicators)[i], /*pretty=*/false);
      }
      json += "\n ]\n}";
    }
    fmt::print("{}\n", json);
    return kExitOk;
  }
  auto key = ParseRecordKey(*args->Get("record"));
  if (!key.ok()) return ReportError("show", key.status());
  auto record = (*engine)->GetRecord(key->first, key->second);
  if (!record.ok()) return ReportError("show", record.status());
  auto entity = (*engine)->GetEntityOfRecord(key->first, key->second);
  std::string json = ToJson(*record, /*pretty=*/true);
  // Append the entity id as a top-level field for convenience.
  if (entity.ok() && !json.empty() && json.back() == '}') {
    json.pop_back();
    while (!json.empty() && (json.back() == '\n' || json.back() == ' ')) {
      json.pop_back();
    }
    json += fmt::format(",\n \"entityId\": \"{}\"\n}}", entity->id());
  }
  fmt::print("{}\n", json);
  return kExitOk;
}

}  // namespace

extern const Command kShowCommand = {
    "show", "show one entity or record as JSON", kUsage, Run};

}  // namespace credit::cli
