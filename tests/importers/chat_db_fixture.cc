// SPDX-License-Identifier: Apache-2.0
#include "importers/chat_db_fixture.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>
#include <sqlite3.h>

namespace custos::importers {

namespace fs = std::filesystem;

std::string TypedStream(const std::string& text) {
  static constexpr char kHead[] =
      "\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString"
      "\x00\x84\x84\x08NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+";
  std::string blob(kHead, sizeof(kHead) - 1);
  if (text.size() < 0x80) {
    blob.push_back(static_cast<char>(text.size()));
  } else {
    blob.push_back('\x81');
    blob.push_back(static_cast<char>(text.size() & 0xFF));
    blob.push_back(static_cast<char>(text.size() >> 8));
  }
  return blob + text + "\x86\x84\x02iI\x01\x05\x92\x84\x84\x84\x0cNSDictionary\x00\x94";
}

void Exec(sqlite3* db, const std::string& sql) {
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  EXPECT_EQ(rc, SQLITE_OK) << (err != nullptr ? err : "");
  sqlite3_free(err);
}

std::string IMessageFixture(const std::string& name) {
  const char* env = std::getenv("CUSTOS_SOURCE_DIR");
  const fs::path root =
      env != nullptr && *env != '\0' ? fs::path(env) : fs::path(CUSTOS_DEFAULT_SOURCE_DIR);
  return (root / "tests" / "data" / "importers" / "imessage" / name).string();
}

std::string BuildChatDb(const custos::testing::TempDir& dir) {
  std::ifstream in(IMessageFixture("chat.sql"), std::ios::binary);
  EXPECT_TRUE(in.good()) << "cannot read " << IMessageFixture("chat.sql");
  std::stringstream sql;
  sql << in.rdbuf();
  const std::string path = dir.File("chat.db");
  sqlite3* db = nullptr;
  EXPECT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  Exec(db, sql.str());
  sqlite3_close(db);
  fs::copy(IMessageFixture("Attachments"), dir.File("Attachments"),
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  return path;
}

}  // namespace custos::importers
