# SPDX-License-Identifier: Apache-2.0
# Warnings for custos' own targets only (STYLE.md B7); never applied to third-party code.
set(CUSTOS_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual -Wcast-align
  -Wnull-dereference -Wextra-semi -Wimplicit-fallthrough -Wold-style-cast -Wformat=2
  -Wmissing-declarations)
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  list(APPEND CUSTOS_WARNINGS -Wduplicated-cond -Wlogical-op -Wuseless-cast)
elseif(CMAKE_CXX_COMPILER_ID MATCHES "Clang")
  list(APPEND CUSTOS_WARNINGS -Wthread-safety)
endif()
if(CUSTOS_WERROR)
  list(APPEND CUSTOS_WARNINGS -Werror)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false "potential null pointer dereference" inside libstdc++ at -O2 (e.g.
    # std::istreambuf_iterator); keep the warning visible but not fatal.
    list(APPEND CUSTOS_WARNINGS -Wno-error=null-dereference)
  endif()
endif()
