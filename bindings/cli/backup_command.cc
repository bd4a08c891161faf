// credit backup: an incremental RocksDB backup of the database.
#include <cstdio>

#include "cli_util.h"
#include "command.h"
#include "fmt/format.h"

namespace credit::cli {
namespace {

constexpr const char* kUsage =
    R"(usage: credit backup --db DIR --to BACKUP_DIR

Adds a backup of the database to BACKUP_DIR (RocksDB BackupEngine: files
already backed up are shared). Restore with `credit restore`.
)";

int Run(const std::vector<std::string>& argv) {
  auto args = ParseArgs(argv, ArgSpec{{"db", "to"}, {}, {}});
  if (!args.ok()) return ReportError("backup", args.status());
  auto to = args->Require("to");
  if (!to.ok()) return ReportError("backup", to.status());
  auto engine = OpenEngine(*args, /*create=*/false);
  if (!engine.ok()) return ReportError("backup", engine.status());
  if (auto s = (*engine)->Backup(*to); !s.ok()) return ReportError("backup", s);
  fmt::print("backed up {} to {}\n", *args->Get("db"), *to);
  return kExitOk;
}

}  // namespace

extern const Command kBackupCommand = {"backup", "back up the database",
                                       kUsage, Run};

}  // namespace credit::cli
