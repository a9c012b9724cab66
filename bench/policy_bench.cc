// SPDX-License-Identifier: Apache-2.0
// Policy engine benchmark (docs/performance.md, "Policy engine"): run by bench/policy_bench.sh.
//
//   policy_bench OUT_DIR [MESSAGES [MAX_TERMS]]     (MAX_TERMS 1000 for a quick profile)
//
// Times are CPU seconds of the benchmark thread (CLOCK_THREAD_CPUTIME_ID), so that a loaded
// machine distorts them less; each is the fastest of several runs (kRepeats, kRounds), the
// scans timed in turn; messages/s is per core.
//
// Generates a deterministic corpus of chat-length messages (a few % with lexicon words, card
// numbers, IBANs, e-mail addresses and phone numbers) and lexicons of 1k, 10k and 100k
// pseudo-words, writes them to OUT_DIR (corpus.txt, one message a line, and terms-N.txt, for
// grep/rg), then prints, single-threaded:
//   - compile: LoadPack of a pack with the N-term list + one rule per built-in detector;
//   - engine: Pack::Evaluate over every message (scan + evaluate), messages/s;
//   - raw lexicon: hs_scan of the same N terms (one caseless literal database) over the same
//     messages, the floor of the engine's lexicon scan alone;
//   - raw all: hs_scan of one database with the same N terms and a regular expression for the
//     primary pattern of each of the 15 detectors (kDetectorPatterns): the same patterns the
//     engine looks for, scanned without normalisation, validation, keywords or rules.
#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include <hs/hs.h>

#include "policy/policy.h"

namespace {

namespace fs = std::filesystem;

constexpr const char* kDetectors[] = {"payment_card",
                                      "iban",
                                      "us_ssn",
                                      "uk_nino",
                                      "email",
                                      "phone_number",
                                      "ipv4",
                                      "ipv6",
                                      "bitcoin_address",
                                      "ethereum_address",
                                      "private_key",
                                      "aws_access_key_id",
                                      "github_token",
                                      "slack_token",
                                      "date_of_birth"};

constexpr const char* kWords[] = {
    "the",    "deal",    "client",  "call",     "tomorrow", "price",     "market", "please",
    "send",   "report",  "meeting", "update",   "thanks",   "we",        "can",    "review",
    "trade",  "order",   "book",    "position", "risk",     "desk",      "today",  "morning",
    "close",  "open",    "rate",    "bond",     "equity",   "fund",      "team",   "office",
    "lunch",  "confirm", "details", "account",  "number",   "portfolio", "hello",  "ok",
    "sounds", "good",    "will",    "check",    "with",     "legal",     "and",    "get",
    "back",   "to",      "you",     "on",       "this",     "asap",      "is",     "it",
    "done",   "yet",     "still",   "waiting",  "for",      "signoff",   "from",   "compliance"};

std::string PseudoWord(std::mt19937_64& rng) {
  std::uniform_int_distribution<int> len(6, 11);
  std::uniform_int_distribution<int> letter('a', 'z');
  std::string w;
  for (int i = len(rng); i > 0; --i) {
    w += static_cast<char>(letter(rng));
  }
  return w;
}

std::vector<std::string> Terms(std::size_t n) {
  std::mt19937_64 rng(42);
  std::vector<std::string> terms;
  terms.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    terms.push_back(PseudoWord(rng));
  }
  return terms;
}

// ~3% a lexicon term (of the first 1k, so every lexicon size has the same hits), 1% a card
// number, 1% an IBAN, 1% an e-mail address, 1% a phone number; 20-160 characters.
std::vector<std::string> Corpus(std::size_t n, const std::vector<std::string>& terms) {
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> pct(0, 99);
  std::uniform_int_distribution<std::size_t> word(0, std::size(kWords) - 1);
  std::uniform_int_distribution<std::size_t> term(0, 999);
  std::uniform_int_distribution<int> words(4, 26);
  std::vector<std::string> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    std::string m;
    for (int w = words(rng); w > 0; --w) {
      if (!m.empty()) {
        m += ' ';
      }
      m += kWords[word(rng)];
    }
    const int p = pct(rng);
    if (p < 3) {
      m += " " + terms[term(rng)];
    } else if (p < 4) {
      m += " card 4111 1111 1111 1111";
    } else if (p < 5) {
      m += " IBAN GB82 WEST 1234 5698 7654 32";
    } else if (p < 6) {
      m += " mail jane.doe@example.org";
    } else if (p < 7) {
      m += " call me on +44 20 7946 0958";
    }
    out.push_back(m.size() > 160 ? m.substr(0, 160) : m);
  }
  return out;
}

std::string PackYaml() {
  std::string y =
      "- pack: bench\n  required_engine_version: 1\n"
      "- list: lex\n  language: en\n  file: lex.txt\n"
      "- rule: bench.lexicon\n  clause: c\n  condition: text matches list:lex\n"
      "  severity: high\n  action: block\n";
  for (const char* d : kDetectors) {
    y += std::string("- rule: bench.") + d + "\n  clause: c\n  condition: detect(" + d +
         ") >= low\n  severity: medium\n  action: flag\n";
  }
  return y;
}

// CPU time of this thread: the machine is shared, so wall-clock time would measure the load.
double CpuNow() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) / 1e9;
}

void WriteLines(const fs::path& path, const std::vector<std::string>& lines) {
  std::ofstream out(path, std::ios::binary);
  for (const std::string& l : lines) {
    out << l << '\n';
  }
}

// Compiles are timed this many times, the three scans (engine, raw lexicon, raw all) kRounds
// times in turn; each keeps its fastest run, the one least disturbed by other work.
constexpr int kRepeats = 3;
constexpr int kRounds = 5;

struct Raw {
  double seconds = 0;
  std::size_t matches = 0;
};

// hs_scan of every message with `db` (then freed).
Raw TimeScans(hs_database_t* db, const std::vector<std::string>& corpus) {
  hs_scratch_t* scratch = nullptr;
  hs_alloc_scratch(db, &scratch);
  Raw raw;
  auto on_match = [](unsigned, unsigned long long, unsigned long long, unsigned, void* ctx) {
    ++*static_cast<std::size_t*>(ctx);
    return 0;
  };
  const double start = CpuNow();
  for (const std::string& m : corpus) {
    hs_scan(db, m.data(), static_cast<unsigned>(m.size()), 0, scratch, on_match, &raw.matches);
  }
  raw.seconds = CpuNow() - start;
  hs_free_scratch(scratch);
  hs_free_database(db);
  return raw;
}

Raw RawScan(const std::vector<std::string>& terms, const std::vector<std::string>& corpus) {
  std::vector<const char*> exprs;
  std::vector<std::size_t> lens;
  std::vector<unsigned> ids;
  std::vector<unsigned> flags(terms.size(), HS_FLAG_CASELESS);
  for (unsigned i = 0; i < terms.size(); ++i) {
    exprs.push_back(terms[i].data());
    lens.push_back(terms[i].size());
    ids.push_back(i);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_lit_multi(exprs.data(), flags.data(), ids.data(), lens.data(),
                           static_cast<unsigned>(terms.size()), HS_MODE_BLOCK, nullptr, &db,
                           &err) != HS_SUCCESS) {
    std::fprintf(stderr, "raw compile failed: %s\n", err->message);
    std::exit(1);
  }
  return TimeScans(db, corpus);
}

// Primary patterns of the 15 built-in detectors as plain regular expressions (Purview-style
// shapes, no validation): what a Vectorscan-only engine would scan for besides the lexicon.
constexpr const char* kDetectorPatterns[] = {
    R"(\b\d(?:[ -]?\d){12,18}\b)",                                            // payment card
    R"(\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b)",                              // IBAN
    R"(\b\d{3}[- ]?\d{2}[- ]?\d{4}\b)",                                       // US SSN
    R"(\b[A-Z]{2} ?\d{2} ?\d{2} ?\d{2} ?[A-D]\b)",                            // UK NINO
    R"([A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,})",                      // e-mail
    R"((?:\+|\b)\d(?:[ ().-]{0,2}\d){6,14}\b)",                               // phone number
    R"(\b\d{1,3}(?:\.\d{1,3}){3}\b)",                                         // IPv4
    R"(\b[0-9A-Fa-f]{0,4}(?::[0-9A-Fa-f]{0,4}){2,7}\b)",                      // IPv6
    R"(\b(?:[13][1-9A-HJ-NP-Za-km-z]{25,34}|bc1[02-9ac-hj-np-z]{11,71})\b)",  // Bitcoin
    R"(\b0x[0-9a-fA-F]{40}\b)",                                               // Ethereum
    R"(-----BEGIN [A-Z ]*PRIVATE KEY-----)",                                  // private key
    R"(\b(?:AKIA|ASIA)[A-Z0-9]{16}\b)",                                       // AWS key id
    R"(\b(?:gh[pousr]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})\b)",       // GitHub token
    R"(\bxox[abprs]-[A-Za-z0-9-]{10,})",                                      // Slack token
    R"(\b\d{1,4}[./-]\d{1,2}[./-]\d{2,4}\b)",                                 // date
};

// The terms (caseless, as literals) and the detector patterns in one regex database, one
// scan per message: the same patterns as the engine's, without normalisation, validation or
// rules.
Raw RawScanWithDetectors(const std::vector<std::string>& terms,
                         const std::vector<std::string>& corpus) {
  std::vector<std::string> patterns;
  std::vector<unsigned> flags;
  for (const std::string& t : terms) {
    std::string p;
    for (char c : t) {
      if (!std::isalnum(static_cast<unsigned char>(c))) {
        p += '\\';
      }
      p += c;
    }
    patterns.push_back(p);
    flags.push_back(HS_FLAG_CASELESS);
  }
  for (const char* d : kDetectorPatterns) {
    patterns.emplace_back(d);
    flags.push_back(0);
  }
  std::vector<const char*> exprs;
  std::vector<unsigned> ids;
  for (unsigned i = 0; i < patterns.size(); ++i) {
    exprs.push_back(patterns[i].c_str());
    ids.push_back(i);
  }
  hs_database_t* db = nullptr;
  hs_compile_error_t* err = nullptr;
  if (hs_compile_multi(exprs.data(), flags.data(), ids.data(), static_cast<unsigned>(exprs.size()),
                       HS_MODE_BLOCK, nullptr, &db, &err) != HS_SUCCESS) {
    std::fprintf(stderr, "raw+detectors compile failed (pattern %d): %s\n", err->expression,
                 err->message);
    std::exit(1);
  }
  return TimeScans(db, corpus);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: policy_bench OUT_DIR [MESSAGES [MAX_TERMS]]\n");
    return 64;
  }
  const fs::path out = argv[1];
  const std::size_t n = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 200000;
  const std::size_t max_terms = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 100000;
  fs::create_directories(out);
  const std::vector<std::string> all_terms = Terms(100000);
  const std::vector<std::string> corpus = Corpus(n, all_terms);
  WriteLines(out / "corpus.txt", corpus);
  std::size_t bytes = 0;
  for (const std::string& m : corpus) {
    bytes += m.size() + 1;
  }
  std::printf("corpus: %zu messages, %.1f MB, mean %.0f bytes\n", n, bytes / 1e6,
              static_cast<double>(bytes) / static_cast<double>(n));
  std::printf("(CPU seconds of one thread; messages/s per core)\n");
  std::printf("%-8s %10s %14s %8s %14s %10s %8s %14s %8s\n", "terms", "compile_s", "engine_msg/s",
              "hits", "raw_lex_msg/s", "raw_hits", "ratio", "raw_all_msg/s", "ratio");
  for (const std::size_t k : {1000, 10000, 100000}) {
    if (k > max_terms) {
      break;
    }
    const std::vector<std::string> terms(all_terms.begin(), all_terms.begin() + k);
    WriteLines(out / ("terms-" + std::to_string(k) + ".txt"), terms);
    std::string lex;
    for (const std::string& t : terms) {
      lex += t + "\n";
    }
    // Compile time: the fastest of kRepeats compiles (one for 100k terms, which takes long).
    double start = CpuNow();
    custos::policy::LoadResult r =
        custos::policy::LoadPackFromFiles({{"pack.yaml", PackYaml()}, {"lex.txt", lex}});
    double compile = CpuNow() - start;
    for (int rep = 1; rep < kRepeats && k < 100000; ++rep) {
      start = CpuNow();
      r = custos::policy::LoadPackFromFiles({{"pack.yaml", PackYaml()}, {"lex.txt", lex}});
      compile = std::min(compile, CpuNow() - start);
    }
    if (!r.ok()) {
      std::fprintf(stderr, "%s", r.diagnostics.ToText().c_str());
      return 1;
    }
    if (k == 100000) {  // compile time only: the issue's targets are for 1k and 10k terms
      std::printf("%-8zu %10.3f %14s %8s %14s %10s %8s %14s %8s\n", k, compile, "-", "-", "-", "-",
                  "-", "-", "-");
      continue;
    }
    custos::policy::Facts facts;
    std::size_t hits = 0;
    // Engine, raw lexicon and raw all timed in turn, kRounds times, keeping each one's fastest
    // run: the three see the same machine conditions, so their ratios hold on a noisy machine.
    double engine = 1e30;
    Raw raw{1e30, 0};
    Raw all{1e30, 0};
    for (int round = 0; round < kRounds; ++round) {
      hits = 0;
      start = CpuNow();
      for (const std::string& m : corpus) {
        facts.text = m;
        hits += r.pack->Evaluate(facts).hits.empty() ? 0 : 1;
      }
      engine = std::min(engine, CpuNow() - start);
      const Raw raw_round = RawScan(terms, corpus);
      const Raw all_round = RawScanWithDetectors(terms, corpus);
      raw = raw_round.seconds < raw.seconds ? raw_round : raw;
      all = all_round.seconds < all.seconds ? all_round : all;
    }
    std::printf("%-8zu %10.3f %14.0f %8zu %14.0f %10zu %7.2fx %14.0f %7.2fx\n", k, compile,
                static_cast<double>(n) / engine, hits, static_cast<double>(n) / raw.seconds,
                raw.matches, engine / raw.seconds, static_cast<double>(n) / all.seconds,
                engine / all.seconds);
  }
  return 0;
}
