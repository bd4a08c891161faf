#include "audit/audit_log.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "store/key_codec.h"
#include "test_support.h"

namespace credit {
namespace {

using ::credit::testing::StatusIs;
using ::credit::testing::TempDir;
using ::testing::HasSubstr;

absl::Status AppendEvents(Store* store, AuditLog* log, int count) {
  for (int i = 0; i < count; ++i) {
    rocksdb::WriteBatch batch;
    v1::AuditEvent event;
    event.set_action("ingest");
    event.set_detail("event " + std::to_string(i));
    log->Append(event, &batch);
    auto status = store->Write(&batch, false);
    if (!status.ok()) return status;
    log->Committed();
  }
  return absl::OkStatus();
}

TEST(AuditLogTest, ChainVerifiesAndSurvivesReload) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  auto log = AuditLog::Load(store->get());
  CREDIT_ASSERT_OK(log);
  CREDIT_ASSERT_OK(AppendEvents(store->get(), &*log, 3));
  auto reloaded = AuditLog::Load(store->get());
  CREDIT_ASSERT_OK(reloaded);
  EXPECT_EQ(reloaded->last_sequence(), 3u);
  CREDIT_ASSERT_OK(AppendEvents(store->get(), &*reloaded, 2));
  auto verified = AuditLog::Verify(**store);
  CREDIT_ASSERT_OK(verified);
  EXPECT_EQ(*verified, 5u);
}

TEST(AuditLogTest, AbandonedEventDoesNotAdvanceTheChain) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  auto log = AuditLog::Load(store->get());
  CREDIT_ASSERT_OK(log);
  rocksdb::WriteBatch dropped;
  log->Append(v1::AuditEvent(), &dropped);
  log->Abandoned();
  CREDIT_ASSERT_OK(AppendEvents(store->get(), &*log, 1));
  EXPECT_EQ(*AuditLog::Verify(**store), 1u);
}

TEST(AuditLogTest, DetectsAlteredAndMissingEvents) {
  TempDir dir;
  auto store = Store::Open(dir.Sub("db"), {});
  CREDIT_ASSERT_OK(store);
  auto log = AuditLog::Load(store->get());
  CREDIT_ASSERT_OK(log);
  CREDIT_ASSERT_OK(AppendEvents(store->get(), &*log, 3));
  auto* audit = (*store)->cf(ColumnFamily::kAudit);
  std::string bytes;
  ASSERT_TRUE((*store)->db()->Get({}, audit, store_internal::AuditKey(2), &bytes).ok());
  v1::AuditEvent event;
  ASSERT_TRUE(event.ParseFromString(bytes));
  event.set_detail("rewritten");
  rocksdb::WriteBatch tamper;
  tamper.Put(audit, store_internal::AuditKey(2), event.SerializeAsString());
  CREDIT_ASSERT_OK((*store)->Write(&tamper, false));
  EXPECT_THAT(AuditLog::Verify(**store),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("event 2")));

  rocksdb::WriteBatch remove;
  remove.Delete(audit, store_internal::AuditKey(2));
  CREDIT_ASSERT_OK((*store)->Write(&remove, false));
  EXPECT_THAT(AuditLog::Verify(**store),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("missing")));
}

}  // namespace
}  // namespace credit
