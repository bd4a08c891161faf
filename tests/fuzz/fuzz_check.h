// FUZZ_CHECK: an invariant a fuzz target asserts. A violation aborts, so
// libFuzzer records the input and the standalone driver fails the test.
#ifndef CREDIT_TESTS_FUZZ_FUZZ_CHECK_H_
#define CREDIT_TESTS_FUZZ_FUZZ_CHECK_H_

#include <cstdio>
#include <cstdlib>

#define FUZZ_CHECK(condition)                                          \
  do {                                                                 \
    if (!(condition)) {                                                \
      std::fprintf(stderr, "%s:%d: FUZZ_CHECK failed: %s\n", __FILE__, \
                   __LINE__, #condition);                              \
      std::abort();                                                    \
    }                                                                  \
  } while (false)

#endif  // CREDIT_TESTS_FUZZ_FUZZ_CHECK_H_
