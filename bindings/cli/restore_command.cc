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

Restores the latest backup in BACKUP_DIR into DIR: a new or empty
directory, or a credit database, which is replaced. A database that is open
(by a running ingest, say) is refused, and so is a directory that holds
other files: a restore deletes every file in DIR.
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
