// SPDX-License-Identifier: Apache-2.0
#include "config/yaml_guard.h"

#include <sstream>
#include <utility>

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

namespace custos::config {
namespace {

// Thrown by the handler to stop the parser at the first problem.
struct Stop {
  YamlProblem problem;
};

class Guard : public YAML::EventHandler {
 public:
  explicit Guard(const YamlLimits& limits) : limits_(limits) {}

  std::size_t nodes() const { return nodes_; }

  void OnDocumentStart(const YAML::Mark&) override {}

  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override { Node(mark, anchor); }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
    Fail(mark, "YAML aliases (*name) are not allowed: write the value out in full");
  }

  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string&) override {
    Node(mark, anchor);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }

  void OnSequenceEnd() override { --depth_; }

  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    Open(mark, anchor);
  }

  void OnMapEnd() override { --depth_; }

  void OnAnchor(const YAML::Mark& mark, const std::string& name) override {
    Fail(mark, "YAML anchors (&" + name.substr(0, 40) +
                   ") are not allowed: write the value out "
                   "in full");
  }

 private:
  void Node(const YAML::Mark& mark, YAML::anchor_t anchor) {
    if (anchor != YAML::NullAnchor) {
      Fail(mark, "YAML anchors (&name) are not allowed: write the value out in full");
    }
    if (++nodes_ > limits_.max_nodes) {
      Fail(mark, "more than " + std::to_string(limits_.max_nodes) + " YAML nodes");
    }
  }

  void Open(const YAML::Mark& mark, YAML::anchor_t anchor) {
    Node(mark, anchor);
    if (++depth_ > limits_.max_depth) {
      Fail(mark, "YAML nested more than " + std::to_string(limits_.max_depth) + " levels deep");
    }
  }

  [[noreturn]] void Fail(const YAML::Mark& mark, std::string message) {
    YamlProblem problem;
    if (!mark.is_null()) {
      problem.line = mark.line + 1;
      problem.column = mark.column + 1;
    }
    problem.message = std::move(message);
    problem.nodes = nodes_;
    throw Stop{std::move(problem)};
  }

  const YamlLimits& limits_;
  std::size_t nodes_ = 0;
  int depth_ = 0;
};

}  // namespace

std::optional<YamlProblem> CheckYaml(std::string_view text, const YamlLimits& limits,
                                     std::size_t* nodes) {
  if (text.size() > limits.max_bytes) {
    YamlProblem problem;
    problem.message = "the YAML file has " + std::to_string(text.size()) + " bytes; the limit is " +
                      std::to_string(limits.max_bytes);
    return problem;
  }
  std::istringstream in{std::string(text)};
  Guard guard(limits);
  try {
    YAML::Parser parser(in);
    while (parser.HandleNextDocument(guard)) {
    }
  } catch (Stop& stop) {
    return std::move(stop.problem);
  } catch (const YAML::Exception& e) {
    // An alias of an anchor that is not defined fails in the parser, before OnAlias: it is
    // still an alias. Any other syntax error is the loader's to report, at its own position.
    if (e.msg == YAML::ErrorMsg::UNKNOWN_ANCHOR) {
      YamlProblem problem;
      if (!e.mark.is_null()) {
        problem.line = e.mark.line + 1;
        problem.column = e.mark.column + 1;
      }
      problem.message = "YAML aliases (*name) are not allowed: write the value out in full";
      problem.nodes = guard.nodes();
      return problem;
    }
  }
  if (nodes != nullptr) {
    *nodes = guard.nodes();
  }
  return std::nullopt;
}

std::string FormatYamlProblem(std::string_view file, const YamlProblem& problem) {
  std::string out(file);
  if (problem.line > 0) {
    out += ":" + std::to_string(problem.line) + ":" + std::to_string(problem.column);
  }
  return out + ": " + problem.message;
}

}  // namespace custos::config
