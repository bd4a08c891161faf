# Every dependency comes from Debian 12's packages (see the Makefile's APT_PACKAGES).
find_package(Threads REQUIRED)
find_package(Protobuf REQUIRED)
find_package(absl CONFIG REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(ICU REQUIRED COMPONENTS uc i18n data)
# SHA-256 for the hash-chained audit log.
find_package(OpenSSL REQUIRED COMPONENTS Crypto)
# Debian's RocksDB package exports RocksDB::rocksdb (a static archive, not
# built for position-independent use) and RocksDB::rocksdb-shared. libcredit is
# a shared library, so it links the shared one.
find_package(RocksDB CONFIG REQUIRED)
if(TARGET RocksDB::rocksdb-shared)
  set(CREDIT_ROCKSDB_TARGET RocksDB::rocksdb-shared)
else()
  set(CREDIT_ROCKSDB_TARGET RocksDB::rocksdb)
endif()
if(CREDIT_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(CREDIT_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
endif()

# jemalloc for the executables we ship (the `credit` tool, the benchmark
# harness): glibc malloc fragments under RocksDB and protobuf churn; measured
# 15-40 % more ingest throughput (bench/README.md). The library itself leaves
# the allocator to the application. Not with sanitizers, which bring their own.
find_library(CREDIT_JEMALLOC_LIBRARY NAMES jemalloc)
function(credit_use_jemalloc target)
  if(CREDIT_JEMALLOC_LIBRARY AND NOT CREDIT_SANITIZE)
    target_link_libraries(${target} PRIVATE ${CREDIT_JEMALLOC_LIBRARY})
  endif()
endfunction()
