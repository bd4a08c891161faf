# Valid identifiers in any number (datagen's checksums.h), for tests that
# need many records no two of which may link.
if(NOT TARGET credit_datagen_lib)
  add_subdirectory(${PROJECT_SOURCE_DIR}/examples/datagen
                   ${PROJECT_BINARY_DIR}/examples/datagen)
endif()
target_link_libraries(credit_engine_tests PRIVATE credit_datagen_lib)

# The linking commands of the `credit` tool, end to end on the demo data.
if(TARGET credit_cli)
  add_test(NAME engine.cli_linking
    COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/cli_linking_test.sh
      $<TARGET_FILE:credit_cli> ${PROJECT_SOURCE_DIR}/examples/data
      ${CMAKE_CURRENT_BINARY_DIR}/cli_linking)
  set_tests_properties(engine.cli_linking PROPERTIES LABELS "engine;cli" TIMEOUT 120)
endif()
