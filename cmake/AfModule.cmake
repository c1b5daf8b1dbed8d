# af_module(NAME <name> SOURCES <files...> DEPS <targets...>)
#   Declares the library target af_<name> for one module folder. Public include root is src/,
#   so headers are included as "module/header.hpp".
function(af_module)
  cmake_parse_arguments(M "" "NAME" "SOURCES;DEPS" ${ARGN})
  add_library(af_${M_NAME} ${M_SOURCES})
  target_include_directories(af_${M_NAME} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(af_${M_NAME} PUBLIC ${M_DEPS})
endfunction()

# af_test(NAME <name> SOURCES <files...> DEPS <targets...>)
#   One GoogleTest executable registered with ctest (each TEST a ctest case).
#   Tests run with the project root as working directory and AF_SOURCE_DIR set.
function(af_test)
  cmake_parse_arguments(T "" "NAME" "SOURCES;DEPS;LABELS" ${ARGN})
  # Developer option for a shared work tree where a test file may not be written yet. Never set
  # in CI: there a missing source is an error.
  if(AF_TOLERATE_MISSING_TESTS)
    foreach(src IN LISTS T_SOURCES)
      if(NOT EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/${src} AND NOT EXISTS ${src})
        message(WARNING "af_test ${T_NAME}: ${src} missing; test skipped in this build")
        return()
      endif()
    endforeach()
  endif()
  add_executable(${T_NAME} ${T_SOURCES})
  target_link_libraries(${T_NAME} PRIVATE ${T_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  target_compile_definitions(${T_NAME} PRIVATE AF_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                               AF_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${T_NAME} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                       PROPERTIES LABELS "${T_LABELS}" DISCOVERY_TIMEOUT 60)
endfunction()
