#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""The clang thread-safety gate: every translation unit under src/ is checked by
`clang++ -fsyntax-only -Wthread-safety -Werror`, with the flags of a configured build's
compile_commands.json (gcc-only warning flags dropped; only the thread-safety warnings and
clang's default ones are on, so the gate says one thing). -fsyntax-only generates no code, so the
gate costs a parse of each file. core/mutex.h and core/thread_annotations.h say what is checked.

  tools/check_thread_safety.py [--build-dir build/ci] [-j N] [--self-test] [FILE...]

Only translation units that include core/thread_annotations.h (directly or through another
custos header, such as core/mutex.h) are parsed: without a capability type in sight the analysis
has nothing to check, so the others cannot fail. --all parses every unit anyway.

--self-test compiles tools/thread_safety_canary.cc, which touches guarded members without their
mutex, and fails unless clang rejects it with the expected warnings: proof the gate can fail.
"""
import argparse
import concurrent.futures
import json
import os
import pathlib
import re
import shlex
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
CANARY = ROOT / "tools" / "thread_safety_canary.cc"
FLAGS = ["-fsyntax-only", "-Wthread-safety", "-Werror"]


def find_clang():
    for name in ("clang++-14", "clang++"):
        path = shutil.which(name)
        if path:
            return path
    return None


def clang_args(command):
    """The compile command's -D, -I, -isystem and -std flags (no warnings, no codegen)."""
    args = shlex.split(command)[1:]
    keep = []
    i = 0
    while i < len(args):
        a = args[i]
        if a in ("-o", "-c", "-MF", "-MT", "-MQ"):
            i += 2
            continue
        if a in ("-isystem", "-include", "-iquote"):
            keep += [a, args[i + 1]]
            i += 2
            continue
        if a.startswith(("-D", "-I", "-std=", "-isystem")):
            keep.append(a)
        i += 1
    return keep


QUOTED = re.compile(r'^\s*#\s*include\s*"([^"]+)"', re.M)


def annotated_units(paths):
    """The paths whose custos include closure reaches core/thread_annotations.h."""
    src = ROOT / "src"
    memo = {}

    def reaches(path, stack):
        if path in memo:
            return memo[path]
        if path in stack:
            return False
        stack.add(path)
        try:
            text = path.read_text(errors="replace")
        except OSError:
            text = ""
        found = False
        for inc in QUOTED.findall(text):
            if inc == "core/thread_annotations.h":
                found = True
                break
            target = src / inc
            if target.exists() and reaches(target, stack):
                found = True
                break
        stack.discard(path)
        memo[path] = found
        return found

    return {p for p in paths if reaches(pathlib.Path(p), set())}


def run(clang, directory, args, path):
    cmd = [clang] + FLAGS + args + [path]
    proc = subprocess.run(cmd, cwd=directory, capture_output=True, text=True)
    return path, proc.returncode, proc.stderr


def self_test(clang, base_args):
    _, rc, err = run(clang, ROOT, base_args, str(CANARY))
    expected = ["reading variable 'count_' requires holding mutex 'mu_'",
                "writing variable 'count_' requires holding mutex 'mu_'",
                "calling function 'BumpLocked' requires holding mutex 'mu_'"]
    missing = [e for e in expected if e not in err]
    if rc == 0 or missing:
        print(err, file=sys.stderr)
        print(f"check_thread_safety: the canary {CANARY.relative_to(ROOT)} was not rejected as "
              f"expected (exit {rc}, missing: {missing})", file=sys.stderr)
        return 1
    print(f"check_thread_safety: self-test ok (the canary fails with {err.count('error:')} errors)")
    return 0


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", default=str(ROOT / "build" / "ci"))
    parser.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--self-test", action="store_true")
    parser.add_argument("--all", action="store_true", help="parse every unit, annotated or not")
    parser.add_argument("files", nargs="*")
    opts = parser.parse_args()
    clang = find_clang()
    if clang is None:
        print("check_thread_safety: clang++ not found (apt-get install clang)", file=sys.stderr)
        return 1
    db_path = pathlib.Path(opts.build_dir) / "compile_commands.json"
    if not db_path.exists():
        print(f"check_thread_safety: {db_path} is missing; configure first "
              "(cmake --preset ci)", file=sys.stderr)
        return 1
    src = str(ROOT / "src") + os.sep
    wanted = {str(pathlib.Path(f).resolve()) for f in opts.files}
    jobs = []
    for entry in json.loads(db_path.read_text()):
        path = str(pathlib.Path(entry["directory"], entry["file"]).resolve())
        if not path.startswith(src) or (wanted and path not in wanted):
            continue
        jobs.append((entry["directory"], clang_args(entry.get("command") or
                                                     shlex.join(entry["arguments"])), path))
    if not jobs:
        print("check_thread_safety: no translation units under src/ in " + str(db_path),
              file=sys.stderr)
        return 1
    if opts.self_test:
        return self_test(clang, jobs[0][1])
    total = len(jobs)
    if not opts.all:
        keep = annotated_units([j[2] for j in jobs])
        jobs = [j for j in jobs if j[2] in keep]
    start = time.monotonic()
    failed = 0
    with concurrent.futures.ThreadPoolExecutor(opts.jobs) as pool:
        for path, rc, err in pool.map(lambda j: run(clang, *j), jobs):
            if rc != 0:
                failed += 1
                sys.stderr.write(err)
    seconds = time.monotonic() - start
    if failed:
        print(f"check_thread_safety: {failed} of {len(jobs)} files fail", file=sys.stderr)
        return 1
    print(f"check_thread_safety: ok ({len(jobs)} of {total} files include the annotations; "
          f"{seconds:.0f} s, -j{opts.jobs})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
