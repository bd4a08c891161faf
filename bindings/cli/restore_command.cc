// credit restore: restores the latest backup into a database directory.
#include <cstdio>
#include <filesystem>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit restore --from BACKUP_DIR --db DIR

Restores the latest backup in BACKUP_DIR into DIR. DIR must not be in use;
an existing database there is replaced.
)";

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, ArgSpec{{"db", "from"}, {}, {}});
  if (!args.ok()) return ReportError("restore", args.status());
  auto from = args->Require("from");
  if (!from.ok()) return ReportError("restore", from.status());
  auto db = args->Require("db");
  if (!db.ok()) return ReportError("restore", db.status());
  if (auto s = Engine::RestoreBackup(*from, *db); !s.ok()) {
    return ReportError("restore", s);
  }
  fmt::print("restored {} into {}\n", *from, *db);
  return kExitOk;
}

}  // namespace

extern const Command kRestoreCommand = {
    "restore", "restore the latest backup into a database directory", kUsage,
    Run};

}  // namespace credit::cli
