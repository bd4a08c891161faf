// Helpers shared by the `credit` commands.
#ifndef CREDIT_CLI_CLI_UTIL_H_
#define CREDIT_CLI_CLI_UTIL_H_

#include <memory>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "args.h"
#include "credit/engine.h"
#include "google/protobuf/message.h"

namespace credit::cli {

// Prints "credit <command>: <message>" to stderr and returns the exit code
// for `status` (usage errors 2, everything else 1).
int ReportError(std::string_view command, const absl::Status& status);

// Parses arguments or prints the error; returns nullopt on failure.
absl::StatusOr<Args> ParseArgs(const std::vector<std::string>& argv,
                               const ArgSpec& spec);

// Opens the engine at `--db`. With `create` false a missing database is an
// error instead of being created.
absl::StatusOr<std::unique_ptr<Engine>> OpenEngine(
    const Args& args, bool create, bool register_stored_rules = true);

// Returns `message` as one line of JSON (proto field names in lowerCamel).
std::string ToJson(const google::protobuf::Message& message, bool pretty);

// Returns `text` as a JSON string literal (quoted, escaped).
std::string JsonQuote(std::string_view text);

// Parses "SOURCE/RECORD_ID" into its parts.
absl::StatusOr<std::pair<std::string, std::string>> ParseRecordKey(
    std::string_view text);

// Parses "SOURCE/RECORD_ID" into a RecordKey.
absl::StatusOr<v1::RecordKey> ParseRecordKeyProto(std::string_view text);
// Parses a non-negative integer flag value; `what` names it in the error.
absl::StatusOr<uint64_t> ParseCount(std::string_view text,
                                    std::string_view what);
// "source/record_id".
std::string KeyString(const v1::RecordKey& key);

// Prints a note to stderr when the store holds records stored without
// entities that await `credit resolve` (--no-link --defer-entities): they
// are in no entity yet, so an export, a search or an explanation seems to
// miss them.
void NoteIfAwaitingLink(Engine& engine, std::string_view db);
// Prints a comparison vector as aligned lines ("  org_name   exact  +9.12").
void PrintComparisons(
    const google::protobuf::RepeatedPtrField<v1::ComparisonEntry>& entries,
    std::string_view indent);
}  // namespace credit::cli

#endif  // CREDIT_CLI_CLI_UTIL_H_
