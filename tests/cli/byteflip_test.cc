// SPDX-License-Identifier: Apache-2.0
// Byte flips over a whole data directory (docs/crash-safety.md, "Byte flips"): an archive is
// built through the CLI (messages with policy hits, attachments, an edit, holds, a release and
// a retention disposal), then one byte at a time of one of its files (custos.db, the key ring,
// the log's signing key, the log head, the policy pack files) is XORed with a random non-zero
// mask in a fresh copy, and for every flip `custos verify` must either fail (a non-zero exit,
// not a crash) or the flip must provably change nothing: the logical content of the directory
// (every table of custos.db row by row through the SQLite C API, the search index as its
// (term, message, position) entries, the schema and user_version; every other file byte for
// byte) equals the original's.
//
// The default run tries CUSTOS_BYTEFLIP_FLIPS flips (compiled in; 300), the `slow` build of
// this file many more. CUSTOS_BYTEFLIP_FLIPS and CUSTOS_BYTEFLIP_SEED in the environment
// override the count and the seed.
#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include "custos_runner.h"
#include "testing/temp_dir.h"

#ifndef CUSTOS_BYTEFLIP_FLIPS
#define CUSTOS_BYTEFLIP_FLIPS 300
#endif
#ifndef CUSTOS_BYTEFLIP_SUITE
#define CUSTOS_BYTEFLIP_SUITE ByteFlips
#endif

namespace custos::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string Hex(const void* data, int n) {
  static const char* kDigits = "0123456789abcdef";
  std::string out;
  const auto* p = static_cast<const unsigned char*>(data);
  for (int i = 0; i < n; ++i) {
    out.push_back(kDigits[p[i] >> 4]);
    out.push_back(kDigits[p[i] & 15]);
  }
  return out;
}

// The rows of `sql` on `db`, each as a typed text line, in order; false on any error.
bool Rows(sqlite3* db, const std::string& sql, std::vector<std::string>* out) {
  sqlite3_stmt* stmt = nullptr;
  if (sqlite3_prepare_v2(db, sql.c_str(), -1, &stmt, nullptr) != SQLITE_OK) {
    return false;
  }
  int rc = SQLITE_OK;
  while ((rc = sqlite3_step(stmt)) == SQLITE_ROW) {
    std::string row;
    for (int c = 0; c < sqlite3_column_count(stmt); ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_NULL:
          row += "N|";
          break;
        case SQLITE_INTEGER:
          row += "I" + std::to_string(sqlite3_column_int64(stmt, c)) + "|";
          break;
        case SQLITE_FLOAT: {
          char buf[40];
          std::snprintf(buf, sizeof buf, "F%.17g|", sqlite3_column_double(stmt, c));
          row += buf;
          break;
        }
        case SQLITE_TEXT:
          row += "T" + Hex(sqlite3_column_text(stmt, c), sqlite3_column_bytes(stmt, c)) + "|";
          break;
        default:
          row += "B" + Hex(sqlite3_column_blob(stmt, c), sqlite3_column_bytes(stmt, c)) + "|";
      }
    }
    out->push_back(std::move(row));
  }
  sqlite3_finalize(stmt);
  return rc == SQLITE_DONE;
}

// The logical content of a custos.db (see the file comment); "ERROR: ..." when it cannot be
// read, which never equals a readable database's dump.
std::string DumpDatabase(const std::string& path) {
  sqlite3* db = nullptr;
  if (sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) != SQLITE_OK) {
    const std::string error = db != nullptr ? sqlite3_errmsg(db) : "cannot open";
    sqlite3_close(db);
    return "ERROR: " + error;
  }
  std::string dump;
  auto fail = [&](const std::string& what) {
    const std::string error = "ERROR: " + what + ": " + sqlite3_errmsg(db);
    sqlite3_close(db);
    return error;
  };
  std::vector<std::string> lines;
  if (!Rows(db, "PRAGMA user_version", &lines) ||
      !Rows(db, "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name",
            &lines)) {
    return fail("schema");
  }
  for (const std::string& line : lines) {
    dump += line + "\n";
  }
  sqlite3_stmt* names = nullptr;
  std::vector<std::string> table_names;
  sqlite3_prepare_v2(db,
                     "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE "
                     "'sqlite_%' AND name NOT LIKE 'message_index_%' AND sql NOT LIKE "
                     "'CREATE VIRTUAL%' ORDER BY name",
                     -1, &names, nullptr);
  while (names != nullptr && sqlite3_step(names) == SQLITE_ROW) {
    table_names.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(names, 0)));
  }
  sqlite3_finalize(names);
  for (const std::string& table : table_names) {
    std::vector<std::string> rows;
    // Scanned through the table itself (NOT INDEXED), so the dump is the table's content.
    // Two operational timestamps are left out, as docs/crash-safety.md says: when a migration
    // was applied and when a checkpoint row was written (the signed note carries no time).
    std::string select = "SELECT * FROM \"" + table + "\" NOT INDEXED";
    if (table == "schema_migrations") {
      select = "SELECT version, name FROM schema_migrations NOT INDEXED";
    } else if (table == "checkpoints") {
      select = "SELECT tree_size, root_hash, note FROM checkpoints NOT INDEXED";
    }
    if (!Rows(db, select, &rows)) {
      return fail(table);
    }
    std::sort(rows.begin(), rows.end());
    dump += "table " + table + " " + std::to_string(rows.size()) + "\n";
    for (const std::string& r : rows) {
      dump += r + "\n";
    }
  }
  // The search index: what it holds, (term, message, column, position), not its b-tree bytes.
  std::vector<std::string> entries;
  char* error = nullptr;
  if (sqlite3_exec(db,
                   "CREATE VIRTUAL TABLE temp.flip_vocab USING fts5vocab(main, message_index, "
                   "instance)",
                   nullptr, nullptr, &error) != SQLITE_OK ||
      !Rows(db, "SELECT term, doc, col, offset FROM temp.flip_vocab", &entries)) {
    sqlite3_free(error);
    return fail("message_index");
  }
  std::sort(entries.begin(), entries.end());
  dump += "message_index " + std::to_string(entries.size()) + "\n";
  for (const std::string& e : entries) {
    dump += e + "\n";
  }
  sqlite3_close(db);
  return dump;
}

std::string ReadBytes(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

// The logical content of the data directory `dir`, file by file.
std::map<std::string, std::string> DumpDirectory(const fs::path& dir) {
  std::map<std::string, std::string> out;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir)) {
    const std::string name = fs::relative(e.path(), dir).string();
    if (e.is_symlink()) {
      out[name] = "-> " + fs::read_symlink(e.path()).string();
    } else if (e.is_regular_file()) {
      out[name] = name == "custos.db" ? DumpDatabase(e.path().string()) : ReadBytes(e.path());
    }
  }
  return out;
}

struct Flip {
  std::string file;
  std::uint64_t offset = 0;
  unsigned char mask = 0;
};

std::string Describe(const Flip& f) {
  char buf[64];
  std::snprintf(buf, sizeof buf, " @%llu ^0x%02x", static_cast<unsigned long long>(f.offset),
                f.mask);
  return f.file + buf;
}

void ApplyFlip(const fs::path& dir, const Flip& f) {
  std::fstream io(dir / f.file, std::ios::binary | std::ios::in | std::ios::out);
  io.seekg(static_cast<std::streamoff>(f.offset));
  char c = 0;
  io.get(c);
  c = static_cast<char>(static_cast<unsigned char>(c) ^ f.mask);
  io.seekp(static_cast<std::streamoff>(f.offset));
  io.put(c);
}

std::string Attachment(const std::string& name, const std::string& content_base64) {
  return R"({"name":")" + name + R"(","mime":"application/pdf","content_base64":")" +
         content_base64 + R"("})";
}

// An archive with something in every table `custos verify` vouches for.
void BuildArchive(const TempDir& tmp, const std::string& data) {
  std::string lines;
  const char* senders[] = {"+447700900001", "anna@example.com", "+447700900002", "@ben"};
  const char* texts[] = {
      "I guarantee you will double your money by Friday",
      "let's move this to my personal whatsapp",
      "quarterly numbers attached",
      "lunch at noon?",
      "you are guaranteed a 20% return, no risk",
      "call me on my private phone instead",
  };
  for (int n = 1; n <= 36; ++n) {
    const std::string from = senders[n % 4];
    const std::string conversation = "conv-" + std::to_string(n % 5);
    char sent_at[32];
    std::snprintf(sent_at, sizeof sent_at, "2026-10-01T09:%02d:%02dZ", n / 60, n % 60);
    std::string attachments = "[]";
    if (n % 7 == 0) {
      attachments = "[" +
                    Attachment("report-" + std::to_string(n) + ".pdf",
                               n % 14 == 0 ? "JVBERi0xLjQKcmVwb3J0" : "JVBERi0xLjQKb3RoZXI=") +
                    "]";
    }
    lines += R"({"source":"flip","source_id":"m)" + std::to_string(n) + R"(","channel":")" +
             (n % 3 == 0 ? "whatsapp" : "sms") + R"(","conversation":")" + conversation +
             R"(","from":")" + from + R"(","to":["+447700900100",")" + senders[(n + 1) % 4] +
             R"("],"sent_at":")" + sent_at + R"(","direction":")" +
             (n % 2 == 0 ? "outbound" : "inbound") + R"(","text":")" + texts[n % 6] + " #" +
             std::to_string(n) + R"(","attachments":)" + attachments + "}\n";
  }
  lines += R"({"source":"flip","source_id":"e1","channel":"sms","conversation":"conv-1",)"
           R"("from":"+447700900001","to":["+447700900100"],"sent_at":"2026-10-01T10:00:00Z",)"
           R"("direction":"inbound","text":"edited: I guarantee a return","edited_of":"m1"})"
           "\n";
  // A message without a source id: its idempotency key is a fingerprint of its content.
  lines += R"({"source":"flip","channel":"sms","conversation":"conv-2","from":"+447700900002",)"
           R"("to":["+447700900100"],"sent_at":"2026-10-01T10:01:00Z","direction":"inbound",)"
           R"("text":"no id here"})"
           "\n";
  WriteFile(tmp.File("messages.jsonl"), lines);
  auto run = [&data](std::vector<std::string> args) {
    args.push_back("--data");
    args.push_back(data);
    const RunResult r = RunCustos(args);
    EXPECT_EQ(r.exit_code, 0) << args[0] << " " << args[1] << ": " << r.out << r.err;
  };
  run({"import", "jsonl", tmp.File("messages.jsonl")});
  run({"hold", "create", "--name", "matter 1", "--conversation", "conv-3"});
  run({"hold", "create", "--name", "matter 2", "--conversation", "conv-1"});
  run({"hold", "release", "2", "--reason", "closed"});
  WriteFile(data + "/custos.yaml", R"(retention:
  schedule: "off"
  classes:
    - name: whatsapp-1d
      period: 1d
      legal_basis: "test"
      channels: [whatsapp]
)");
  run({"retention", "run"});
  // Operator configuration, not archive state: `custos verify` does not read it.
  fs::remove(data + "/custos.yaml");
  run({"verify"});
}

std::uint64_t EnvOr(const char* name, std::uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr && *v != '\0' ? std::strtoull(v, nullptr, 10) : fallback;
}

TEST(CUSTOS_BYTEFLIP_SUITE, EveryFlipInTheDataDirectoryIsDetectedOrChangesNothing) {
  TempDir tmp;
  const std::string pristine = tmp.File("pristine");
  BuildArchive(tmp, pristine);
  ASSERT_FALSE(::testing::Test::HasFailure());
  const std::map<std::string, std::string> original = DumpDirectory(pristine);
  ASSERT_EQ(original.at("custos.db").rfind("ERROR", 0), std::string::npos)
      << original.at("custos.db");
  for (const char* table : {"messages", "verdicts", "holds", "dispositions", "attachments",
                            "message_attachments", "import_runs", "conversation_participants"}) {
    EXPECT_NE(original.at("custos.db").find(std::string("table ") + table + " "),
              std::string::npos);
    EXPECT_EQ(original.at("custos.db").find(std::string("table ") + table + " 0\n"),
              std::string::npos)
        << table << " is empty: the archive does not exercise it";
  }

  // The files flipped, with their sizes: custos.db gets two thirds of the flips.
  std::vector<std::pair<std::string, std::uint64_t>> others;
  std::uint64_t db_size = 0;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(pristine)) {
    if (!e.is_regular_file() || e.is_symlink()) {
      continue;
    }
    const std::string name = fs::relative(e.path(), pristine).string();
    if (name == "custos.db") {
      db_size = e.file_size();
    } else if (e.file_size() > 0) {
      others.emplace_back(name, e.file_size());
    }
  }
  ASSERT_GT(db_size, 0U);
  std::uint64_t others_size = 0;
  for (const auto& [name, size] : others) {
    others_size += size;
  }

  const std::uint64_t flips = EnvOr("CUSTOS_BYTEFLIP_FLIPS", CUSTOS_BYTEFLIP_FLIPS);
  const std::uint64_t seed = EnvOr("CUSTOS_BYTEFLIP_SEED", 20261207);
  std::mt19937_64 rng(seed);
  std::map<std::string, std::pair<int, int>> by_file;  // detected, unchanged
  std::vector<std::string> failures;
  const std::string work = tmp.File("work");
  for (std::uint64_t i = 0; i < flips; ++i) {
    Flip f;
    if (others.empty() || rng() % 3 != 0) {
      f.file = "custos.db";
      f.offset = rng() % db_size;
    } else {
      std::uint64_t at = rng() % others_size;
      for (const auto& [name, size] : others) {
        if (at < size) {
          f.file = name;
          f.offset = at;
          break;
        }
        at -= size;
      }
    }
    f.mask = static_cast<unsigned char>(1 + rng() % 255);
    fs::remove_all(work);
    fs::copy(pristine, work, fs::copy_options::recursive | fs::copy_options::copy_symlinks);
    ApplyFlip(work, f);
    const RunResult r = RunCustos({"verify", "--data", work});
    if (r.exit_code > 0) {
      ++by_file[f.file].first;
      continue;
    }
    if (r.exit_code < 0) {
      failures.push_back(Describe(f) + ": verify crashed\n" + r.err);
      continue;
    }
    const std::map<std::string, std::string> now = DumpDirectory(work);
    if (now == original) {
      ++by_file[f.file].second;
      continue;
    }
    std::string changed;
    for (const auto& [name, content] : now) {
      const auto it = original.find(name);
      if (it == original.end() || it->second != content) {
        changed += " " + name;
        if (name == "custos.db") {
          // The first line that differs, to say what changed.
          std::size_t a = 0;
          const std::string& o = it->second;
          while (a < o.size() && a < content.size() && o[a] == content[a]) {
            ++a;
          }
          const std::size_t line = o.rfind('\n', a);
          const std::size_t from = line == std::string::npos ? 0 : line + 1;
          const std::size_t table = o.rfind("\ntable ", from);
          const std::string table_line =
              table == std::string::npos ? ""
                                         : o.substr(table + 1, o.find('\n', table + 1) - table - 1);
          changed += " (" + table_line + ", was: " + o.substr(from, o.find('\n', from) - from) +
                     "; now: " + content.substr(from, content.find('\n', from) - from) + ")";
        }
      }
    }
    failures.push_back(Describe(f) + ": verify passed but the content changed:" + changed);
  }
  int detected = 0;
  int unchanged = 0;
  for (const auto& [file, counts] : by_file) {
    std::printf("byte flips: %-40s detected %4d, no change %4d\n", file.c_str(), counts.first,
                counts.second);
    detected += counts.first;
    unchanged += counts.second;
  }
  std::printf(
      "byte flips: %llu tried (seed %llu): %d detected, %d changed nothing, %zu "
      "undetected changes or crashes\n",
      static_cast<unsigned long long>(flips), static_cast<unsigned long long>(seed), detected,
      unchanged, failures.size());
  for (std::size_t k = 0; k < failures.size() && k < 20; ++k) {
    ADD_FAILURE() << failures[k];
  }
  EXPECT_TRUE(failures.empty()) << failures.size() << " flips went unnoticed";
}

}  // namespace
}  // namespace custos::testing
