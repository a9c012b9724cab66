# SPDX-License-Identifier: Apache-2.0
# custos_fuzz(NAME SRCS ... DEPS ... SEEDS <dir> [<dir> ...] [SECONDS n] [ARGS ...]): one libFuzzer
# target, built only in the `fuzz` preset (CUSTOS_FUZZ=ON, clang++; every library of the tree is
# then built with -fsanitize=fuzzer-no-link,address,undefined), plus a ctest `fuzz.NAME` (label
# `fuzz`) that runs it for SECONDS (default 30) over its seed corpora. New inputs found go to
# ${CMAKE_BINARY_DIR}/fuzz-corpus/NAME, never into the seed folders. See fuzz/README.md.
option(CUSTOS_FUZZ "Build the libFuzzer targets (fuzz preset; needs clang)" OFF)

if(CUSTOS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "CUSTOS_FUZZ needs clang++ (cmake --preset fuzz)")
  endif()
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer
                      -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

function(custos_fuzz name)
  cmake_parse_arguments(ARG "" "SECONDS" "SRCS;DEPS;SEEDS;ARGS" ${ARGN})
  if(NOT CUSTOS_FUZZ)
    return()
  endif()
  if(NOT ARG_SECONDS)
    set(ARG_SECONDS 30)
  endif()
  add_executable(${name} ${ARG_SRCS})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  set(corpus "${CMAKE_BINARY_DIR}/fuzz-corpus/${name}")
  file(MAKE_DIRECTORY "${corpus}")
  add_test(NAME fuzz.${name}
           COMMAND ${name} -max_total_time=${ARG_SECONDS} -timeout=25 -rss_limit_mb=4096
                   -print_final_stats=1 ${ARG_ARGS} "${corpus}" ${ARG_SEEDS})
  set_tests_properties(fuzz.${name} PROPERTIES LABELS fuzz TIMEOUT ${ARG_SECONDS}0)
endfunction()
