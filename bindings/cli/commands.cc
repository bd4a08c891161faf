#include "command.h"

namespace credit::cli {

// Each command's definition lives in its <name>_command.cc.
extern const Command kIngestCommand;
extern const Command kExportCommand;
extern const Command kShowCommand;
extern const Command kStatsCommand;
extern const Command kQuarantineCommand;
extern const Command kBackupCommand;
extern const Command kRestoreCommand;
extern const Command kValidateIdCommand;
extern const Command kNormalizeCommand;
extern const Command kResolveCommand;
extern const Command kExplainCommand;
extern const Command kSearchCommand;
extern const Command kReviewCommand;
extern const Command kIndicatorsCommand;
extern const Command kFactStatusCommand;

const std::vector<Command>& AllCommands() {
  static const std::vector<Command>* commands = new std::vector<Command>{
      kIngestCommand,     kResolveCommand,     kExportCommand,      kShowCommand,
      kExplainCommand,    kSearchCommand,      kReviewCommand,
      kIndicatorsCommand, kFactStatusCommand,
      kStatsCommand,      kQuarantineCommand,  kBackupCommand,
      kRestoreCommand,    kValidateIdCommand,  kNormalizeCommand,
  };
  return *commands;
}

}  // namespace credit::cli
