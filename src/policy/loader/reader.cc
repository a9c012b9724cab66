// SPDX-License-Identifier: Apache-2.0
#include "policy/loader/reader.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <system_error>

#include <yaml-cpp/yaml.h>

#include "config/yaml_guard.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::policy::loader {
namespace {

constexpr std::string_view kItemKinds[] = {"pack", "list", "macro", "detector", "rule"};

bool IsYaml(std::string_view path) { return path.ends_with(".yaml") || path.ends_with(".yml"); }

class Converter {
 public:
  Converter(const PackFile& file, Diagnostics& diags) : file_(file), diags_(diags) {}

  RawNode Convert(const YAML::Node& node, int depth) {
    RawNode out;
    const YAML::Mark mark = node.Mark();
    if (!mark.is_null()) {
      out.pos = SourcePos{file_.path, mark.line + 1, mark.column + 1};
      out.byte_offset = static_cast<std::size_t>(mark.pos);
    } else {
      out.pos = SourcePos{file_.path, 0, 0};
    }
    out.file_text = file_.content;
    if (depth > kMaxYamlDepth) {
      diags_.Add(DiagCode::kYamlShape, out.pos, "file", "", "YAML is nested too deeply");
      return out;
    }
    switch (node.Type()) {
      case YAML::NodeType::Scalar:
        out.kind = RawNode::Kind::kScalar;
        out.scalar = node.Scalar();
        out.plain = node.Tag() == "?";
        break;
      case YAML::NodeType::Sequence:
        out.kind = RawNode::Kind::kSequence;
        for (const YAML::Node& item : node) {
          out.items.push_back(Convert(item, depth + 1));
        }
        break;
      case YAML::NodeType::Map:
        out.kind = RawNode::Kind::kMap;
        for (const auto& member : node) {
          out.members.emplace_back(Convert(member.first, depth + 1),
                                   Convert(member.second, depth + 1));
        }
        break;
      default:
        break;
    }
    return out;
  }

 private:
  const PackFile& file_;
  Diagnostics& diags_;
};

void ParseFile(const PackFile& file, Diagnostics& diags, std::vector<RawItem>& items,
               std::size_t& pack_nodes) {
  if (!GuardYaml(file, diags, pack_nodes)) {
    return;
  }
  YAML::Node root;
  try {
    root = YAML::Load(*file.content);
  } catch (const YAML::Exception& e) {
    diags.Add(DiagCode::kYamlParse, SourcePos{file.path, e.mark.line + 1, e.mark.column + 1},
              "file", "", e.msg);
    return;
  }
  Converter converter(file, diags);
  RawNode top;
  try {
    top = converter.Convert(root, 0);
  } catch (const YAML::Exception& e) {
    diags.Add(DiagCode::kYamlParse, SourcePos{file.path, e.mark.line + 1, e.mark.column + 1},
              "file", "", e.msg);
    return;
  }
  if (top.kind == RawNode::Kind::kNull) {
    return;  // an empty file
  }
  if (!top.IsSequence()) {
    diags.Add(DiagCode::kYamlShape, top.pos, "file", "",
              "a pack file must be a list of items (- rule: ..., - list: ...), not " +
                  std::string(top.KindName()));
    return;
  }
  for (RawNode& node : top.items) {
    if (!node.IsMap() || node.members.empty()) {
      diags.Add(DiagCode::kYamlShape, node.pos, "item", "",
                "an item must be a mapping that starts with pack, list, macro, detector or rule, "
                "not " +
                    std::string(node.KindName()));
      continue;
    }
    const RawNode& key = node.members.front().first;
    const RawNode& value = node.members.front().second;
    const bool known = key.IsScalar() && std::find(std::begin(kItemKinds), std::end(kItemKinds),
                                                   key.scalar) != std::end(kItemKinds);
    if (!known) {
      diags.Add(DiagCode::kUnknownKey, key.pos, "item", "",
                "an item must start with pack, list, macro, detector or rule, not '" +
                    (key.IsScalar() ? key.scalar : std::string(key.KindName())) + "'");
      continue;
    }
    RawItem item;
    item.kind = key.scalar;
    item.name = value.IsScalar() ? value.scalar : "";
    item.node = std::move(node);
    items.push_back(std::move(item));
  }
}

}  // namespace

bool GuardYaml(const PackFile& file, Diagnostics& diags, std::size_t& pack_nodes) {
  config::YamlLimits limits;
  limits.max_bytes = kMaxYamlFileBytes;
  limits.max_nodes = std::min(kMaxYamlFileNodes, kMaxPackYamlNodes - pack_nodes);
  limits.max_depth = kMaxYamlDepth;
  std::size_t nodes = 0;
  const auto problem = config::CheckYaml(*file.content, limits, &nodes);
  if (!problem) {
    pack_nodes += nodes;
    return true;
  }
  std::string message = problem->message;
  if (limits.max_nodes < kMaxYamlFileNodes && problem->nodes > limits.max_nodes) {
    message = "the pack's YAML files have more than " + std::to_string(kMaxPackYamlNodes) +
              " nodes in all";
  }
  pack_nodes = std::min(kMaxPackYamlNodes, pack_nodes + problem->nodes);
  diags.Add(DiagCode::kYamlLimit, SourcePos{file.path, problem->line, problem->column}, "file", "",
            message);
  return false;
}

std::string PackVersion(const std::vector<PackFile>& files) {
  crypto::Sha256Hasher hasher;
  for (const PackFile& file : files) {
    hasher.Update(file.path);
    hasher.Update(std::string_view("\0", 1));
    hasher.Update(std::to_string(file.content->size()));
    hasher.Update(std::string_view("\0", 1));
    hasher.Update(*file.content);
  }
  return core::HexEncode(hasher.Finish());
}

ReadResult ReadPackFiles(std::vector<PackFile> files, Diagnostics& diags) {
  ReadResult result;
  std::size_t pack_nodes = 0;
  std::sort(files.begin(), files.end(),
            [](const PackFile& a, const PackFile& b) { return a.path < b.path; });
  result.version = PackVersion(files);
  for (const PackFile& file : files) {
    if (!IsYaml(file.path) || file.path.starts_with("devices/")) {  // device rules: devices/
      continue;
    }
    if (!core::IsValidUtf8(*file.content)) {
      diags.Add(DiagCode::kFileRead, SourcePos{file.path, 0, 0}, "file", "",
                "the file is not valid UTF-8");
      continue;
    }
    ParseFile(file, diags, result.items, pack_nodes);
  }
  result.files = std::move(files);
  return result;
}

ReadResult ReadPackDir(const std::filesystem::path& dir, Diagnostics& diags) {
  namespace fs = std::filesystem;
  std::vector<PackFile> files;
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    diags.Add(DiagCode::kFileRead, SourcePos{dir.string(), 0, 0}, "pack", "",
              "not a directory: " + dir.string());
    return ReadPackFiles({}, diags);
  }
  fs::recursive_directory_iterator it(dir, fs::directory_options::none, ec);
  const fs::recursive_directory_iterator end;
  for (; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (name.starts_with(".")) {
      if (it->is_directory(ec)) {
        it.disable_recursion_pending();
      }
      continue;
    }
    if (!it->is_regular_file(ec)) {
      continue;
    }
    const std::string rel = it->path().lexically_relative(dir).generic_string();
    if (files.size() >= kMaxFiles) {
      diags.Add(DiagCode::kFileRead, SourcePos{rel, 0, 0}, "pack", "",
                "the pack has more than " + std::to_string(kMaxFiles) + " files");
      break;
    }
    const std::uintmax_t size = it->file_size(ec);
    if (ec || size > kMaxFileBytes) {
      diags.Add(DiagCode::kFileRead, SourcePos{rel, 0, 0}, "file", "",
                ec ? "cannot stat: " + ec.message() : "file is larger than 64 MiB");
      ec.clear();
      continue;
    }
    std::ifstream in(it->path(), std::ios::binary);
    std::string content((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      diags.Add(DiagCode::kFileRead, SourcePos{rel, 0, 0}, "file", "", "cannot read the file");
      continue;
    }
    files.push_back(PackFile{rel, std::make_shared<const std::string>(std::move(content))});
  }
  if (ec) {
    diags.Add(DiagCode::kFileRead, SourcePos{dir.string(), 0, 0}, "pack", "",
              "cannot list the directory: " + ec.message());
  }
  return ReadPackFiles(std::move(files), diags);
}

}  // namespace custos::policy::loader
