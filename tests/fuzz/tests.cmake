# The fuzz targets (tests/fuzz/*_fuzz.cc) linked with a deterministic
# standalone driver, so the normal (gcc) test suite runs each briefly:
# a few thousand mutated inputs, capped at 4 s. The libFuzzer builds live in
# tests/fuzz/CMakeLists.txt (CREDIT_BUILD_FUZZERS, clang preset `fuzz`).
file(GLOB CREDIT_FUZZ_TARGETS CONFIGURE_DEPENDS ${CMAKE_CURRENT_LIST_DIR}/*_fuzz.cc)
foreach(src ${CREDIT_FUZZ_TARGETS})
  get_filename_component(name ${src} NAME_WE)
  set(target credit_${name}_smoke)
  add_executable(${target} ${src} ${CMAKE_CURRENT_LIST_DIR}/standalone_main.cc)
  target_include_directories(${target} PRIVATE ${CMAKE_CURRENT_LIST_DIR})
  target_link_libraries(${target} PRIVATE credit_internal)
  credit_set_warnings(${target})
  add_test(NAME ${name}_smoke COMMAND ${target} --iterations 3000 --seconds 4)
  set_tests_properties(${name}_smoke PROPERTIES LABELS "fuzz;normalize" TIMEOUT 60)
endforeach()
