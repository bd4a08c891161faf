# The Python tests (pytest under Debian's /usr/bin/python3) count in ctest.
if(TARGET credit_python)
  add_test(NAME python.pytest
    COMMAND /usr/bin/python3 -m pytest -q -p no:cacheprovider ${CMAKE_CURRENT_LIST_DIR})
  set_tests_properties(python.pytest PROPERTIES LABELS python TIMEOUT 600
    ENVIRONMENT "PYTHONPATH=${PROJECT_BINARY_DIR}/python;CREDIT_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
  add_test(NAME python.quickstart
    COMMAND /usr/bin/python3 ${PROJECT_SOURCE_DIR}/examples/python/quickstart.py)
  set_tests_properties(python.quickstart PROPERTIES LABELS python TIMEOUT 300
    ENVIRONMENT "PYTHONPATH=${PROJECT_BINARY_DIR}/python"
    PASS_REGULAR_EXPRESSION "entity")
endif()
