// SPDX-License-Identifier: Apache-2.0
// `custos directory import people.csv|people.json [--region GB] [--json]`: adds or updates the
// employees of the identity directory (docs/directory.md); nothing is imported from a file with
// an error, which names the file, line (or entry) and field.
// `custos directory labels [--label internal|external] [--json]`: the conversations' labels.
// `custos directory list [--json]`: the people of the directory and their identities.
#include <cstdio>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "app/import_region.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "directory/json.h"
#include "directory/people_file.h"

namespace custos::cli {
namespace {

struct DirectoryArgs {
  std::string data_dir;
  std::string file;
  std::string region;  // --region; "" = DIR/custos.yaml (import_region.h)
  std::string label;
  bool json = false;
};

int ImportPeople(const DirectoryArgs& args) {
  auto region = app::DefaultRegion(args.data_dir, args.region);
  if (!region.has_value()) {
    return Fail("directory import", region.error());
  }
  auto people = directory::ReadPeopleFile(args.file, *region);
  if (!people.has_value()) {
    return Fail("directory import", people.error());
  }
  auto custos = OpenData(args.data_dir, /*read_only=*/false);
  if (!custos.has_value()) {
    return Fail("directory import", custos.error());
  }
  auto summary = (*custos)->directory().ImportPeople(*people);
  if (!summary.has_value()) {
    return Fail("directory import", summary.error());
  }
  if (args.json) {
    std::printf("%s\n", nlohmann::json{{"added", summary->added},
                                       {"updated", summary->updated},
                                       {"identities", summary->identities}}
                            .dump()
                            .c_str());
  } else {
    std::printf("directory: added %lld, updated %lld people (%lld new identities)\n",
                static_cast<long long>(summary->added), static_cast<long long>(summary->updated),
                static_cast<long long>(summary->identities));
  }
  return kExitOk;
}

int ListLabels(const DirectoryArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("directory labels", custos.error());
  }
  auto labels = (*custos)->directory().Labels(args.label);
  if (!labels.has_value()) {
    return Fail("directory labels", labels.error());
  }
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const directory::StoredLabel& l : *labels) {
      out.push_back(directory::LabelJson(l));
    }
    std::printf("%s\n", nlohmann::json{{"conversations", out}}.dump().c_str());
    return kExitOk;
  }
  for (const directory::StoredLabel& l : *labels) {
    std::printf("conversation %lld  %s  (import run %lld)\n",
                static_cast<long long>(l.conversation_id), l.label.c_str(),
                static_cast<long long>(l.import_run_id));
  }
  return kExitOk;
}

int ListPeople(const DirectoryArgs& args) {
  auto custos = OpenData(args.data_dir, /*read_only=*/true);
  if (!custos.has_value()) {
    return Fail("directory list", custos.error());
  }
  auto people = (*custos)->directory().People();
  if (!people.has_value()) {
    return Fail("directory list", people.error());
  }
  if (args.json) {
    nlohmann::json out = nlohmann::json::array();
    for (const directory::KnownPerson& p : *people) {
      out.push_back({{"id", p.id},
                     {"name", p.name},
                     {"employee", p.employee},
                     {"group", p.group},
                     {"identities", p.identities}});
    }
    std::printf("%s\n", nlohmann::json{{"people", out}}
                            .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                            .c_str());
    return kExitOk;
  }
  if (people->empty()) {
    std::printf("no people in the directory (custos directory import people.csv)\n");
  }
  for (const directory::KnownPerson& p : *people) {
    std::string identities;
    for (const std::string& id : p.identities) {
      identities += (identities.empty() ? "" : ", ") + id;
    }
    std::printf("%lld  %s  %s%s%s  %s\n", static_cast<long long>(p.id), p.name.c_str(),
                p.employee ? "employee" : "external", p.group.empty() ? "" : " ", p.group.c_str(),
                identities.c_str());
  }
  return kExitOk;
}

}  // namespace

void RegisterDirectoryCommand(CLI::App& root, int* exit_code) {
  CLI::App* group =
      root.add_subcommand("directory", "The identity directory of employees (docs/directory.md)");
  group->require_subcommand(1);
  auto args = std::make_shared<DirectoryArgs>();
  CLI::App* import = group->add_subcommand(
      "import",
      "Add or update employees from people.csv or people.json (name, emails, phones, "
      "handles, group or desk, manager)");
  import->add_option("file", args->file, "people.csv or people.json")->required();
  AddDataOption(import, &args->data_dir);
  import->add_option("--region", args->region,
                     "ISO 3166 region for phone numbers written without a country code; default: "
                     "directory.default_region of DIR/custos.yaml, else GB");
  import->add_flag("--json", args->json, "Print {\"added\",\"updated\",\"identities\"}");
  import->callback([args, exit_code] { *exit_code = ImportPeople(*args);
});
CLI::App* labels =
    group->add_subcommand("labels", "Conversations labelled internal or external by imports");
AddDataOption(labels, &args->data_dir);
labels->add_option("--label", args->label, "Only internal or only external")
    ->check(CLI::IsMember({"internal", "external"}));
labels->add_flag("--json", args->json, "Print {\"conversations\":[...]}");
labels->callback([args, exit_code] { *exit_code = ListLabels(*args); });
CLI::App* list = group->add_subcommand("list", "The people of the directory and their identities");
AddDataOption(list, &args->data_dir);
list->add_flag("--json", args->json,
               "Print {\"people\":[{id, name, employee, group, identities}]}");
list->callback([args, exit_code] { *exit_code = ListPeople(*args); });
}  // namespace custos::cli

}  // namespace custos::cli
