#include "audit/audit_log.h"

#include <memory>

#include "fmt/format.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "openssl/sha.h"
#include "store/key_codec.h"

namespace credit {

std::string AuditLog::ComputeHash(const v1::AuditEvent& event) {
  v1::AuditEvent copy = event;
  copy.clear_hash();
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    copy.SerializeToCodedStream(&coded);
  }
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(),
         digest);
  return std::string(reinterpret_cast<const char*>(digest), sizeof(digest));
}

absl::StatusOr<AuditLog> AuditLog::Load(Store* store) {
  AuditLog log(store);
  std::unique_ptr<rocksdb::Iterator> it(store->db()->NewIterator(
      rocksdb::ReadOptions(), store->cf(ColumnFamily::kAudit)));
  it->SeekToLast();
  if (it->Valid()) {
    v1::AuditEvent last;
    if (!last.ParseFromArray(it->value().data(),
                             static_cast<int>(it->value().size()))) {
      return absl::DataLossError(
          "the last audit event does not parse: restore from a backup");
    }
    log.last_sequence_ = last.sequence();
    log.last_hash_ = last.hash();
  } else if (!it->status().ok()) {
    return FromRocks(it->status(), "read audit log");
  }
  return log;
}

void AuditLog::Append(v1::AuditEvent event, rocksdb::WriteBatch* batch) {
  pending_sequence_ = last_sequence_ + 1;
  event.set_sequence(pending_sequence_);
  event.set_prev_hash(last_hash_);
  pending_hash_ = ComputeHash(event);
  event.set_hash(pending_hash_);
  batch->Put(store_->cf(ColumnFamily::kAudit),
             store_internal::AuditKey(pending_sequence_),
             event.SerializeAsString());
}

void AuditLog::Committed() {
  if (pending_sequence_ == 0) return;
  last_sequence_ = pending_sequence_;
  last_hash_ = pending_hash_;
  pending_sequence_ = 0;
}

void AuditLog::Abandoned() { pending_sequence_ = 0; }

absl::StatusOr<uint64_t> AuditLog::Verify(const Store& store) {
  auto snapshot = store.NewSnapshot();
  std::unique_ptr<rocksdb::Iterator> it(store.db()->NewIterator(
      snapshot->read_options(), store.cf(ColumnFamily::kAudit)));
  uint64_t expected_sequence = 1;
  std::string prev_hash;
  for (it->SeekToFirst(); it->Valid(); it->Next()) {
    v1::AuditEvent event;
    if (!event.ParseFromArray(it->value().data(),
                              static_cast<int>(it->value().size()))) {
      return absl::DataLossError(fmt::format(
          "audit event {} does not parse", expected_sequence));
    }
    if (event.sequence() != expected_sequence) {
      return absl::DataLossError(fmt::format(
          "audit log: expected event {}, found {}: events are missing",
          expected_sequence, event.sequence()));
    }
    if (event.prev_hash() != prev_hash) {
      return absl::DataLossError(fmt::format(
          "audit event {}: previous-hash link does not match event {}",
          event.sequence(), event.sequence() - 1));
    }
    if (ComputeHash(event) != event.hash()) {
      return absl::DataLossError(fmt::format(
          "audit event {}: content does not match its hash (altered)",
          event.sequence()));
    }
    prev_hash = event.hash();
    ++expected_sequence;
  }
  if (!it->status().ok()) return FromRocks(it->status(), "read audit log");
  return expected_sequence - 1;
}

}  // namespace credit
