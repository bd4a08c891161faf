// `credit`: the libcredit command-line tool. See `credit --help`.
#include <cstdio>
#include <string>
#include <vector>

#include "command.h"
#include "fmt/format.h"

namespace {

void PrintHelp() {
  fmt::print(
      "credit: identity resolution and credit indicators over agency records\n\n"
      "usage: credit <command> [flags]\n\ncommands:\n");
  for (const auto& command : credit::cli::AllCommands()) {
    fmt::print("  {:<16} {}\n", command.name, command.summary);
  }
  fmt::print("\nRun `credit <command> --help` for a command's flags.\n");
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" ||
      args[0] == "help") {
    PrintHelp();
    return args.empty() ? credit::cli::kExitUsage : credit::cli::kExitOk;
  }
  for (const auto& command : credit::cli::AllCommands()) {
    if (args[0] == command.name) {
      std::vector<std::string> rest(args.begin() + 1, args.end());
      for (const auto& arg : rest) {
        if (arg == "--help" || arg == "-h") {
          fmt::print("{}", command.usage);
          return credit::cli::kExitOk;
        }
      }
      return command.run(rest);
    }
  }
  fmt::print(stderr, "credit: unknown command '{}' (see credit --help)\n",
             args[0]);
  return credit::cli::kExitUsage;
}
