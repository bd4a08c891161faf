# A tiny smoke run of the end-to-end harness (N = 2,000) so it cannot rot.
if(TARGET credit_e2e_harness AND TARGET credit_datagen)
  add_test(NAME bench.e2e_smoke
    COMMAND bash ${PROJECT_SOURCE_DIR}/bench/e2e/run.sh ${PROJECT_BINARY_DIR} --smoke)
  set_tests_properties(bench.e2e_smoke PROPERTIES LABELS bench TIMEOUT 300
    ENVIRONMENT "CREDIT_BENCH_SCRATCH=${PROJECT_BINARY_DIR}/bench-smoke-scratch"
    PASS_REGULAR_EXPRESSION "F1 [0-9.]+")
endif()

# The same for the A/B script: both sides are this build, 2,000 records, one
# run each, data and stores made afresh.
if(TARGET credit_cli AND TARGET credit_datagen)
  add_test(NAME bench.ab_smoke
    COMMAND ${CMAKE_COMMAND} -E env
      CREDIT_AB_SCRATCH=${PROJECT_BINARY_DIR}/bench-ab-smoke
      /usr/bin/python3 ${PROJECT_SOURCE_DIR}/bench/e2e/ab.py --fresh
        --records 2000 --delta-share 0.1 --runs 1
        ${PROJECT_BINARY_DIR} ${PROJECT_BINARY_DIR})
  set_tests_properties(bench.ab_smoke PROPERTIES LABELS bench TIMEOUT 300
    PASS_REGULAR_EXPRESSION "relink: old mean [0-9.]+ s, new mean [0-9.]+ s")
endif()
