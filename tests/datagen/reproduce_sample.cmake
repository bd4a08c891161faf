# Regenerates the demo sample with examples/data/regenerate.sh (the documented
# command and seed) into WORK_DIR and fails unless every file matches the
# committed one byte for byte. Arguments: DATAGEN, DATA_DIR, WORK_DIR.
foreach(var DATAGEN DATA_DIR WORK_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "reproduce_sample.cmake: pass -D${var}=...")
  endif()
endforeach()

file(REMOVE_RECURSE ${WORK_DIR})
execute_process(
  COMMAND sh ${DATA_DIR}/regenerate.sh ${DATAGEN} ${WORK_DIR}
  RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "regenerate.sh failed with ${rc}")
endif()

file(GLOB generated RELATIVE ${WORK_DIR} ${WORK_DIR}/*)
file(GLOB committed RELATIVE ${DATA_DIR} ${DATA_DIR}/*.csv ${DATA_DIR}/*.json)
list(SORT generated)
list(SORT committed)
if(NOT generated STREQUAL committed)
  message(FATAL_ERROR "generated files (${generated}) differ from committed ones (${committed})")
endif()
set(failed "")
foreach(f ${generated})
  execute_process(
    COMMAND ${CMAKE_COMMAND} -E compare_files ${WORK_DIR}/${f} ${DATA_DIR}/${f}
    RESULT_VARIABLE same)
  if(NOT same EQUAL 0)
    list(APPEND failed ${f})
  endif()
endforeach()
if(failed)
  message(FATAL_ERROR "regenerated files differ from examples/data/: ${failed}\n"
    "If the generator changed on purpose, run examples/data/regenerate.sh and commit the result.")
endif()
list(LENGTH generated n)
message(STATUS "all ${n} files of examples/data/ reproduced byte for byte")
file(REMOVE_RECURSE ${WORK_DIR})
