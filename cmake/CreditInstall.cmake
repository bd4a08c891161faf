# `cmake --install` produces a package consumed with
#   find_package(credit CONFIG REQUIRED)
#   target_link_libraries(app credit::credit)
include(CMakePackageConfigHelpers)

install(TARGETS credit EXPORT creditTargets
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/libcredit/include/credit
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.h")
install(DIRECTORY ${CREDIT_PROTO_OUT}/credit
  DESTINATION ${CMAKE_INSTALL_INCLUDEDIR} FILES_MATCHING PATTERN "*.pb.h")
install(FILES ${CREDIT_PROTO_FILES} DESTINATION ${CMAKE_INSTALL_DATADIR}/credit/proto/credit/v1)

set(CREDIT_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/credit)
install(EXPORT creditTargets NAMESPACE credit:: DESTINATION ${CREDIT_CMAKE_DIR})
configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/creditConfig.cmake.in
  ${CMAKE_CURRENT_BINARY_DIR}/creditConfig.cmake
  INSTALL_DESTINATION ${CREDIT_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/creditConfigVersion.cmake
  COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/creditConfig.cmake
  ${CMAKE_CURRENT_BINARY_DIR}/creditConfigVersion.cmake
  DESTINATION ${CREDIT_CMAKE_DIR})
