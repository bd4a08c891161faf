// credit indicators: credit indicators of entities, stored or as of a date.
#include <cstdio>
#include <ctime>

#include "cli_util.h"
#include "command.h"
#include "credit/normalize.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit indicators --db DIR [--rules FILE [--save-rules]] [--plugin SO]...
                        [--entity ID] [--as-of DATE] [--limit N]
                        [--format text|json|csv]

Prints credit indicators per entity: value, the facts behind it and a short
explanation (or the error of an indicator that failed for that entity).

Which indicators: the database's stored rules (set with --save-rules), the
rules of --rules FILE instead, and the indicators of every --plugin.

Which results: without --as-of and without --rules/--plugin, the results
stored at the last change of each entity; otherwise computed now, as of
--as-of (default: today), and not stored. --save-rules makes FILE the
database's rules and re-evaluates every entity (stored, with progress).

  --entity ID   one entity (a retired id reads the entity it merged into)
  --limit N     at most N entities (default: all)
  --format      text (default), json (one result per line) or csv
)";

std::string ValueText(const v1::IndicatorResult& result) {
  if (!result.error().empty()) return "error";
  const auto& v = result.value();
  switch (v.kind_case()) {
    case v1::IndicatorValue::kNumber:
      return fmt::format("{:.12g}", v.number());
    case v1::IndicatorValue::kFlag:
      return v.flag() ? "yes" : "no";
    case v1::IndicatorValue::kText:
      return v.text();
    case v1::IndicatorValue::kGrade:
      return v.grade();
    default:
      return "-";
  }
}

std::string CsvField(std::string_view text) {
  if (text.find_first_of(",\"\n") == std::string_view::npos) {
    return std::string(text);
  }
  std::string out = "\"";
  for (char c : text) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

void Print(const std::string& format, uint64_t entity,
           const std::vector<v1::IndicatorResult>& results,
           const std::string& name) {
  if (format == "json") {
    for (const auto& r : results) fmt::print("{}\n", ToJson(r, false));
    return;
  }
  if (format == "csv") {
    for (const auto& r : results) {
      std::string evidence;
      for (const auto& f : r.evidence()) {
        if (!evidence.empty()) evidence += ' ';
        evidence += fmt::format("{}/{}#{}", f.record().source(),
                                f.record().record_id(), f.fact_index());
      }
      fmt::print("{},{},{},{},{:04d}-{:02d}-{:02d},{},{},{}\n", entity,
                 r.name(), r.version(), CsvField(ValueText(r)),
                 r.as_of().year(), r.as_of().month(), r.as_of().day(),
                 CsvField(evidence), CsvField(r.explanation()),
                 CsvField(r.error()));
    }
    return;
  }
  fmt::print("entity {}{}\n", entity, name.empty() ? "" : "  " + name);
  for (const auto& r : results) {
    fmt::print("  {:<28} {:<10} {}\n", r.name(), ValueText(r),
               r.error().empty() ? r.explanation() : r.error());
    for (const auto& f : r.evidence()) {
      fmt::print("  {:<28} {:<10}   fact {}/{}#{}\n", "", "",
                 f.record().source(), f.record().record_id(), f.fact_index());
    }
  }
}

std::string NameOf(const v1::Entity& entity) {
  for (const auto& attribute : entity.profile().attributes()) {
    if (attribute.name() == "name" && attribute.values_size() > 0) {
      return attribute.values(0).value();
    }
  }
  return "";
}

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, ArgSpec{{"db", "rules", "plugin", "entity",
                                       "as-of", "limit", "format"},
                                      {"save-rules"},
                                      {"plugin"}});
  if (!args.ok()) return ReportError("indicators", args.status());
  const std::string format = args->Get("format").value_or("text");
  if (format != "text" && format != "json" && format != "csv") {
    return ReportError("indicators", absl::InvalidArgumentError(fmt::format(
                                         "--format is text, json or csv, not "
                                         "'{}'",
                                         format)));
  }
  if (args->Has("save-rules") && !args->Has("rules")) {
    return ReportError("indicators", absl::InvalidArgumentError(
                                         "--save-rules needs --rules FILE"));
  }
  std::optional<v1::Date> as_of;
  if (auto text = args->Get("as-of")) {
    auto date = ParseDate(*text);
    if (!date.ok() || !IsCompleteDate(*date)) {
      return ReportError("indicators", absl::InvalidArgumentError(fmt::format(
                                           "--as-of takes a full date such as "
                                           "2024-06-30, not '{}'",
                                           *text)));
    }
    as_of = *date;
  }
  uint64_t limit = UINT64_MAX;
  if (auto text = args->Get("limit")) {
    auto n = ParseCount(*text, "--limit");
    if (!n.ok()) return ReportError("indicators", n.status());
    limit = *n;
  }
  // Rules given for this run only replace the stored ones: open without them.
  const bool transient_rules = args->Has("rules") && !args->Has("save-rules");
  auto engine = OpenEngine(*args, /*create=*/false, !transient_rules);
  if (!engine.ok()) return ReportError("indicators", engine.status());
  bool compute = as_of.has_value() || !args->GetAll("plugin").empty();
  if (auto path = args->Get("rules")) {
    auto rules = LoadRuleFile(*path);
    if (!rules.ok()) return ReportError("indicators", rules.status());
    if (args->Has("save-rules")) {
      auto names = (*engine)->SetRules(*rules);
      if (!names.ok()) return ReportError("indicators", names.status());
      EvaluateOptions options;
      options.progress = [](uint64_t done, uint64_t total) {
        fmt::print(stderr, "\revaluated {} of {} entities", done, total);
      };
      auto evaluated = (*engine)->EvaluateIndicators(options);
      fmt::print(stderr, "\n");
      if (!evaluated.ok()) return ReportError("indicators", evaluated.status());
      fmt::print(stderr, "rules saved: {} indicators; {} entities evaluated\n",
                 names->size(), *evaluated);
    } else {
      auto built = BuildRuleIndicators(*rules);
      if (!built.ok()) return ReportError("indicators", built.status());
      for (auto& indicator : *built) {
        if (auto s = (*engine)->RegisterIndicator(indicator); !s.ok()) {
          return ReportError("indicators", s);
        }
      }
      compute = true;
    }
  }
  for (const auto& plugin : args->GetAll("plugin")) {
    auto info = (*engine)->LoadPlugin(plugin);
    if (!info.ok()) return ReportError("indicators", info.status());
  }
  if ((*engine)->ListIndicators().empty()) {
    return ReportError("indicators", absl::FailedPreconditionError(
                                         "no indicators: give --rules FILE "
                                         "(and --save-rules to keep them) or "
                                         "--plugin SO"));
  }
  // Computed results are as of --as-of, else today.
  std::optional<v1::Date> compute_as_of = as_of;
  if (compute && !compute_as_of) {
    const std::time_t now = std::time(nullptr);
    std::tm utc{};
    gmtime_r(&now, &utc);
    v1::Date today;
    today.set_year(utc.tm_year + 1900);
    today.set_month(utc.tm_mon + 1);
    today.set_day(utc.tm_mday);
    compute_as_of = today;
  }
  auto read = [&](uint64_t id) {
    return compute ? (*engine)->GetIndicators(id, compute_as_of)
                   : (*engine)->GetIndicators(id);
  };
  if (format == "csv") {
    fmt::print("entity_id,indicator,version,value,as_of,evidence,explanation,"
               "error\n");
  }
  if (auto text = args->Get("entity")) {
    auto id = ParseCount(*text, "--entity");
    if (!id.ok()) return ReportError("indicators", id.status());
    auto entity = (*engine)->GetEntity(*id);
    if (!entity.ok()) return ReportError("indicators", entity.status());
    auto results = read(entity->id());
    if (!results.ok()) return ReportError("indicators", results.status());
    Print(format, entity->id(), *results, NameOf(*entity));
    return kExitOk;
  }
  uint64_t printed = 0;
  for (auto it = (*engine)->NewEntityIterator(); it->Valid() && printed < limit;
       it->Next(), ++printed) {
    auto results = read(it->value().id());
    if (!results.ok()) return ReportError("indicators", results.status());
    Print(format, it->value().id(), *results, NameOf(it->value()));
  }
  return kExitOk;
}

}  // namespace

extern const Command kIndicatorsCommand = {
    "indicators", "credit indicators per entity (stored, or as of a date)",
    kUsage, Run};

}  // namespace credit::cli
