// The hash-chained audit log: one AuditEvent per committed change (and per
// audited read), written in the same WriteBatch as the change itself.
//
// Each event's `hash` is SHA-256 over its serialized content (with `hash`
// cleared) and the previous event's hash, so editing or deleting any stored
// event breaks the chain at that point, which Verify() reports.
//
// Thread safety: thread-compatible. The engine calls Append/Committed under
// its write mutex.
#ifndef CREDIT_AUDIT_AUDIT_LOG_H_
#define CREDIT_AUDIT_AUDIT_LOG_H_

#include <cstdint>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "credit/v1/audit.pb.h"
#include "rocksdb/write_batch.h"
#include "store/store.h"

namespace credit {

class AuditLog {
 public:
  // Loads the chain head (last sequence and hash) from `store`.
  static absl::StatusOr<AuditLog> Load(Store* store);

  // Completes `event` (sequence, prev_hash, hash) and adds it to `batch`.
  // The chain head advances only when Committed() is called after the batch
  // was written; Abandoned() forgets the pending event.
  void Append(v1::AuditEvent event, rocksdb::WriteBatch* batch);
  void Committed();
  void Abandoned();

  // Re-reads the whole log and checks sequence numbers and the hash chain.
  // Returns the number of events checked, or DataLossError naming the first
  // event that does not verify.
  static absl::StatusOr<uint64_t> Verify(const Store& store);

  uint64_t last_sequence() const { return last_sequence_; }

 private:
  explicit AuditLog(Store* store) : store_(store) {}
  static std::string ComputeHash(const v1::AuditEvent& event);

  Store* store_;
  uint64_t last_sequence_ = 0;
  std::string last_hash_;
  uint64_t pending_sequence_ = 0;
  std::string pending_hash_;
};

}  // namespace credit

#endif  // CREDIT_AUDIT_AUDIT_LOG_H_
