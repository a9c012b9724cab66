// SPDX-License-Identifier: Apache-2.0
// Import sources that are not plain, finished files (issue 13, items 31 and 32), through the
// real binary: a pipe or /dev/stdin imports what it gives and hashes those bytes; a file
// truncated while it is imported fails its run; a format import of a pipe is refused clearly; a
// zip bomb (small scale, low limits) and a zip whose header lies about an entry's size are
// refused; too little free disk space refuses an import; an attachment over 256 MiB is named
// in the summary and the run.
#include <chrono>
#include <csignal>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <openssl/sha.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

std::string Sha256Hex(const std::string& bytes) {
  unsigned char digest[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size(), digest);
  static const char* const kHex = "0123456789abcdef";
  std::string out;
  for (unsigned char b : digest) {
    out += kHex[b >> 4];
    out += kHex[b & 15];
  }
  return out;
}

nlohmann::json Runs(const std::string& data) {
  if (!std::filesystem::exists(data + "/custos.db")) {
    return nlohmann::json::array();
  }
  const RunResult r = RunCustos({"import", "runs", "--data", data, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  const nlohmann::json j = nlohmann::json::parse(r.out, nullptr, false);
  return j.is_object() ? j["runs"] : nlohmann::json::array();
}

std::string Lines(int from, int to) {
  std::string text;
  for (int i = from; i <= to; ++i) {
    text += MessageLine(i) + "\n";
  }
  return text;
}

// Writes `text` into the FIFO `path` from another thread (open blocks until a reader comes).
std::thread FeedFifo(const std::string& path, std::string text) {
  return std::thread([path, text = std::move(text)] {
    const int fd = ::open(path.c_str(), O_WRONLY);
    if (fd < 0) {
      return;
    }
    std::size_t done = 0;
    while (done < text.size()) {
      const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
      if (n <= 0) {
        break;
      }
      done += static_cast<std::size_t>(n);
    }
    ::close(fd);
  });
}

void WriteZip(const std::string& path, const std::string& name, const std::string& content) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  ASSERT_NE(zip, nullptr);
  zip_source_t* src = zip_source_buffer(zip, content.data(), content.size(), 0);
  ASSERT_NE(src, nullptr);
  ASSERT_GE(zip_file_add(zip, name.c_str(), src, ZIP_FL_ENC_UTF_8), 0);
  ASSERT_EQ(zip_close(zip), 0);
}

// A WhatsApp chat of `lines` lines, every one alike: compresses several hundred times.
std::string RepetitiveChat(int lines) {
  std::string chat;
  for (int i = 0; i < lines; ++i) {
    chat += "01/02/2024, 09:00 - Bob: the same line of chat, again and again\n";
  }
  return chat;
}

TEST(ImportSource, AFifoAndDevStdinImportEveryLineAndHashWhatWasRead) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string text = Lines(1, 50);
  const std::string fifo = dir.File("pipe");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);

  std::thread feeder = FeedFifo(fifo, text);
  RunResult r = RunCustos({"import", "jsonl", fifo, "--data", data});
  feeder.join();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 50, duplicates 0, rejected 0"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("source sha256 " + Sha256Hex(text)), std::string::npos) << r.out;

  const std::string more = Lines(51, 80);
  feeder = FeedFifo(fifo, more);
  r = RunCustos({"import", "jsonl", "/dev/stdin", "--data", data}, fifo);
  feeder.join();
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("imported 30, duplicates 0, rejected 0"), std::string::npos) << r.out;

  const nlohmann::json runs = Runs(data);
  ASSERT_EQ(runs.size(), 2u) << runs;
  EXPECT_EQ(runs[0]["status"], "completed");
  EXPECT_EQ(runs[0]["imported"], 50);
  EXPECT_EQ(runs[0]["source_sha256"], Sha256Hex(text));
  EXPECT_EQ(runs[1]["imported"], 30);
  EXPECT_EQ(runs[1]["source_sha256"], Sha256Hex(more));
}

TEST(ImportSource, AFileTruncatedDuringTheImportFailsItsRun) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string file = dir.File("big.jsonl");
  const int total = 60'000;
  const std::string text = Lines(1, total);
  WriteFile(file, text);
  const std::string log = dir.File("commits.log");
  const pid_t pid =
      StartCustos({"import", "jsonl", file, "--data", data, "--batch", "100", "--commit-log", log},
                  dir.File("out.txt"), dir.File("err.txt"));
  ASSERT_GT(pid, 0);
  // Once the first lines are committed, cut the file to a third (as a log rotation would).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
  while (ReadFile(log).find("committed") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  const std::string committed = ReadFile(log);
  ASSERT_NE(committed.find("committed"), std::string::npos) << ReadFile(dir.File("err.txt"));
  ASSERT_EQ(::truncate(file.c_str(), static_cast<off_t>(text.size() / 3)), 0);
  const int code = WaitExit(pid);
  const std::string err = ReadFile(dir.File("err.txt"));
  EXPECT_NE(code, 0) << ReadFile(dir.File("out.txt")) << err;
  EXPECT_NE(err.find("changed while it was being imported"), std::string::npos) << err;

  const nlohmann::json runs = Runs(data);
  ASSERT_EQ(runs.size(), 1u) << runs;
  EXPECT_EQ(runs[0]["status"], "failed") << runs;
  EXPECT_NE(runs[0]["source_sha256"], Sha256Hex(text)) << "the hash of bytes never read";
  EXPECT_LT(runs[0]["imported"].get<int>(), total);
  EXPECT_NE(runs[0].value("stopped_at", "").find("changed while"), std::string::npos) << runs;
}

TEST(ImportSource, AFormatImportOfAPipeIsRefusedClearly) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string fifo = dir.File("chat.txt");
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  const RunResult r =
      RunCustos({"import", "whatsapp", fifo, "--data", data, "--no-input", "--custodian", "Bob"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("not a regular file"), std::string::npos) << r.err;
  for (const nlohmann::json& run : Runs(data)) {
    EXPECT_NE(run["status"], "completed") << run;
  }
}

TEST(ImportSource, AZipBombIsRefusedBeforeAnythingIsImported) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string zip = dir.File("chat.zip");
  const std::string chat = RepetitiveChat(40'000);  // 2.6 MB, compresses far more than 20 times
  WriteZip(zip, "_chat.txt", chat);
  const std::vector<std::string> base = {"import", "whatsapp",   zip,           "--data",
                                         data,     "--no-input", "--custodian", "Bob"};

  std::vector<std::string> args = base;
  args.insert(args.end(), {"--max-expansion-ratio", "20"});
  RunResult r = RunCustos(args);
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.err.find("--max-expansion-ratio"), std::string::npos) << r.err;

  args = base;
  args.insert(args.end(), {"--max-uncompressed-mb", "1"});
  r = RunCustos(args);
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.err.find("--max-uncompressed-mb"), std::string::npos) << r.err;
  EXPECT_TRUE(Runs(data).empty()) << "a refused zip starts no import run";

  // An ordinary export zip passes the default limits.
  const std::string small = dir.File("small.zip");
  WriteZip(small, "_chat.txt", RepetitiveChat(20));
  r = RunCustos({"import", "whatsapp", small, "--data", data, "--no-input", "--custodian", "Bob"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Runs(data).size(), 1u);
}

TEST(ImportSource, AZipEntryInflatingPastItsDeclaredSizeIsRefusedWhileReading) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string zip = dir.File("chat.zip");
  WriteZip(zip, "_chat.txt", RepetitiveChat(2'000));
  // Make both headers claim 1,000 bytes: the ratio and size checks then see nothing amiss.
  std::string bytes = ReadFile(zip);
  auto patch = [&](const std::string& signature, std::size_t size_at) {
    const std::size_t at = bytes.find(signature);
    ASSERT_NE(at, std::string::npos);
    const char small[4] = {static_cast<char>(0xE8), 0x03, 0, 0};  // 1000, little-endian
    bytes.replace(at + size_at, 4, small, 4);
  };
  patch(std::string("PK\x03\x04", 4), 22);
  patch(std::string("PK\x01\x02", 4), 24);
  WriteFile(zip, bytes);
  const RunResult r =
      RunCustos({"import", "whatsapp", zip, "--data", data, "--no-input", "--custodian", "Bob"});
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_TRUE(r.err.find("inflates past the 1000 bytes") != std::string::npos ||
              r.err.find("zip") != std::string::npos)
      << r.err;
  for (const nlohmann::json& run : Runs(data)) {
    EXPECT_NE(run["status"], "completed") << run;
  }
}

TEST(ImportSource, TooLittleFreeSpaceRefusesTheImport) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string file = dir.File("m.jsonl");
  WriteFile(file, Lines(1, 5));
  // No file system here has 2^40 MiB free.
  RunResult r =
      RunCustos({"import", "jsonl", file, "--data", data, "--min-free-mb", "1099511627776"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("--min-free-mb"), std::string::npos) << r.err;
  const std::string chat = dir.File("chat.txt");
  WriteFile(chat, "01/02/2024, 09:00 - Bob: hello\n");
  r = RunCustos({"import", "whatsapp", chat, "--data", data, "--no-input", "--custodian", "Bob",
                 "--min-free-mb", "1099511627776"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("MiB free on the file system of"), std::string::npos) << r.err;
  EXPECT_TRUE(Runs(data).empty());
}

TEST(ImportSource, AnAttachmentOver256MiBIsNamedInTheSummaryAndTheRun) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string exported = dir.File("export");
  std::filesystem::create_directories(exported);
  WriteFile(exported + "/_chat.txt",
            "01/02/2024, 09:00 - Bob: VID-20240201-WA0001.mp4 (file attached)\n"
            "01/02/2024, 09:01 - Bob: see above\n");
  // A sparse 300 MiB file: no disk used, but over the limit of one attachment.
  const std::string video = exported + "/VID-20240201-WA0001.mp4";
  WriteFile(video, "");
  ASSERT_EQ(::truncate(video.c_str(), off_t{300} << 20), 0);
  const RunResult r = RunCustos(
      {"import", "whatsapp", exported, "--data", data, "--no-input", "--custodian", "Bob"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("not stored"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("VID-20240201-WA0001.mp4: 300 MiB, over the 256 MiB limit"),
            std::string::npos)
      << r.out;
  const nlohmann::json runs = Runs(data);
  ASSERT_EQ(runs.size(), 1u);
  ASSERT_TRUE(runs[0].contains("attachments_not_stored")) << runs;
  EXPECT_NE(runs[0]["attachments_not_stored"][0].get<std::string>().find("VID-20240201-WA0001.mp4"),
            std::string::npos);
}

}  // namespace
}  // namespace custos::testing
