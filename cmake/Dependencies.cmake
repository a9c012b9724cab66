# SPDX-License-Identifier: Apache-2.0
# Every third-party dependency, found from Debian bookworm packages (tools/install-deps.sh).
# Nothing is downloaded at configure or build time.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(OpenSSL 3 REQUIRED)
find_package(SQLite3 REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 REQUIRED)
find_package(fmt REQUIRED)
find_package(spdlog REQUIRED)
pkg_check_modules(HTTPLIB REQUIRED IMPORTED_TARGET cpp-httplib)
# Boost.Beast/Asio (header-only; libboost-dev) for the HTTP transport, src/http/transport/ only.
find_package(Boost 1.74 REQUIRED)
if(CUSTOS_BUILD_TESTS)
  find_package(GTest REQUIRED)
  include(GoogleTest)
endif()
if(CUSTOS_BUILD_BENCH)
  find_package(benchmark REQUIRED)
endif()
