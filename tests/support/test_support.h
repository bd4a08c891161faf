// Shared test helpers: Status matchers (Debian's abseil has none) and
// temporary directories.
#ifndef CREDIT_TESTS_SUPPORT_TEST_SUPPORT_H_
#define CREDIT_TESTS_SUPPORT_TEST_SUPPORT_H_

#include <filesystem>
#include <ostream>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "gmock/gmock.h"

namespace credit::testing {

// Prints a status for gMock failure messages.
inline std::string StatusText(const absl::Status& s) { return s.ToString(); }
template <typename T>
std::string StatusText(const absl::StatusOr<T>& s) {
  return s.status().ToString();
}
inline const absl::Status& GetStatus(const absl::Status& s) { return s; }
template <typename T>
const absl::Status& GetStatus(const absl::StatusOr<T>& s) {
  return s.status();
}

// Matches an absl::Status or absl::StatusOr<T> that is OK.
MATCHER(IsOk, "is OK") {
  const absl::Status& s = GetStatus(arg);
  if (!s.ok()) *result_listener << s.ToString();
  return s.ok();
}

// Matches a status with `code` and a message matching `message_matcher`.
MATCHER_P2(StatusIs, code, message_matcher,
           "has code " + absl::StatusCodeToString(code)) {
  const absl::Status& s = GetStatus(arg);
  *result_listener << s.ToString();
  return s.code() == code &&
         ::testing::Matches(message_matcher)(std::string(s.message()));
}

// Matches a status with `code`, whatever its message.
MATCHER_P(StatusIs, code, "has code " + absl::StatusCodeToString(code)) {
  const absl::Status& s = GetStatus(arg);
  *result_listener << s.ToString();
  return s.code() == code;
}

// Asserts that `expr` (a Status or StatusOr) is OK.
#define CREDIT_ASSERT_OK(expr) \
  ASSERT_THAT((expr), ::credit::testing::IsOk())
#define CREDIT_EXPECT_OK(expr) \
  EXPECT_THAT((expr), ::credit::testing::IsOk())

// Returns the directory of the public data sets: $CREDIT_SHARED_DATA_DIR,
// else the one found at configure time; "" when neither exists.
std::string SharedDataDir();

// Skips the current test when the public data sets are not on this machine.
#define CREDIT_REQUIRE_SHARED_DATA()                                      \
  do {                                                                    \
    if (::credit::testing::SharedDataDir().empty()) {                     \
      GTEST_SKIP() << "public data sets not found (set "                  \
                      "CREDIT_SHARED_DATA_DIR to ../shared/data)";        \
    }                                                                     \
  } while (false)

// A fresh directory under the test temp dir, removed on destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::filesystem::path& path() const { return path_; }
  // Returns path() / `name` as a string.
  std::string Sub(const std::string& name) const;

 private:
  std::filesystem::path path_;
};

}  // namespace credit::testing

#endif  // CREDIT_TESTS_SUPPORT_TEST_SUPPORT_H_
