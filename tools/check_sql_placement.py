#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Checks that SQL lives only where ARCHITECTURE.md ("Storage and SQL") allows it:

  * src/storage/**            the storage contract, the adapters, the migrations;
  * src/<module>/sql/**       each module's data-access files, which own their tables' SQL;
  * *_test.cc and tests/      tests may set up and inspect tables directly (not scanned).

Everywhere else under src/ a finding is an error:
  * a string literal that holds SQL: an upper-case statement keyword (SELECT, INSERT, UPDATE,
    DELETE, REPLACE, CREATE, ALTER, DROP, PRAGMA, WITH) followed by the words that make it a
    statement (FROM, INTO, SET, TABLE, ...), or a clause fragment (WHERE, ORDER BY, GROUP BY,
    LIMIT ?, AND x = ?) that is spliced into one; raw strings tagged R"sql(;
  * a call of the storage::Transaction statement API (Execute, Query, QueryEach) through
    `tx.` / `tx->` / `txn` / `*tx` style receivers, i.e. running SQL outside a data-access file.
Comments are ignored. Prints each finding as path:line: reason, and a summary line.
(Issue 14 moved the last files that had SQL elsewhere; there is no list of exceptions.)
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "src"

STATEMENT = re.compile(
    r"\b(SELECT\b.*\bFROM|SELECT\s+(COUNT|MAX|MIN|SUM|COALESCE|EXISTS|1|\?|[a-z_]+\s*,)"
    r"|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|REPLACE\s+INTO"
    r"|CREATE\s+(TABLE|INDEX|VIRTUAL|UNIQUE|TEMP)|ALTER\s+TABLE|DROP\s+(TABLE|INDEX)"
    r"|PRAGMA\s+\w+|WITH\s+(RECURSIVE\s+)?\w+\s+AS\s*\()"
)
CLAUSE = re.compile(
    r"(^|\s)(WHERE|ORDER BY|GROUP BY|LEFT JOIN|JOIN|LIMIT \?|OFFSET \?|AND \w+(\.\w+)? (=|<|>|IN|IS)"
    r"|ON CONFLICT|RETURNING|VALUES \()(\s|$)"
)
STRING = re.compile(r'R"(\w*)\((.*?)\)\1"|"((?:[^"\\\n]|\\.)*)"', re.S)
TX_CALL = re.compile(r"\b(tx|txn|transaction|\(\*tx\)|\*tx)\s*(\.|->)\s*(Execute|Query|QueryEach)\s*\(")



def strip_comments(text):
    """Blanks // and /* */ comments (keeping newlines and string literals)."""
    out = []
    i = 0
    n = len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            j = text.find("\n", i)
            j = n if j < 0 else j
            i = j
            continue
        if text.startswith("/*", i):
            j = text.find("*/", i + 2)
            j = n if j < 0 else j + 2
            out.append("".join(ch if ch == "\n" else " " for ch in text[i:j]))
            i = j
            continue
        if text.startswith('R"', i) and (i == 0 or not (text[i - 1].isalnum() or text[i - 1] == "_")):
            m = re.compile(r'R"(\w*)\(').match(text, i)
            if m:
                end = text.find(")" + m.group(1) + '"', m.end())
                end = n if end < 0 else end + len(m.group(1)) + 2
                out.append(text[i:end])
                i = end
                continue
        if c == '"' or c == "'":
            j = i + 1
            while j < n and text[j] != c and text[j] != "\n":
                j += 2 if text[j] == "\\" else 1
            out.append(text[i : j + 1])
            i = j + 1
            continue
        out.append(c)
        i += 1
    return "".join(out)


def allowed(rel):
    parts = rel.parts
    if parts[0] == "storage":
        return True
    if len(parts) >= 3 and parts[1] == "sql":
        return True
    return rel.name.endswith("_test.cc")


def main():
    findings = []
    scanned = 0
    for path in sorted(SRC.rglob("*")):
        if path.suffix not in (".h", ".cc"):
            continue
        rel = path.relative_to(SRC)
        if allowed(rel):
            continue
        scanned += 1
        text = strip_comments(path.read_text(errors="replace"))
        for m in STRING.finditer(text):
            body = m.group(2) if m.group(2) is not None else m.group(3)
            line = text.count("\n", 0, m.start()) + 1
            if m.group(1) == "sql":
                findings.append((rel, line, 'an R"sql( raw string'))
            elif STATEMENT.search(body):
                findings.append((rel, line, f'SQL statement "{body.strip()[:50]}"'))
            elif CLAUSE.search(body):
                findings.append((rel, line, f'SQL fragment "{body.strip()[:50]}"'))
        for m in TX_CALL.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            findings.append((rel, line, f"runs SQL through the transaction ({m.group(3)})"))
    errors = sorted(set(findings))
    for rel, line, why in errors:
        print(f"src/{rel}:{line}: {why}: SQL belongs in src/<module>/sql/ (ARCHITECTURE.md)",
              file=sys.stderr)
    if errors:
        print(f"check_sql_placement: {len(errors)} error(s) ({scanned} files scanned)",
              file=sys.stderr)
        return 1
    print(f"check_sql_placement: ok ({scanned} files scanned; SQL only in src/storage/, "
          "src/<module>/sql/ and tests)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
