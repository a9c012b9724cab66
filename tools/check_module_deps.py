#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks the module table (tools/module_deps.txt):
  1. no module under src/ includes a module it does not list, nor another module's internal/;
  2. every header in angle brackets is either the standard library, POSIX, or a third-party
     library named in THIRD_PARTY below, and a module includes a third-party library only when
     its row lists it (`lib@sub` confines it to src/<module>/<sub>/); an unknown header is an
     error, so a new dependency cannot slip in unlisted;
  3. the table is layered: a module lists only modules in rows above it;
  4. ARCHITECTURE.md's module table says the same as tools/module_deps.txt (modules, order,
     allowed modules and third-party libraries), so the two cannot drift.
Tests (*_test.cc) may also include test-support libraries (gtest, gmock) and any listed
third-party header (JSON for corpora, for example)."""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "src"
DEPS = ROOT / "tools" / "module_deps.txt"
ARCHITECTURE = ROOT / "ARCHITECTURE.md"

# Every third-party library custos uses: the key used in module_deps.txt, the include pattern,
# and the name ARCHITECTURE.md uses for it.
THIRD_PARTY = {
    "argon2": (re.compile(r"^argon2\.h$"), "libargon2"),
    "boost": (re.compile(r"^boost/"), "Boost.Asio/Beast"),
    "CLI": (re.compile(r"^CLI/"), "CLI11"),
    "expat": (re.compile(r"^expat(_external)?\.h$"), "expat"),
    "fmt": (re.compile(r"^fmt/"), "fmt"),
    "hs": (re.compile(r"^hs/|^hs\.h$"), "Vectorscan"),
    "httplib": (re.compile(r"^httplib\.h$"), "cpp-httplib"),
    "icu": (re.compile(r"^unicode/"), "ICU"),
    "nlohmann": (re.compile(r"^nlohmann/"), "nlohmann-json"),
    "openssl": (re.compile(r"^openssl/"), "OpenSSL"),
    "phonenumbers": (re.compile(r"^phonenumbers/"), "libphonenumber"),
    "qrencode": (re.compile(r"^qrencode\.h$"), "libqrencode"),
    "plist": (re.compile(r"^plist/"), "libplist"),
    "spdlog": (re.compile(r"^spdlog/"), "spdlog"),
    "sqlite3": (re.compile(r"^sqlite3\.h$"), "SQLite"),
    "yaml-cpp": (re.compile(r"^yaml-cpp/"), "yaml-cpp"),
    "zip": (re.compile(r"^zip(conf)?\.h$"), "libzip"),
}
TEST_ONLY = re.compile(r"^(gtest|gmock)/")
# The C++ standard library (<vector>, <cstdint>), POSIX and compiler intrinsics.
SYSTEM = re.compile(r"^[a-z_0-9]+$|^(sys|arpa|netinet)/[a-z_0-9]+\.h$|^[a-z]*intrin\.h$|"
                    r"^(unistd|fcntl|signal|pthread|stdlib|poll|pty|spawn|errno|netdb|dirent|"
                    r"termios|time|string|stdio|pwd)\.h$")
INCLUDE = re.compile(r'^\s*#\s*include\s*([<"])([^>"]+)[>"]')


def load_rules(errors):
    """module -> (allowed modules, {third-party key: subfolder or None}), in table order."""
    rules = {}
    for lineno, line in enumerate(DEPS.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        head, _, third = line.partition("|")
        name, _, deps = head.partition(":")
        libs = {}
        for item in third.split():
            lib, _, sub = item.partition("@")
            if lib not in THIRD_PARTY:
                errors.append(f"tools/module_deps.txt:{lineno}: unknown third-party library "
                              f"'{lib}' (add it to THIRD_PARTY in {pathlib.Path(__file__).name})")
            libs[lib] = sub or None
        rules[name.strip()] = (deps.split(), libs)
    return rules


def check_layers(rules, errors):
    seen = set()
    for module, (deps, _) in rules.items():
        for dep in deps:
            if dep not in rules:
                errors.append(f"tools/module_deps.txt: {module} lists unknown module '{dep}'")
            elif dep not in seen:
                errors.append(f"tools/module_deps.txt: {module} lists '{dep}', which is not in a "
                              "row above it (lower rows never include higher rows)")
        seen.add(module)


def architecture_table():
    """The rows of ARCHITECTURE.md's "Modules and allowed edges" table, in order."""
    text = ARCHITECTURE.read_text()
    section = text.split("## Modules and allowed edges", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 3 or cells[0] in ("module", "") or set(cells[0]) <= set("-: "):
            continue
        rows.append(cells)
    return rows


def names(cell):
    """`a, b (a note), c` -> [a, b, c]; "—" -> []."""
    cell = re.sub(r"\([^)]*\)", "", cell).replace("`", "")
    return [n.strip() for n in cell.split(",") if n.strip() and n.strip() != "—"]


def check_architecture(rules, errors):
    by_name = {display: key for key, (_, display) in THIRD_PARTY.items()}
    rows = architecture_table()
    order = [r[0] for r in rows]
    if order != list(rules):
        errors.append(f"ARCHITECTURE.md: the module table lists {order}, but "
                      f"tools/module_deps.txt lists {list(rules)} (same modules, same order)")
    for cells in rows:
        module, deps, third = cells[0], names(cells[1]), names(cells[2])
        if module not in rules:
            continue
        want_deps, want_libs = rules[module]
        if sorted(deps) != sorted(want_deps):
            errors.append(f"ARCHITECTURE.md: {module} may include {sorted(deps)}, but "
                          f"tools/module_deps.txt says {sorted(want_deps)}")
        libs = []
        for n in third:
            if n not in by_name:
                errors.append(f"ARCHITECTURE.md: {module}: unknown third-party name '{n}' "
                              f"(known: {', '.join(sorted(by_name))})")
            else:
                libs.append(by_name[n])
        if sorted(libs) != sorted(want_libs):
            errors.append(f"ARCHITECTURE.md: {module} may include third-party {sorted(libs)}, but "
                          f"tools/module_deps.txt says {sorted(want_libs)}")


def check_includes(rules, errors):
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".h", ".cc"):
            continue
        rel = path.relative_to(SRC)
        module = rel.parts[0]
        if module not in rules:
            errors.append(f"{path.relative_to(ROOT)}: module '{module}' is not in "
                          "tools/module_deps.txt")
            continue
        allowed, libs = rules[module]
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
                continue
            if SYSTEM.match(target) or (is_test and TEST_ONLY.match(target)):
                continue
            lib = next((k for k, (p, _) in THIRD_PARTY.items() if p.match(target)), None)
            if lib is None:
                errors.append(f"{where}: <{target}> is not a known library; name it in "
                              "THIRD_PARTY (tools/check_module_deps.py) and module_deps.txt")
            elif is_test:
                continue  # tests may use any listed library
            elif lib not in libs:
                errors.append(f"{where}: module '{module}' may not include <{target}>")
            elif libs[lib] and rel.parts[1:2] != (libs[lib],):
                errors.append(f"{where}: <{target}> belongs in src/{module}/{libs[lib]}/ only")


def main():
    errors = []
    rules = load_rules(errors)
    check_layers(rules, errors)
    check_architecture(rules, errors)
    check_includes(rules, errors)
    for e in errors:
        print(e, file=sys.stderr)
    if errors:
        print(f"check_module_deps: {len(errors)} violation(s)", file=sys.stderr)
        return 1
    print(f"check_module_deps: ok ({len(rules)} modules, {len(THIRD_PARTY)} third-party "
          "libraries, ARCHITECTURE.md agrees)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
