# SPDX-License-Identifier: Apache-2.0
# custos_module(NAME SRCS ... DEPS ...): one static library per module under src/<module>/.
# custos_test(NAME SRCS ... DEPS ... [LABELS ...] [SERIAL]): one GoogleTest executable, discovered
# by CTest; SERIAL tests never run beside another test (timing-sensitive suites).
function(custos_module name)
  cmake_parse_arguments(ARG "" "" "SRCS;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(custos_${name} STATIC ${ARG_SRCS})
  target_include_directories(custos_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_compile_options(custos_${name} PRIVATE ${CUSTOS_WARNINGS})
  target_link_libraries(custos_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  custos_precompile(custos_${name} MODULE ${ARG_DEPS} ${ARG_PRIVATE_DEPS})
endfunction()

function(custos_test name)
  cmake_parse_arguments(ARG "SERIAL" "" "SRCS;DEPS;LABELS" ${ARGN})
  if(NOT CUSTOS_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SRCS})
  target_compile_options(${name} PRIVATE ${CUSTOS_WARNINGS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  custos_precompile(${name} TEST ${ARG_DEPS})
  if(NOT ARG_LABELS)
    set(ARG_LABELS unit)
  endif()
  # Tests that open a data directory install the assembled default policy pack. Tests that run
  # the binary say so with add_dependencies(<test> custos): CUSTOS_BIN is a plain path (not
  # $<TARGET_FILE:custos>, which would make every test wait for the whole binary).
  if(TARGET custos_default_pack)
    add_dependencies(${name} custos_default_pack)
  endif()
  gtest_discover_tests(${name}
    PROPERTIES LABELS "${ARG_LABELS}" RUN_SERIAL ${ARG_SERIAL}
               ENVIRONMENT "CUSTOS_BIN=${CMAKE_BINARY_DIR}/src/main/custos"
               ENVIRONMENT_MODIFICATION "CUSTOS_SOURCE_DIR=set:${PROJECT_SOURCE_DIR}"
    DISCOVERY_TIMEOUT 60)
endfunction()
# custos_embed_assets(): files embedded in the binary (http::StaticAssets).
include(EmbedAssets)
# custos_embed_text(): one file embedded as a std::string_view (e.g. auth's password list).
include(EmbedText)
