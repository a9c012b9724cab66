// SPDX-License-Identifier: Apache-2.0
// libFuzzer: the slack importer on arbitrary bytes as one channel's day file
// (general/2026-01-01.json) of a workspace export whose users.json and channels.json are fixed
// (fuzz/README.md).
#include <filesystem>

#include "fuzz/import_fuzz.h"

namespace {

const std::string& Workspace() {
  static const std::string dir = [] {
    const std::string root = custos::fuzz::WorkDir() + "/slack";
    std::filesystem::create_directories(root + "/general");
    const std::string users =
        R"([{"id":"U01ALICE","name":"alice","profile":{"email":"alice@example.com"}},)"
        R"({"id":"U02BOB","name":"bob","profile":{"real_name":"Bob"}}])";
    const std::string channels =
        R"([{"id":"C01GENERAL","name":"general","members":["U01ALICE","U02BOB"]}])";
    custos::fuzz::WriteFile(root + "/users.json",
                            reinterpret_cast<const std::uint8_t*>(users.data()), users.size());
    custos::fuzz::WriteFile(root + "/channels.json",
                            reinterpret_cast<const std::uint8_t*>(channels.data()),
                            channels.size());
    return root;
  }();
  return dir;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  custos::fuzz::WriteFile(Workspace() + "/general/2026-01-01.json", data, size);
  custos::fuzz::DrainImport("slack", Workspace());
  return 0;
}
