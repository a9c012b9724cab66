// SPDX-License-Identifier: Apache-2.0
#include "importers/import_test_util.h"

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include <zip.h>

namespace custos::importers::testing {

namespace fs = std::filesystem;

fs::path CorpusDir(const std::string& sub) {
  fs::path root;
  if (const char* corpus = std::getenv("CUSTOS_CORPUS"); corpus != nullptr && *corpus != '\0') {
    root = corpus;
  } else {
    const char* source = std::getenv("CUSTOS_SOURCE_DIR");
    root = fs::path(source != nullptr && *source != '\0' ? source : CUSTOS_DEFAULT_SOURCE_DIR) /
           ".." / "shared" / "corpus";
  }
  const fs::path dir = root / sub;
  return fs::is_directory(dir) ? dir : fs::path();
}

void WriteFile(const std::string& path, std::string_view content) {
  std::ofstream out(path, std::ios::binary);
  out.write(content.data(), static_cast<std::streamsize>(content.size()));
  if (!out) {
    throw std::runtime_error("cannot write " + path);
  }
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteZip(const std::string& path, const std::map<std::string, std::string>& entries) {
  int error = 0;
  zip_t* zip = zip_open(path.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &error);
  if (zip == nullptr) {
    throw std::runtime_error("cannot create " + path);
  }
  for (const auto& [name, content] : entries) {
    zip_source_t* src = zip_source_buffer(zip, content.data(), content.size(), 0);
    if (src == nullptr || zip_file_add(zip, name.c_str(), src, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(src);
      zip_discard(zip);
      throw std::runtime_error("cannot add " + name + " to " + path);
    }
  }
  if (zip_close(zip) != 0) {
    zip_discard(zip);
    throw std::runtime_error("cannot write " + path);
  }
}

core::Result<Drained> Drain(const Format& format, const std::string& path,
                            const ImportOptions& options) {
  ASSIGN_OR_RETURN(std::unique_ptr<Bundle> bundle, Bundle::Open(path));
  ASSIGN_OR_RETURN(std::unique_ptr<Source> source, format.open(*bundle, options));
  Drained d;
  for (;;) {
    auto next = source->Next();
    if (!next.has_value()) {
      d.error = next.error();
      break;
    }
    if (!next->has_value()) {
      break;
    }
    d.items.push_back(std::move(**next));
  }
  return d;
}

std::vector<model::Message> Messages(const Drained& d) {
  std::vector<model::Message> out;
  for (const Item& item : d.items) {
    if (item.kind == Item::Kind::kMessage) {
      out.push_back(item.message);
    }
  }
  return out;
}

}  // namespace custos::importers::testing
