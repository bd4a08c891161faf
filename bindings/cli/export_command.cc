// credit export: every record with its entity (CSV) or every entity (JSONL).
#include <cstdio>
#include <fstream>
#include <iostream>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit export --db DIR [--format csv|jsonl] [--out FILE]

csv (default): header source,record_id,entity_id and one line per record.
jsonl: one line per entity with its members and profile.
)";

std::string CsvField(const std::string& value) {
  if (value.find_first_of(",\"\r\n") == std::string::npos) return value;
  std::string out = "\"";
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, ArgSpec{{"db", "format", "out"}, {}, {}});
  if (!args.ok()) return ReportError("export", args.status());
  std::string format = args->Get("format").value_or("csv");
  if (format != "csv" && format != "jsonl") {
    return ReportError("export", absl::InvalidArgumentError(fmt::format(
                                     "--format must be csv or jsonl, not '{}'",
                                     format)));
  }
  auto engine = OpenEngine(*args, /*create=*/false);
  if (!engine.ok()) return ReportError("export", engine.status());
  NoteIfAwaitingLink(**engine, *args->Get("db"));
  std::ofstream file;
  std::ostream* out = &std::cout;
  if (auto path = args->Get("out")) {
    file.open(*path, std::ios::binary);
    if (!file) {
      return ReportError("export", absl::InvalidArgumentError(fmt::format(
                                       "cannot write '{}'", *path)));
    }
    out = &file;
  }
  auto it = (*engine)->NewEntityIterator();
  if (format == "csv") *out << "source,record_id,entity_id\n";
  for (; it->Valid(); it->Next()) {
    const v1::Entity& entity = it->value();
    if (format == "jsonl") {
      *out << ToJson(entity, /*pretty=*/false) << '\n';
      continue;
    }
    for (const auto& member : entity.members()) {
      *out << CsvField(member.source()) << ',' << CsvField(member.record_id())
           << ',' << entity.id() << '\n';
    }
  }
  if (!it->status().ok()) return ReportError("export", it->status());
  out->flush();
  if (!*out) {
    return ReportError("export", absl::DataLossError("write failed"));
  }
  return kExitOk;
}

}  // namespace

extern const Command kExportCommand = {
    "export", "export records with their entity ids (csv) or entities (jsonl)",
    kUsage, Run};

}  // namespace credit::cli
