#include "args.h"

#include "fmt/format.h"

namespace credit::cli {

absl::StatusOr<Args> Args::Parse(const std::vector<std::string>& argv,
                                 const ArgSpec& spec) {
  Args args;
  for (size_t i = 0; i < argv.size(); ++i) {
    const std::string& arg = argv[i];
    if (arg == "--") {
      args.positional_.insert(args.positional_.end(), argv.begin() + i + 1,
                              argv.end());
      break;
    }
    if (arg.size() < 3 || arg.compare(0, 2, "--") != 0) {
      args.positional_.push_back(arg);
      continue;
    }
    std::string name = arg.substr(2);
    std::optional<std::string> inline_value;
    if (auto eq = name.find('='); eq != std::string::npos) {
      inline_value = name.substr(eq + 1);
      name = name.substr(0, eq);
    }
    if (name == "help" || spec.bool_flags.count(name) > 0) {
      if (inline_value) {
        return absl::InvalidArgumentError(
            fmt::format("flag --{} takes no value", name));
      }
      args.bools_.insert(name);
      continue;
    }
    if (spec.value_flags.count(name) == 0 &&
        spec.repeated_flags.count(name) == 0) {
      return absl::InvalidArgumentError(
          fmt::format("unknown flag --{} (see --help)", name));
    }
    std::string value;
    if (inline_value) {
      value = *inline_value;
    } else if (i + 1 < argv.size()) {
      value = argv[++i];
    } else {
      return absl::InvalidArgumentError(
          fmt::format("flag --{} needs a value", name));
    }
    if (spec.repeated_flags.count(name) == 0 && args.values_.count(name) > 0) {
      return absl::InvalidArgumentError(
          fmt::format("flag --{} given twice", name));
    }
    args.values_.emplace(name, value);
  }
  return args;
}

bool Args::Has(const std::string& flag) const {
  return bools_.count(flag) > 0 || values_.count(flag) > 0;
}

std::optional<std::string> Args::Get(const std::string& flag) const {
  auto [begin, end] = values_.equal_range(flag);
  if (begin == end) return std::nullopt;
  return std::prev(end)->second;
}

std::vector<std::string> Args::GetAll(const std::string& flag) const {
  std::vector<std::string> out;
  auto [begin, end] = values_.equal_range(flag);
  for (auto it = begin; it != end; ++it) out.push_back(it->second);
  return out;
}

absl::StatusOr<std::string> Args::Require(const std::string& flag) const {
  auto value = Get(flag);
  if (!value) {
    return absl::InvalidArgumentError(
        fmt::format("missing --{} (see --help)", flag));
  }
  return *value;
}

}  // namespace credit::cli
