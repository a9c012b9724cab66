// SPDX-License-Identifier: Apache-2.0
#include "demo_archive.h"

#include <filesystem>
#include <vector>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include "custos_runner.h"

namespace custos::testing {
namespace {

// The master copy, seeded at first use; "" when seeding failed.
const std::string& SeededMaster() {
  static TempDir master;
  static const std::string path = [] {
    const std::string data = master.File("data");
    const RunResult r = RunCustos({"demo", "seed", "--data", data});
    if (r.exit_code != 0) {
      ADD_FAILURE() << "custos demo seed failed: " << r.err;
      return std::string();
    }
    return data;
  }();
  return path;
}

struct Db {
  explicit Db(const std::string& data_dir) {
    if (sqlite3_open((data_dir + "/custos.db").c_str(), &db) != SQLITE_OK) {
      ADD_FAILURE() << "cannot open " << data_dir << "/custos.db";
    }
  }

  ~Db() { sqlite3_close(db); }

  Db(const Db&) = delete;
  Db& operator=(const Db&) = delete;

  sqlite3* db = nullptr;
};

}  // namespace

std::string CopyDemoData(const TempDir& dir) {
  const std::string& master = SeededMaster();
  const std::string copy = dir.File("data");
  if (master.empty()) {
    ADD_FAILURE() << "no demo data";
    return copy;
  }
  std::error_code ec;
  std::filesystem::copy(master, copy, std::filesystem::copy_options::recursive, ec);
  EXPECT_FALSE(ec) << "copying the demo data: " << ec.message();
  return copy;
}

std::int64_t QueryInt(const std::string& data_dir, const std::string& sql) {
  Db db(data_dir);
  sqlite3_stmt* stmt = nullptr;
  std::int64_t value = -1;
  if (sqlite3_prepare_v2(db.db, sql.c_str(), -1, &stmt, nullptr) == SQLITE_OK &&
      sqlite3_step(stmt) == SQLITE_ROW) {
    value = sqlite3_column_int64(stmt, 0);
  } else {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(db.db);
  }
  sqlite3_finalize(stmt);
  return value;
}

bool ExecSql(const std::string& data_dir, const std::string& sql) {
  Db db(data_dir);
  char* error = nullptr;
  const bool ok = sqlite3_exec(db.db, sql.c_str(), nullptr, nullptr, &error) == SQLITE_OK;
  EXPECT_TRUE(ok) << sql << ": " << (error != nullptr ? error : "");
  sqlite3_free(error);
  return ok;
}

bool FlipPayloadByte(const std::string& data_dir, std::int64_t record_id) {
  Db db(data_dir);
  sqlite3_stmt* read = nullptr;
  std::vector<unsigned char> payload;
  if (sqlite3_prepare_v2(db.db, "SELECT payload FROM records WHERE id = ?", -1, &read, nullptr) ==
      SQLITE_OK) {
    sqlite3_bind_int64(read, 1, record_id);
    if (sqlite3_step(read) == SQLITE_ROW) {
      const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(read, 0));
      payload.assign(bytes, bytes + sqlite3_column_bytes(read, 0));
    }
  }
  sqlite3_finalize(read);
  if (payload.empty()) {
    ADD_FAILURE() << "record " << record_id << " has no payload: " << sqlite3_errmsg(db.db);
    return false;
  }
  payload[payload.size() / 2] ^= 0x01;
  sqlite3_stmt* write = nullptr;
  bool ok = sqlite3_prepare_v2(db.db, "UPDATE records SET payload = ? WHERE id = ?", -1, &write,
                               nullptr) == SQLITE_OK;
  if (ok) {
    sqlite3_bind_blob(write, 1, payload.data(), static_cast<int>(payload.size()),
                      nullptr);  // SQLITE_STATIC: payload outlives the statement
    sqlite3_bind_int64(write, 2, record_id);
    ok = sqlite3_step(write) == SQLITE_DONE && sqlite3_changes(db.db) == 1;
  }
  sqlite3_finalize(write);
  EXPECT_TRUE(ok) << "cannot rewrite record " << record_id << ": " << sqlite3_errmsg(db.db);
  return ok;
}

}  // namespace custos::testing
