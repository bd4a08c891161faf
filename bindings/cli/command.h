// The `credit` tool's commands: each lives in its own <name>_command.cc and
// is listed once in commands.cc.
#ifndef CREDIT_CLI_COMMAND_H_
#define CREDIT_CLI_COMMAND_H_

#include <string>
#include <vector>

namespace credit::cli {

// Exit codes shared by every command.
inline constexpr int kExitOk = 0;
inline constexpr int kExitFailure = 1;  // the command ran and found a problem
inline constexpr int kExitUsage = 2;    // bad arguments

struct Command {
  const char* name;
  const char* summary;  // one line for `credit --help`
  const char* usage;    // full text for `credit <name> --help`
  // Runs the command on the arguments after its name; returns the exit code.
  int (*run)(const std::vector<std::string>& args);
};

// Returns every command, in the order `credit --help` lists them.
const std::vector<Command>& AllCommands();

}  // namespace credit::cli

#endif  // CREDIT_CLI_COMMAND_H_
