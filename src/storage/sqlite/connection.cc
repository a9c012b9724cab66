// SPDX-License-Identifier: Apache-2.0
#include "storage/sqlite/connection.h"

#include <cctype>
#include <climits>
#include <utility>

namespace custos::storage::internal {
namespace {

// How much of a statement an error message repeats; enough to recognise it, and never the
// bound values, which may be secrets.
constexpr std::size_t kSqlSnippetChars = 40;

// Statements beyond this many are prepared per use instead of cached, so that callers
// building SQL text dynamically cannot grow the cache without bound.
constexpr std::size_t kMaxCachedStatements = 256;

// The first words of `sql` with runs of whitespace folded to one space.
std::string Snippet(std::string_view sql) {
  std::string out;
  bool pending_space = false;
  for (char c : sql) {
    if (std::isspace(static_cast<unsigned char>(c)) != 0) {
      pending_space = !out.empty();
      continue;
    }
    if (out.size() >= kSqlSnippetChars) {
      out += "...";
      break;
    }
    if (pending_space) {
      out += ' ';
      pending_space = false;
    }
    out += c;
  }
  return out;
}

// True when `tail` holds nothing but whitespace and semicolons.
bool IsBlankTail(const char* tail, const char* end) {
  for (const char* p = tail; p < end; ++p) {
    if (std::isspace(static_cast<unsigned char>(*p)) == 0 && *p != ';') {
      return false;
    }
  }
  return true;
}

Value ReadColumn(sqlite3_stmt* stmt, int col) {
  switch (sqlite3_column_type(stmt, col)) {
    case SQLITE_INTEGER:
      return std::int64_t{sqlite3_column_int64(stmt, col)};
    case SQLITE_FLOAT:
      return sqlite3_column_double(stmt, col);
    case SQLITE_TEXT: {
      const unsigned char* text = sqlite3_column_text(stmt, col);
      const int size = sqlite3_column_bytes(stmt, col);
      if (text == nullptr) {
        return std::string();
      }
      return std::string(reinterpret_cast<const char*>(text), static_cast<std::size_t>(size));
    }
    case SQLITE_BLOB: {
      const void* data = sqlite3_column_blob(stmt, col);
      const int size = sqlite3_column_bytes(stmt, col);
      if (data == nullptr) {
        return Blob{};
      }
      return Blob{std::string(static_cast<const char*>(data), static_cast<std::size_t>(size))};
    }
    default:
      return std::monostate{};
  }
}

}  // namespace

// A prepared statement borrowed for one call: reset and unbound (cached) or finalized
// (uncached) when the lease ends.
class Connection::Lease {
 public:
  Lease(sqlite3_stmt* stmt, CachedStatement* cached) : stmt_(stmt), cached_(cached) {}

  Lease(Lease&& other) noexcept
      : stmt_(std::exchange(other.stmt_, nullptr)),
        cached_(std::exchange(other.cached_, nullptr)) {}

  Lease& operator=(Lease&&) = delete;
  Lease(const Lease&) = delete;
  Lease& operator=(const Lease&) = delete;

  ~Lease() {
    if (stmt_ == nullptr) {
      return;
    }
    if (cached_ == nullptr) {
      sqlite3_finalize(stmt_);
      return;
    }
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
    cached_->in_use = false;
  }

  sqlite3_stmt* get() const { return stmt_; }

 private:
  sqlite3_stmt* stmt_;
  CachedStatement* cached_;
};

core::Status SqliteError(int rc, std::string_view detail, std::string_view sql,
                         std::string_view path) {
  std::string message(detail);
  if (!sql.empty()) {
    message += " (in \"" + Snippet(sql) + "\")";
  }
  switch (rc) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      return core::AlreadyExists(std::move(message));
    default:
      break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT:
      return core::InvalidArgument(std::move(message));
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return core::Unavailable("database busy: " + message);
    case SQLITE_CANTOPEN:
      return core::Unavailable("cannot open " + std::string(path) + ": " + message);
    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      return core::DataLoss(std::string(path) + " is not a valid database: " + message);
    case SQLITE_FULL:
      return core::ResourceExhausted(message);
    case SQLITE_READONLY:
      return core::FailedPrecondition(message);
    default:
      return core::Internal("sqlite: " + message);
  }
}

core::Result<std::unique_ptr<Connection>> Connection::Open(const std::string& path,
                                                           ConnectionRole role, bool create,
                                                           int busy_timeout_ms) {
  int flags = SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE;
  if (role == ConnectionRole::kReadOnly) {
    flags |= SQLITE_OPEN_READONLY;
  } else {
    flags |= SQLITE_OPEN_READWRITE;
    if (create) {
      flags |= SQLITE_OPEN_CREATE;
    }
  }
  sqlite3* db = nullptr;
  const int rc = sqlite3_open_v2(path.c_str(), &db, flags, nullptr);
  if (rc != SQLITE_OK) {
    core::Status status =
        SqliteError(rc, db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc), "", path);
    sqlite3_close_v2(db);
    return status;
  }
  std::unique_ptr<Connection> conn(new Connection(db, path));
  sqlite3_extended_result_codes(db, 1);
  sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  conn->SetBusyTimeout(busy_timeout_ms);
  std::string pragmas = "PRAGMA foreign_keys = ON; PRAGMA synchronous = FULL;";
  if (role == ConnectionRole::kReader) {
    pragmas += " PRAGMA query_only = ON;";
  }
  if (role == ConnectionRole::kWriter) {
    // Deleted content (crypto-shredded ciphertext) is overwritten, not left in free pages.
    pragmas += " PRAGMA secure_delete = ON;";
  }
  RETURN_IF_ERROR(conn->ExecScript(pragmas));
  return conn;
}

Connection::~Connection() {
  for (auto& [sql, cached] : cache_) {
    sqlite3_finalize(cached.stmt);
  }
  sqlite3_close_v2(db_);
}

void Connection::SetBusyTimeout(int ms) { sqlite3_busy_timeout(db_, ms); }

bool Connection::InTransaction() const { return sqlite3_get_autocommit(db_) == 0; }

core::Status Connection::Error(int rc, std::string_view sql) const {
  return SqliteError(rc, sqlite3_errmsg(db_), sql, path_);
}

core::Status Connection::ExecScript(std::string_view sql) {
  const std::string text(sql);
  char* errmsg = nullptr;
  const int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &errmsg);
  if (rc == SQLITE_OK) {
    return core::Status::Ok();
  }
  core::Status status =
      SqliteError(rc, errmsg != nullptr ? errmsg : sqlite3_errstr(rc), sql, path_);
  sqlite3_free(errmsg);
  return status;
}

core::Result<Connection::Lease> Connection::Acquire(std::string_view sql) {
  auto it = cache_.find(sql);
  if (it != cache_.end() && !it->second.in_use) {
    it->second.in_use = true;
    return Lease(it->second.stmt, &it->second);
  }
  if (sql.size() > static_cast<std::size_t>(INT_MAX)) {
    return core::InvalidArgument("statement too long");
  }
  const bool cache = it == cache_.end() && cache_.size() < kMaxCachedStatements;
  sqlite3_stmt* stmt = nullptr;
  const char* tail = nullptr;
  const int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()),
                                    cache ? SQLITE_PREPARE_PERSISTENT : 0, &stmt, &tail);
  if (rc != SQLITE_OK) {
    return Error(rc, sql);
  }
  if (stmt == nullptr) {
    return core::InvalidArgument("empty statement");
  }
  if (!IsBlankTail(tail, sql.data() + sql.size())) {
    sqlite3_finalize(stmt);
    return core::InvalidArgument("more than one statement in \"" + Snippet(sql) + "\"");
  }
  if (!cache) {
    return Lease(stmt, nullptr);
  }
  auto [inserted, unused] = cache_.emplace(std::string(sql), CachedStatement{stmt, true});
  return Lease(stmt, &inserted->second);
}

core::Status Connection::Bind(sqlite3_stmt* stmt, std::string_view sql,
                              const std::vector<Value>& params) {
  const int expected = sqlite3_bind_parameter_count(stmt);
  if (static_cast<std::size_t>(expected) != params.size()) {
    return core::InvalidArgument("statement \"" + Snippet(sql) + "\" takes " +
                                 std::to_string(expected) + " parameters, got " +
                                 std::to_string(params.size()));
  }
  for (int i = 0; i < expected; ++i) {
    const Value& value = params[static_cast<std::size_t>(i)];
    const int index = i + 1;
    int rc = SQLITE_OK;
    if (const auto* n = std::get_if<std::int64_t>(&value)) {
      rc = sqlite3_bind_int64(stmt, index, *n);
    } else if (const auto* d = std::get_if<double>(&value)) {
      rc = sqlite3_bind_double(stmt, index, *d);
    } else if (const auto* s = std::get_if<std::string>(&value)) {
      // SQLITE_STATIC: `params` outlives the statement's use; bindings are cleared after it.
      rc = sqlite3_bind_text64(stmt, index, s->data(), s->size(), SQLITE_STATIC, SQLITE_UTF8);
    } else if (const auto* b = std::get_if<Blob>(&value)) {
      rc = sqlite3_bind_blob64(stmt, index, b->bytes.data(), b->bytes.size(), SQLITE_STATIC);
    } else {
      rc = sqlite3_bind_null(stmt, index);
    }
    if (rc != SQLITE_OK) {
      return Error(rc, sql);
    }
  }
  return core::Status::Ok();
}

core::Status Connection::Execute(std::string_view sql, const std::vector<Value>& params) {
  return QueryEach(sql, params, [](const Row&) { return true; });
}

core::Status Connection::QueryEach(std::string_view sql, const std::vector<Value>& params,
                                   const std::function<bool(const Row&)>& fn) {
  ASSIGN_OR_RETURN(Lease lease, Acquire(sql));
  sqlite3_stmt* stmt = lease.get();
  RETURN_IF_ERROR(Bind(stmt, sql, params));
  const int columns = sqlite3_column_count(stmt);
  while (true) {
    const int rc = sqlite3_step(stmt);
    if (rc == SQLITE_DONE) {
      return core::Status::Ok();
    }
    if (rc != SQLITE_ROW) {
      return Error(rc, sql);
    }
    std::vector<Value> values;
    values.reserve(static_cast<std::size_t>(columns));
    for (int col = 0; col < columns; ++col) {
      values.push_back(ReadColumn(stmt, col));
    }
    if (!fn(Row(std::move(values)))) {
      return core::Status::Ok();
    }
  }
}

}  // namespace custos::storage::internal
