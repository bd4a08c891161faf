// Produces items on a helper thread, one ahead of the consumer.
//
// IngestFile reads, maps and normalizes the next batch of rows while the
// current batch is linked and written under the engine's write lock: on two
// cores the two halves overlap. One long-lived thread (not one per batch)
// keeps the normalizers' per-thread ICU objects and caches warm.
//
// `produce()` runs only on the helper thread; `is_last(item)` says whether
// the item it returned was the last (or an error the consumer will stop
// at). Thread-compatible: one consumer.
#ifndef CREDIT_UTIL_PREFETCHER_H_
#define CREDIT_UTIL_PREFETCHER_H_

#include <condition_variable>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace credit {

template <typename T>
class Prefetcher {
 public:
  Prefetcher(std::function<T()> produce, std::function<bool(const T&)> is_last)
      : produce_(std::move(produce)), is_last_(std::move(is_last)) {
    thread_ = std::thread([this] { Run(); });
  }
  // Stops after the item being produced, if any, and waits for the thread.
  ~Prefetcher() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    changed_.notify_all();
    thread_.join();
  }
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  // The next item, in production order. Do not call after the last one.
  T Next() {
    std::unique_lock<std::mutex> lock(mu_);
    changed_.wait(lock, [this] { return slot_.has_value(); });
    T item = std::move(*slot_);
    slot_.reset();
    lock.unlock();
    changed_.notify_all();
    return item;
  }

 private:
  void Run() {
    while (true) {
      T item = produce_();
      const bool last = is_last_(item);
      std::unique_lock<std::mutex> lock(mu_);
      changed_.wait(lock, [this] { return !slot_.has_value() || stop_; });
      if (stop_) return;
      slot_ = std::move(item);
      lock.unlock();
      changed_.notify_all();
      if (last) return;
    }
  }

  std::function<T()> produce_;
  std::function<bool(const T&)> is_last_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::optional<T> slot_;  // the item produced and not yet taken
  bool stop_ = false;
  std::thread thread_;
};

}  // namespace credit

#endif  // CREDIT_UTIL_PREFETCHER_H_
