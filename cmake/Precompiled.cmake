# SPDX-License-Identifier: Apache-2.0
# Precompiled headers for the heavy third-party headers (CUSTOS_PCH, default ON): each custos
# module and test target with at least CUSTOS_PCH_MIN_SOURCES sources precompiles, once, the
# standard headers every file uses plus the third-party headers of the libraries it links
# directly (nlohmann/json, cpp-httplib, CLI11; spdlog for every module, since core/log.h
# brings it to all of them; gtest/gmock for tests). A library a target does not link is never
# in its precompiled header, so the module table (tools/module_deps.txt) still holds.
# Figures: docs/performance.md, "Build time".
#
# With ccache, a precompiled header defeats the cache unless ccache is told to accept it:
#   ccache --set-config sloppiness=pch_defines,time_macros,include_file_mtime,include_file_ctime
# (or CCACHE_SLOPPINESS=... in the environment). Without it, configure with -DCUSTOS_PCH=OFF.
option(CUSTOS_PCH "Precompile heavy third-party headers (nlohmann/json, httplib, spdlog, CLI11, gtest)" ON)
set(CUSTOS_PCH_MIN_SOURCES 3 CACHE STRING "Targets with fewer sources get no precompiled header")

set(CUSTOS_PCH_STD <algorithm> <cstdint> <functional> <map> <memory> <optional> <string>
    <string_view> <utility> <vector>)

# custos_precompile(TARGET KIND DEPS...): KIND is MODULE or TEST; DEPS the target's direct deps.
function(custos_precompile target kind)
  if(NOT CUSTOS_PCH)
    return()
  endif()
  get_target_property(sources ${target} SOURCES)
  list(FILTER sources INCLUDE REGEX "\\.cc$")
  list(LENGTH sources count)
  if(count LESS CUSTOS_PCH_MIN_SOURCES)
    return()
  endif()
  set(headers ${CUSTOS_PCH_STD} <spdlog/spdlog.h>)
  if("nlohmann_json::nlohmann_json" IN_LIST ARGN)
    list(APPEND headers <nlohmann/json.hpp>)
  endif()
  if("PkgConfig::HTTPLIB" IN_LIST ARGN)
    list(APPEND headers <httplib.h>)
  endif()
  if("CLI11::CLI11" IN_LIST ARGN)
    list(APPEND headers <CLI/CLI.hpp>)
  endif()
  if(kind STREQUAL "TEST")
    list(APPEND headers <gtest/gtest.h> <gmock/gmock.h>)
  endif()
  target_precompile_headers(${target} PRIVATE ${headers})
endfunction()
