#include "cli_util.h"

#include <cstdint>
#include <cstdio>

#include "command.h"
#include "fmt/format.h"
#include "google/protobuf/util/json_util.h"

namespace credit::cli {

int ReportError(std::string_view command, const absl::Status& status) {
  fmt::print(stderr, "credit {}: {}\n", command, std::string(status.message()));
  return status.code() == absl::StatusCode::kInvalidArgument &&
                 (status.message().find("flag") != std::string_view::npos ||
                  status.message().find("missing --") != std::string_view::npos)
             ? kExitUsage
             : 1;
}

absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& argv,
                               const ArgSpec& spec) {
  return Args::Parse(argv, spec);
}

absl::StatusOr<std::unique_ptr<Engine>> OpenEngine(
    const Args& args, bool create, bool register_stored_rules) {
  auto db = args.Require("db");
  if (!db.ok()) return db.status();
  Options options;
  options.create_if_missing = create;
  options.register_stored_rules = register_stored_rules;
  options.sync = args.Has("sync");
  return Engine::Open(*db, options);
}

std::string ToJson(const google::protobuf::Message& message, bool pretty) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = pretty;
  options.preserve_proto_field_names = false;
  std::string out;
  auto status =
      google::protobuf::util::MessageToJsonString(message, &out, options);
  if (!status.ok()) {
    return fmt::format("{{\"error\":{}}}", JsonQuote(status.ToString()));
  }
  if (pretty && !out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (unsigned char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20) {
          out += fmt::format("\\u{:04x}", c);
        } else {
          out.push_back(static_cast<char>(c));
        }
    }
  }
  out.push_back('"');
  return out;
}

absl::StatusOr<std::pair<std::string, std::string>> ParseRecordKey(
    std::string_view text) {
  size_t slash = text.find('/');
  if (slash == std::string_view::npos || slash == 0 ||
      slash + 1 == text.size()) {
    return absl::InvalidArgumentError(fmt::format(
        "record key '{}' must be SOURCE/RECORD_ID, e.g. tax/123", text));
  }
  return std::make_pair(std::string(text.substr(0, slash)),
                        std::string(text.substr(slash + 1)));
}

absl::StatusOr<v1::RecordKey> ParseRecordKeyProto(std::string_view text) {
  auto parts = ParseRecordKey(text);
  if (!parts.ok()) return parts.status();
  v1::RecordKey key;
  key.set_source(parts->first);
  key.set_record_id(parts->second);
  return key;
}

absl::StatusOr<uint64_t> ParseCount(std::string_view text,
                                    std::string_view what) {
  uint64_t value = 0;
  if (text.empty()) {
    return absl::InvalidArgumentError(fmt::format("{} takes a number", what));
  }
  for (char c : text) {
    if (c < '0' || c > '9' || value > (UINT64_MAX - 9) / 10) {
      return absl::InvalidArgumentError(
          fmt::format("{} takes a number, not '{}'", what, text));
    }
    value = value * 10 + static_cast<uint64_t>(c - '0');
  }
  return value;
}

std::string KeyString(const v1::RecordKey& key) {
  return fmt::format("{}/{}", key.source(), key.record_id());
}

void NoteIfAwaitingLink(Engine& engine, std::string_view db) {
  auto stats = engine.GetStats();
  if (!stats.ok() || !stats->awaiting_link()) return;
  fmt::print(stderr,
             "note: records stored with --no-link --defer-entities have no "
             "entity until `credit resolve --db {}` links them; until then "
             "they are in no entity, export or search result\n",
             db);
}

void PrintComparisons(
    const google::protobuf::RepeatedPtrField<v1::ComparisonEntry>& entries,
    std::string_view indent) {
  for (const auto& entry : entries) {
    fmt::print("{}{:<24} {:<16} {:+8.2f}\n", indent, entry.feature(),
               entry.level(), entry.weight());
  }
}

}  // namespace credit::cli
