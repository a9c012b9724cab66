// SPDX-License-Identifier: Apache-2.0
#include "storage/foreign_sqlite.h"

#include <filesystem>

#include <sqlite3.h>

#include "storage/sqlite/connection.h"

namespace custos::storage {
namespace {

std::string PercentEncodePath(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (c == '%' || c == '?' || c == '#' || c < 0x20) {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    } else {
      out += static_cast<char>(c);
    }
  }
  return out;
}

class ForeignSqliteImpl final : public ForeignSqlite {
 public:
  ForeignSqliteImpl(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  ~ForeignSqliteImpl() override { sqlite3_close_v2(db_); }

  core::Status QueryEach(std::string_view sql, const std::vector<Value>& params,
                         const std::function<bool(const Row&)>& fn) override {
    sqlite3_stmt* stmt = nullptr;
    int rc = sqlite3_prepare_v2(db_, sql.data(), static_cast<int>(sql.size()), &stmt, nullptr);
    if (rc != SQLITE_OK) {
      return internal::SqliteError(rc, sqlite3_errmsg(db_), sql, path_);
    }
    for (std::size_t i = 0; i < params.size() && rc == SQLITE_OK; ++i) {
      const int at = static_cast<int>(i) + 1;
      if (const auto* n = std::get_if<std::int64_t>(&params[i])) {
        rc = sqlite3_bind_int64(stmt, at, *n);
      } else if (const auto* s = std::get_if<std::string>(&params[i])) {
        rc = sqlite3_bind_text(stmt, at, s->data(), static_cast<int>(s->size()), SQLITE_TRANSIENT);
      } else {
        rc = sqlite3_bind_null(stmt, at);
      }
    }
    while (rc == SQLITE_OK || rc == SQLITE_ROW) {
      rc = sqlite3_step(stmt);
      if (rc != SQLITE_ROW) {
        break;
      }
      std::vector<Value> values;
      const int n = sqlite3_column_count(stmt);
      for (int c = 0; c < n; ++c) {
        switch (sqlite3_column_type(stmt, c)) {
          case SQLITE_INTEGER:
            values.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
            break;
          case SQLITE_FLOAT:
            values.emplace_back(sqlite3_column_double(stmt, c));
            break;
          case SQLITE_TEXT:
            values.emplace_back(
                std::string(reinterpret_cast<const char*>(sqlite3_column_text(stmt, c)),
                            static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
            break;
          case SQLITE_BLOB: {
            const auto* p = static_cast<const char*>(sqlite3_column_blob(stmt, c));
            values.emplace_back(Blob{std::string(p, p + sqlite3_column_bytes(stmt, c))});
            break;
          }
          default:
            values.emplace_back(std::monostate{});
        }
      }
      if (!fn(Row(std::move(values)))) {
        rc = SQLITE_DONE;
        break;
      }
    }
    core::Status status = rc == SQLITE_DONE
                              ? core::Status::Ok()
                              : internal::SqliteError(rc, sqlite3_errmsg(db_), sql, path_);
    sqlite3_finalize(stmt);
    return status;
  }

  core::Result<std::vector<std::string>> Columns(std::string_view table) override {
    std::vector<std::string> out;
    RETURN_IF_ERROR(QueryEach("SELECT name FROM pragma_table_info(?)", {std::string(table)},
                              [&](const Row& row) {
                                out.push_back(row.Text(0));
                                return true;
                              }));
    return out;
  }

 private:
  sqlite3* db_;
  std::string path_;
};

}  // namespace

core::Result<std::unique_ptr<ForeignSqlite>> OpenForeignSqlite(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    return core::NotFound(path + ": no such file");
  }
  const std::string uri = "file:" + PercentEncodePath(path) + "?mode=ro&immutable=1";
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(
      uri.c_str(), &db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    core::Status status = internal::SqliteError(
        rc, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc), "", path);
    sqlite3_close_v2(db);
    return status;
  }
  auto file = std::make_unique<ForeignSqliteImpl>(db, path);
  // Reading the schema is what fails on a file that is not a database.
  core::Status probe =
      file->QueryEach("SELECT count(*) FROM sqlite_master", {}, [](const Row&) { return false; });
  if (!probe.ok()) {
    return core::DataLoss(path + ": not a SQLite database (" + probe.message() + ")");
  }
  return std::unique_ptr<ForeignSqlite>(std::move(file));
}

}  // namespace custos::storage
