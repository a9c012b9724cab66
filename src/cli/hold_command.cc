// SPDX-License-Identifier: Apache-2.0
// `custos hold create --name N (--person P | --conversation C | --query Q)`, `custos hold list`,
// `custos hold release ID`: legal holds (docs/retention.md). A held message is never disposed
// of, whatever its retention; every hold and release is an archive record.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "core/time.h"
#include "http/resource_json.h"

namespace custos::cli {
namespace {

struct HoldArgs {
  std::string data_dir;
  bool json = false;
  std::string name;
  std::string person;
  std::vector<std::string> identities;
  std::string conversation;
  std::string query;
  std::int64_t id = 0;
  std::string reason;
  CLI::Option* person_option = nullptr;
  CLI::Option* identity_option = nullptr;
  CLI::Option* conversation_option = nullptr;
  CLI::Option* query_option = nullptr;
};

std::string Scope(const archive::Hold& h) {
  switch (h.scope) {
    case archive::HoldScope::kPerson: {
      std::string out = "person " + h.person;
      if (h.person_id > 0 && h.person_name != h.person) {
        out += " (" + h.person_name + ")";
      }
      out += ", " + std::to_string(h.identities.size()) +
             (h.identities.size() == 1 ? " identity" : " identities");
      return out;
    }
    case archive::HoldScope::kConversation:
      return "conversation " + std::to_string(h.conversation_id);
    case archive::HoldScope::kQuery:
      return "query \"" + h.query + "\" (matched " + std::to_string(h.matched_at_creation) + ")";
  }
  return "";
}

std::string Dump(const nlohmann::ordered_json& j) {
  return j.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

// "person Anna Berg (3 identities)", "conversation 12", "query \"guaranteed\" (matched 9)",
// then "; covers N messages" when known.
std::string Target(const archive::Hold& h) {
  std::string covers;
  if (h.covers >= 0) {
    covers = "; covers " + std::to_string(h.covers) + (h.covers == 1 ? " message" : " messages");
  }
  return Scope(h) + covers;
}

int PrintHold(const archive::Hold& hold, bool json, const char* verb) {
  if (json) {
    std::printf("%s\n", Dump(http::HoldJson(hold)).c_str());
  } else {
    std::printf(
        "custos: hold %lld \"%s\" %s (record %lld): %s\n", static_cast<long long>(hold.id),
        hold.name.c_str(), verb,
        static_cast<long long>(hold.active() ? hold.record_id : hold.release_record_id.value_or(0)),
        Target(hold).c_str());
  }
  return kExitOk;
}

int RunCreate(const HoldArgs& args) {
  app::HoldRequest request;
  request.name = args.name;
  if (args.person_option->count() > 0) {
    request.person = args.person;
  }
  request.identities = args.identities;
  if (args.conversation_option->count() > 0) {
    request.conversation = args.conversation;
  }
  if (args.query_option->count() > 0) {
    request.query = args.query;
  }
  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("hold create", custos.error());
  }
  auto hold = (*custos)->retention().CreateHold(request);
  if (!hold.has_value()) {
    return Fail("hold create", hold.error());
  }
  return PrintHold(*hold, args.json, "placed");
}

int RunList(const HoldArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("hold list", custos.error());
  }
  auto holds = (*custos)->retention().ListHolds();
  if (!holds.has_value()) {
    return Fail("hold list", holds.error());
  }
  if (args.json) {
    std::printf("%s\n", Dump(http::HoldListJson(*holds)).c_str());
    return kExitOk;
  }
  if (holds->empty()) {
    std::printf("no holds\n");
    return kExitOk;
  }
  std::printf("%-5s  %-8s  %-27s  %s\n", "ID", "STATUS", "CREATED", "NAME: SCOPE");
  for (const archive::Hold& h : *holds) {
    std::string line = h.name + ": " + Target(h);
    if (h.released_at) {
      line += "; released " + core::FormatRfc3339(*h.released_at);
      if (!h.release_reason.empty()) {
        line += " (" + h.release_reason + ")";
      }
    }
    std::printf("%-5lld  %-8s  %-27s  %s\n", static_cast<long long>(h.id),
                h.active() ? "active" : "released", core::FormatRfc3339(h.created_at).c_str(),
                line.c_str());
  }
  return kExitOk;
}

int RunRelease(const HoldArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("hold release", custos.error());
  }
  auto hold = (*custos)->retention().ReleaseHold(args.id, args.reason);
  if (!hold.has_value()) {
    return Fail("hold release", hold.error());
  }
  return PrintHold(*hold, args.json, "released");
}

}  // namespace

void RegisterHoldCommand(CLI::App& root, int* exit_code) {
  CLI::App* hold = root.add_subcommand(
      "hold", "Legal holds: what they cover is never disposed of until they are released");
  hold->require_subcommand(1);
  auto args = std::make_shared<HoldArgs>();

  CLI::App* create = hold->add_subcommand(
      "create", "Place a legal hold on a person, a conversation or what a search query matches");
  create->add_option("--name", args->name, "The hold's name, e.g. the matter it serves")
      ->type_name("N")
      ->required();
  args->person_option =
      create
          ->add_option("--person", args->person,
                       "A person of the identity directory, by name or any identity (phone in "
                       "any spelling, e-mail, handle, WhatsApp ID): every conversation any of "
                       "their identities takes part in, now and later; refused when the "
                       "directory does not know them")
          ->type_name("P");
  args->identity_option =
      create
          ->add_option("--identity", args->identities,
                       "Also (or instead) hold this raw identity: a phone number (normalised "
                       "to E.164), e-mail address, WhatsApp ID or handle; repeatable")
          ->type_name("I");
  args->conversation_option =
      create
          ->add_option("--conversation", args->conversation,
                       "One conversation (its id or the source's conversation key), now and "
                       "later")
          ->type_name("C");
  args->query_option =
      create
          ->add_option("--query", args->query,
                       "Every message this search query matches now and at each retention run")
          ->type_name("Q");
  args->person_option->excludes(args->conversation_option)->excludes(args->query_option);
  args->identity_option->excludes(args->conversation_option)->excludes(args->query_option);
  args->conversation_option->excludes(args->query_option);
  AddDataOption(create, &args->data_dir);
  create->add_flag("--json", args->json, "Print the hold as JSON");
  create->callback([args, exit_code] {
    const std::size_t person = args->person_option->count() + args->identity_option->count() > 0;
    if (person + args->conversation_option->count() + args->query_option->count() != 1) {
      std::fprintf(stderr,
                   "custos: hold create: give one of --person (and/or --identity), "
                   "--conversation and --query\n");
      *exit_code = kExitUsage;
      return;
    }
    *exit_code = RunCreate(*args);
  });

  CLI::App* list = hold->add_subcommand("list", "List every hold, active and released");
  AddDataOption(list, &args->data_dir);
  list->add_flag("--json", args->json, "Print {\"items\":[hold...]}");
  list->callback([args, exit_code] { *exit_code = RunList(*args); });

  CLI::App* release = hold->add_subcommand("release", "Release a hold");
  release->add_option("id", args->id, "The hold's id (`custos hold list`)")
      ->required()
      ->check(IntegerArgument("hold id"));
  release->add_option("--reason", args->reason, "Why, kept in the release record")
      ->type_name("TEXT");
  AddDataOption(release, &args->data_dir);
  release->add_flag("--json", args->json, "Print the released hold as JSON");
  release->callback([args, exit_code] { *exit_code = RunRelease(*args); });
}

}  // namespace custos::cli
