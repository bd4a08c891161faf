# Data generator tests: unit tests link the generator library; the sample
# test regenerates examples/data/ with its documented command and compares
# the files byte for byte.
if(NOT TARGET credit_datagen_lib)
  add_subdirectory(${PROJECT_SOURCE_DIR}/examples/datagen ${PROJECT_BINARY_DIR}/examples/datagen)
endif()
target_link_libraries(credit_datagen_tests PRIVATE credit_datagen_lib)
target_include_directories(credit_datagen_tests PRIVATE ${CMAKE_CURRENT_LIST_DIR})

add_test(NAME datagen.sample_reproducible
  COMMAND ${CMAKE_COMMAND}
    -DDATAGEN=$<TARGET_FILE:credit_datagen>
    -DDATA_DIR=${PROJECT_SOURCE_DIR}/examples/data
    -DWORK_DIR=${CMAKE_CURRENT_BINARY_DIR}/datagen_sample
    -P ${CMAKE_CURRENT_LIST_DIR}/reproduce_sample.cmake)
set_tests_properties(datagen.sample_reproducible PROPERTIES LABELS datagen TIMEOUT 60)
