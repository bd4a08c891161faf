# Test plugins for tests/indicators/plugin_loader_test.cc, built as MODULE
# libraries; their paths reach the test binary as compile definitions.
function(credit_test_plugin target source)
  add_library(${target} MODULE ${CMAKE_CURRENT_LIST_DIR}/plugins/${source})
  target_link_libraries(${target} PRIVATE credit::credit)
  set_target_properties(${target} PROPERTIES
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON
    LIBRARY_OUTPUT_DIRECTORY ${PROJECT_BINARY_DIR}/tests/indicators/plugins)
  target_compile_definitions(${target} PRIVATE ${ARGN})
  credit_set_warnings(${target})
  add_dependencies(credit_indicators_tests ${target})
endfunction()

if(TARGET credit_indicators_tests)
  credit_test_plugin(credit_test_plugin_throwing throwing_plugin.cc)
  credit_test_plugin(credit_test_plugin_bad_abi bad_descriptor_plugin.cc BAD_ABI)
  credit_test_plugin(credit_test_plugin_bad_size bad_descriptor_plugin.cc BAD_SIZE)
  credit_test_plugin(credit_test_plugin_failing_register failing_register_plugin.cc)
  credit_test_plugin(credit_test_plugin_no_entry no_entry_plugin.cc)
  target_compile_definitions(credit_indicators_tests PRIVATE
    CREDIT_TEST_PLUGIN_THROWING="$<TARGET_FILE:credit_test_plugin_throwing>"
    CREDIT_TEST_PLUGIN_BAD_ABI="$<TARGET_FILE:credit_test_plugin_bad_abi>"
    CREDIT_TEST_PLUGIN_BAD_SIZE="$<TARGET_FILE:credit_test_plugin_bad_size>"
    CREDIT_TEST_PLUGIN_FAILING_REGISTER="$<TARGET_FILE:credit_test_plugin_failing_register>"
    CREDIT_TEST_PLUGIN_NO_ENTRY="$<TARGET_FILE:credit_test_plugin_no_entry>")
  target_link_libraries(credit_indicators_tests PRIVATE ${CMAKE_DL_LIBS})
  # The example plugin, when examples are built.
  if(TARGET credit_plugin_penalty_recency)
    add_dependencies(credit_indicators_tests credit_plugin_penalty_recency)
    target_compile_definitions(credit_indicators_tests PRIVATE
      CREDIT_EXAMPLE_PLUGIN="$<TARGET_FILE:credit_plugin_penalty_recency>")
  endif()
endif()
