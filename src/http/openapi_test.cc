// SPDX-License-Identifier: Apache-2.0
// Every route the server registers is described in docs/api/openapi.yaml.
#include <cstdlib>
#include <fstream>
#include <regex>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "http/server.h"

namespace custos::http {
namespace {

// "METHOD /path" for every operation under `paths:` (two-space path keys, four-space methods).
std::set<std::string> DocumentedOperations(std::istream& in) {
  static const std::regex kPath(R"(^  (/[^:\s]*):\s*$)");
  static const std::regex kMethod(R"(^    (get|post|put|patch|delete|head|options):\s*$)");
  std::set<std::string> ops;
  bool in_paths = false;
  std::string path;
  std::string line;
  std::smatch m;
  while (std::getline(in, line)) {
    if (!line.empty() && line[0] != ' ' && line[0] != '#') {
      in_paths = line.rfind("paths:", 0) == 0;
      continue;
    }
    if (!in_paths) {
      continue;
    }
    if (std::regex_match(line, m, kPath)) {
      path = m[1].str();
    } else if (!path.empty() && std::regex_match(line, m, kMethod)) {
      std::string method = m[1].str();
      for (char& c : method) {
        c = static_cast<char>(c - 'a' + 'A');
      }
      ops.insert(method + " " + path);
    }
  }
  return ops;
}

// $CUSTOS_SOURCE_DIR, else the source tree this test was built from.
std::string SourceDir() {
  const char* dir = std::getenv("CUSTOS_SOURCE_DIR");  // NOLINT(concurrency-mt-unsafe)
  return dir != nullptr && dir[0] != '\0' ? dir : CUSTOS_SOURCE_DIR_AT_BUILD;
}

TEST(OpenApi, DescribesEveryRegisteredRoute) {
  std::ifstream in(SourceDir() + "/docs/api/openapi.yaml");
  ASSERT_TRUE(in.good()) << "cannot open docs/api/openapi.yaml";
  const std::set<std::string> documented = DocumentedOperations(in);
  for (const std::string& pattern : Server::RoutePatterns()) {
    EXPECT_TRUE(documented.count(pattern)) << pattern << " is not in docs/api/openapi.yaml";
  }
}

TEST(OpenApi, DocumentsNoRouteTheServerLacks) {
  std::ifstream in(SourceDir() + "/docs/api/openapi.yaml");
  ASSERT_TRUE(in.good()) << "cannot open docs/api/openapi.yaml";
  const auto routes = Server::RoutePatterns();
  const std::set<std::string> registered(routes.begin(), routes.end());
  for (const std::string& op : DocumentedOperations(in)) {
    EXPECT_TRUE(registered.count(op)) << op << " is documented but not registered";
  }
}

}  // namespace
}  // namespace custos::http
