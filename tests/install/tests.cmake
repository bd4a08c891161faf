# The installed package works for an outside project.
set(CREDIT_CONSUMER_ARGS)
if(CREDIT_SANITIZE)
  set(CREDIT_CONSUMER_ARGS
    "-DCMAKE_CXX_FLAGS=-fsanitize=address,undefined"
    "-DCMAKE_EXE_LINKER_FLAGS=-fsanitize=address,undefined")
endif()
add_test(NAME install.find_package_consumer
  COMMAND bash ${CMAKE_CURRENT_LIST_DIR}/check_install.sh ${PROJECT_BINARY_DIR}
          ${CREDIT_CONSUMER_ARGS})
set_tests_properties(install.find_package_consumer PROPERTIES
  LABELS install TIMEOUT 300 PASS_REGULAR_EXPRESSION "consumer ok")
