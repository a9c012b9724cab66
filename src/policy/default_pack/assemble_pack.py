#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Assembles the default policy pack in the build tree (src/policy/default_pack/CMakeLists.txt).

  assemble_pack.py --source policies/default --lexicon node_modules/naughty-words \
                   --exclude src/policy/default_pack/lexicon_exclude.txt --out BUILD/policies/default

The output is a copy of the source pack in which every lists/offensive/<lang>.txt (the
hand-curated seed) is followed by the terms of the maintained lexicon for that language
(naughty-words: LDNOOBW, one JSON array per language), filtered as docs/policy-language.md §2.2.1
describes:
  1. terms are trimmed and lower-cased; duplicates (also of the seed) are dropped;
  2. a term whose first or last character is list syntax (`*`) or that has no letter is dropped;
  3. a term without CJK characters needs at least MIN_LATIN letters ("ass", "con", "pot" are
     ordinary words or parts of them in some language of the pack); a CJK term needs at least
     MIN_CJK characters, because CJK terms match as substrings;
  4. a term listed in the exclusion file (ordinary words in a business chat, in that language or
     in another language of the pack, e.g. fr "bitte" = de "please", pt "comer" = "to eat",
     nl "aftrekken" = "to subtract") is dropped.
The output directory is replaced as a whole (written next to it, then renamed), so it never holds
a half-written pack.
"""
import argparse
import json
import os
import shutil
import sys
import unicodedata

MIN_LATIN = 4
MIN_CJK = 2
LANGUAGES = ["en", "de", "fr", "es", "it", "nl", "pt", "zh"]
SETUP = "tools/install-deps.sh"


def is_cjk(ch):
    cp = ord(ch)
    return (0x2E80 <= cp <= 0x9FFF or 0xAC00 <= cp <= 0xD7AF or 0xF900 <= cp <= 0xFAFF
            or 0x3040 <= cp <= 0x30FF or 0x0E00 <= cp <= 0x0E7F or 0x20000 <= cp <= 0x3FFFF)


def read_exclusions(path):
    excluded = {}
    with open(path, encoding="utf-8") as f:
        for number, line in enumerate(f, 1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            lang, _, term = line.partition(" ")
            if lang not in LANGUAGES and lang != "*" or not term.strip():
                sys.exit(f"{path}:{number}: expected '<lang> <term>' with lang in "
                         f"{', '.join(LANGUAGES)} or '*'")
            excluded.setdefault(lang, set()).add(term.strip().lower())
    return excluded


def read_terms(path):
    with open(path, encoding="utf-8") as f:
        return [l.strip() for l in f if l.strip() and not l.lstrip().startswith("#")]


def keep(term, excluded, lang):
    if term[0] == "*" or term[-1] == "*":
        return "list syntax"
    letters = [c for c in term if unicodedata.category(c).startswith("L")]
    if not letters:
        return "no letter"
    if any(is_cjk(c) for c in term):
        if len(term.replace(" ", "")) < MIN_CJK:
            return "too short"
    elif len(letters) < MIN_LATIN:
        return "too short"
    if term in excluded.get(lang, set()) or term in excluded.get("*", set()):
        return "excluded"
    return None


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--source", required=True)
    p.add_argument("--lexicon", required=True)
    p.add_argument("--exclude", required=True)
    p.add_argument("--out", required=True)
    a = p.parse_args()

    package_json = os.path.join(a.lexicon, "package.json")
    if not os.path.isfile(package_json):
        sys.exit(f"custos: the offensive-language lexicon is not installed ({package_json} is "
                 f"missing).\nRun {SETUP} (it runs `npm ci` at the repository root), then build again.")
    with open(package_json, encoding="utf-8") as f:
        meta = json.load(f)
    excluded = read_exclusions(a.exclude)

    tmp = a.out + ".tmp"
    shutil.rmtree(tmp, ignore_errors=True)
    shutil.copytree(a.source, tmp)
    report = []
    for lang in LANGUAGES:
        seed_path = os.path.join(tmp, "lists", "offensive", lang + ".txt")
        seed = read_terms(seed_path) if os.path.exists(seed_path) else []
        seen = {t.lower() for t in seed}
        with open(os.path.join(a.lexicon, lang + ".json"), encoding="utf-8") as f:
            raw = json.load(f)
        kept, dropped = [], {}
        for term in raw:
            term = " ".join(unicodedata.normalize("NFC", term).split()).lower()
            if not term or term in seen:
                continue
            reason = keep(term, excluded, lang)
            if reason:
                dropped[reason] = dropped.get(reason, 0) + 1
                continue
            seen.add(term)
            kept.append(term)
        with open(seed_path, "a", encoding="utf-8") as f:
            f.write(f"\n# Generated at build time from {meta['name']} {meta['version']} "
                    f"({meta.get('license', '?')}), {lang}.json: {len(kept)} of {len(raw)} terms "
                    f"kept, dropped {json.dumps(dropped, sort_keys=True)}.\n")
            f.writelines(t + "\n" for t in kept)
        report.append(f"{lang}: {len(seed)} seed + {len(kept)}/{len(raw)} lexicon")
    with open(os.path.join(tmp, "lists", "offensive", "GENERATED"), "w", encoding="utf-8") as f:
        f.write(f"{meta['name']} {meta['version']}\n" + "\n".join(report) + "\n")
    shutil.rmtree(a.out, ignore_errors=True)
    os.replace(tmp, a.out)
    print("custos default pack: " + "; ".join(report))


if __name__ == "__main__":
    main()
