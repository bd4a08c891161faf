# A tiny smoke run of the end-to-end harness (N = 2,000) so it cannot rot.
if(TARGET credit_e2e_harness AND TARGET credit_datagen)
  add_test(NAME bench.e2e_smoke
    COMMAND bash ${PROJECT_SOURCE_DIR}/bench/e2e/run.sh ${PROJECT_BINARY_DIR} --smoke)
  set_tests_properties(bench.e2e_smoke PROPERTIES LABELS bench TIMEOUT 300
    ENVIRONMENT "CREDIT_BENCH_SCRATCH=${PROJECT_BINARY_DIR}/bench-smoke-scratch"
    PASS_REGULAR_EXPRESSION "F1 [0-9.]+")
endif()
