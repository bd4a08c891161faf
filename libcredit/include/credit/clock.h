// credit/clock.h: the time source behind record and audit timestamps.
//
// Implementations must be thread-safe. Tests inject a fake clock through
// Options::clock so timestamps are deterministic.
//
// Example:
//   class FixedClock : public credit::Clock {
//    public:
//     int64_t NowMicros() const override { return 1700000000000000; }
//   };
#ifndef CREDIT_CLOCK_H_
#define CREDIT_CLOCK_H_

#include <cstdint>

namespace credit {

class Clock {
 public:
  virtual ~Clock() = default;
  // Returns the current time as microseconds since the Unix epoch.
  virtual std::int64_t NowMicros() const = 0;

  // Returns the process-wide system clock. Never null; not owned by the caller.
  static Clock* System();
};

}  // namespace credit

#endif  // CREDIT_CLOCK_H_
