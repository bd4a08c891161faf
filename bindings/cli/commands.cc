#include "command.h"

namespace credit::cli {

// Each command's definition lives in its <name>_command.cc.
extern const Command kValidateIdCommand;
extern const Command kNormalizeCommand;


const std::vector<Command>& AllCommands() {
  static const std::vector<Command>* commands = new std::vector<Command>{
      kValidateIdCommand, kNormalizeCommand,
  };
  return *commands;
}

}  // namespace credit::cli
