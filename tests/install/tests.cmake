# The installed package works for an outside project.
add_test(NAME install.find_package_consumer
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/check_install.sh ${PROJECT_BINARY_DIR})
set_tests_properties(install.find_package_consumer PROPERTIES
  LABELS install TIMEOUT 300 PASS_REGULAR_EXPRESSION "consumer ok")
