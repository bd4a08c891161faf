// Command-line argument parsing for the `credit` tool: `--flag value`,
// `--flag=value`, boolean `--flag`, and positional arguments.
#ifndef CREDIT_CLI_ARGS_H_
#define CREDIT_CLI_ARGS_H_

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "absl/status/statusor.h"

namespace credit::cli {

// What a command accepts. Thread-compatible value.
struct ArgSpec {
  std::set<std::string> value_flags;  // flags that take a value, without "--"
  std::set<std::string> bool_flags;   // flags that take none; "help" is implied
  std::set<std::string> repeated_flags;  // value flags that may repeat
};

// Parsed arguments.
class Args {
 public:
  // Parses `argv` (the arguments after the command name) against `spec`.
  // InvalidArgumentError names an unknown flag or a flag missing its value.
  static absl::StatusOr<Args> Parse(const std::vector<std::string>& argv,
                                    const ArgSpec& spec);

  bool Has(const std::string& flag) const;
  // Returns the flag's (last) value, or nullopt.
  std::optional<std::string> Get(const std::string& flag) const;
  // Returns every value given for a repeated flag, in order.
  std::vector<std::string> GetAll(const std::string& flag) const;
  // Returns the flag's value or InvalidArgumentError "missing --flag".
  absl::StatusOr<std::string> Require(const std::string& flag) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::multimap<std::string, std::string> values_;
  std::set<std::string> bools_;
  std::vector<std::string> positional_;
};

}  // namespace credit::cli

#endif  // CREDIT_CLI_ARGS_H_
