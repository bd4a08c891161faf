// jemalloc's built-in options for the executables that link it (see
// credit_use_jemalloc in cmake/CreditDependencies.cmake). jemalloc reads
// this symbol once at start-up; MALLOC_CONF in the environment still
// overrides it.
//
// thp:always backs jemalloc's arenas with transparent huge pages, where the
// kernel allows them (THP mode "always" or "madvise"). A relink of 1M
// records touches ~10 GB of fresh memory; on the 2-core VM each 4 KB page
// fault cost ~6 us, 24 % of the relink in perf, and with 2 MB pages the
// faults went from 3.1M to 0.2M (bench/README.md).
extern "C" {
const char* malloc_conf = "thp:always,metadata_thp:auto";
}
