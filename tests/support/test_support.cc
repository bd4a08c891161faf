#include "test_support.h"

#include <stdlib.h>

#include <cstdlib>

namespace credit::testing {

std::string SharedDataDir() {
  std::error_code ignored;
  if (const char* env = std::getenv("CREDIT_SHARED_DATA_DIR");
      env != nullptr && std::filesystem::is_directory(env, ignored)) {
    return env;
  }
#ifdef CREDIT_SHARED_DATA_DIR
  if (std::filesystem::is_directory(CREDIT_SHARED_DATA_DIR, ignored)) {
    return CREDIT_SHARED_DATA_DIR;
  }
#endif
  return "";
}

TempDir::TempDir() {
  const char* base = std::getenv("TEST_TMPDIR");
  std::filesystem::path root =
      base != nullptr ? std::filesystem::path(base)
                      : std::filesystem::temp_directory_path();
  std::string pattern = (root / "credit_test_XXXXXX").string();
  char* made = ::mkdtemp(pattern.data());
  path_ = made != nullptr ? std::filesystem::path(made) : root / "credit_test";
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::string TempDir::Sub(const std::string& name) const {
  return (path_ / name).string();
}

}  // namespace credit::testing
