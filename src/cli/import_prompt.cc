// SPDX-License-Identifier: Apache-2.0
#include "cli/import_prompt.h"

#include <unistd.h>

#include "core/text.h"
#include "directory/identity.h"

namespace custos::cli {
namespace {

// One answer line without its line break and surrounding blanks; "" at the end of input.
std::string ReadAnswer(std::FILE* in) {
  std::string line;
  for (int c = std::fgetc(in); c != EOF && c != '\n'; c = std::fgetc(in)) {
    line.push_back(static_cast<char>(c));
  }
  return std::string(core::TrimAscii(line));
}

// Asks `question` until the answer is empty or not a malformed phone number.
std::string AskIdentity(const std::string& question, const std::string& region, std::FILE* in,
                        std::FILE* out) {
  for (;;) {
    std::fprintf(out, "%s", question.c_str());
    std::fflush(out);
    std::string answer = ReadAnswer(in);
    if (answer.empty() || !directory::LooksLikePhone(answer) ||
        directory::PhoneToE164(answer, region).has_value()) {
      return answer;
    }
    std::fprintf(out, "\"%s\" is not a valid phone number (region %s); try again.\n",
                 answer.c_str(), region.c_str());
  }
}

bool Resolves(const directory::Resolver& resolver, const std::string& name) {
  if (resolver.HasAlias(name)) {
    return true;
  }
  const directory::Resolved r = resolver.Resolve(name);
  return r.person_id != 0 || r.identity.starts_with('+') ||
         r.identity.find('@') != std::string::npos;
}

}  // namespace

bool ShouldPrompt(bool json, bool no_input) {
  return !json && !no_input && ::isatty(STDIN_FILENO) == 1 && ::isatty(STDERR_FILENO) == 1;
}

std::string AskCustodian(const std::string& region, std::FILE* in, std::FILE* out) {
  return AskIdentity(
      "Who exported this file? Their phone, e-mail or directory handle (Enter = none): ", region,
      in, out);
}

ParticipantAnswers AskParticipants(const std::vector<std::string>& names,
                                   const importers::ImportOptions& options,
                                   const std::string& custodian_identity,
                                   directory::Resolver& resolver, std::FILE* in, std::FILE* out) {
  ParticipantAnswers answers;
  for (const std::string& name : names) {
    if (name.empty() || options.IsSelf(name) || Resolves(resolver, name)) {
      continue;
    }
    ++answers.asked;
    const std::string answer = AskIdentity(
        "Who is \"" + name +
            "\"? Their phone, e-mail or directory handle (Enter = keep as an external name): ",
        resolver.region(), in, out);
    if (answer.empty()) {
      continue;
    }
    resolver.AddAlias(name, answer);
    if (!custodian_identity.empty() && resolver.Resolve(name).identity == custodian_identity) {
      answers.custodian_names.push_back(name);
    }
  }
  return answers;
}

}  // namespace custos::cli
