#include "command.h"

namespace credit::cli {

// Each command's definition lives in its <name>_command.cc.


const std::vector<Command>& AllCommands() {
  static const std::vector<Command>* commands = new std::vector<Command>{
  };
  return *commands;
}

}  // namespace credit::cli
