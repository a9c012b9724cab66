#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that no module under src/ includes a module above it (tools/module_deps.txt),
and that third-party headers are included only by the modules that wrap them."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
# Third-party include prefixes we police; anything else (std, gtest, benchmark) is free.
THIRD_PARTY = {
    "openssl": re.compile(r"^openssl/"),
    "sqlite3": re.compile(r"^sqlite3\.h$"),
    "httplib": re.compile(r"^httplib\.h$"),
    "nlohmann": re.compile(r"^nlohmann/"),
    "CLI": re.compile(r"^CLI/"),
    "spdlog": re.compile(r"^spdlog/"),
    "fmt": re.compile(r"^fmt/"),
    "boost": re.compile(r"^boost/"),
}
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def load_rules():
    rules = {}
    for line in (ROOT / "tools" / "module_deps.txt").read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        head, _, third = line.partition("|")
        name, _, deps = head.partition(":")
        rules[name.strip()] = (set(deps.split()), set(third.split()))
    return rules


def main():
    rules = load_rules()
    errors = []
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".h", ".cc"):
            continue
        module = path.relative_to(SRC).parts[0]
        if module not in rules:
            errors.append(f"{path.relative_to(ROOT)}: module '{module}' is not in tools/module_deps.txt")
            continue
        allowed, third = rules[module]
        is_test = path.name.endswith("_test.cc")
        for lineno, text in enumerate(path.read_text(errors="replace").splitlines(), 1):
            m = INCLUDE.match(text)
            if not m:
                continue
            kind, target = m.groups()
            where = f"{path.relative_to(ROOT)}:{lineno}"
            if kind == '"':
                other = target.split("/", 1)[0]
                if other == module or "/" not in target:
                    continue
                if other == "testing" and is_test:
                    continue
                if other not in allowed:
                    errors.append(f"{where}: module '{module}' may not include '{target}'")
                elif "/internal/" in target:
                    errors.append(f"{where}: reaches into another module's internal/ ('{target}')")
            elif not is_test:  # tests may use any test-support library (e.g. JSON for corpora)
                for lib, pattern in THIRD_PARTY.items():
                    if pattern.match(target) and lib not in third:
                        errors.append(f"{where}: module '{module}' may not include <{target}>")
                if target == "sqlite3.h" and "sqlite" not in path.parts[-2:-1]:
                    errors.append(f"{where}: <sqlite3.h> belongs in src/storage/sqlite/ only")
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"check_module_deps: {len(errors)} violation(s)", file=sys.stderr)
        return 1
    print("check_module_deps: ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
