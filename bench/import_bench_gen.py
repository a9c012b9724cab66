#!/usr/bin/env python3
"""Writes a synthetic export of about SIZE_MB megabytes for the import benchmark
(bench/import_bench.sh): whatsapp (Android text), telegram (result.json), sms-backup (XML).
Deterministic (seeded); streams to the file, never holding it in memory.

usage: import_bench_gen.py FORMAT SIZE_MB OUT
"""
import random
import sys

WORDS = ("the figures for q4 are ready please confirm the trade before noon client call "
         "moved to tomorrow invoice attached thanks see you at the meeting price target "
         "revised lunch fund allocation approved").split()
PEOPLE = ["Anna Jones", "Bob Smith", "Carl Boss", "Dana White", "Eve Black"]


def text(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30)))


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def main():
    fmt, size_mb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    limit = size_mb * 1024 * 1024
    rng = random.Random(42)
    t = 1_700_000_000  # seconds
    n = 0
    written = 0
    with open(out, "w", encoding="utf-8", newline="\n") as f:
        def w(s):
            nonlocal written
            f.write(s)
            written += len(s)
        if fmt == "telegram":
            w('{\n "name": "Bench", "type": "personal_chat", "id": 4242,\n "messages": [\n')
        elif fmt == "sms-backup":
            w("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>\n<smses count=\"0\">\n")
        while written < limit:
            t += rng.randint(1, 90)
            n += 1
            body = text(rng)
            if fmt == "whatsapp":
                import time
                tm = time.gmtime(t)
                w("%02d/%02d/%04d, %02d:%02d - %s: %s\n" % (tm.tm_mday, tm.tm_mon, tm.tm_year,
                                                          tm.tm_hour, tm.tm_min,
                                                          rng.choice(PEOPLE), body))
                if n % 50 == 0:
                    w("a second line of the same message\n")
            elif fmt == "telegram":
                sep = "" if n == 1 else ",\n"
                who = rng.randint(0, 4)
                w('%s  {"id": %d, "type": "message", "date": "x", "date_unixtime": "%d", '
                  '"from": "%s", "from_id": "user%d", "text": "%s"}' % (
                      sep, n, t, PEOPLE[who], 1000 + who, body))
            elif fmt == "sms-backup":
                w('  <sms protocol="0" address="+4477009%05d" date="%d000" type="%d" '
                  'body="%s" read="1" />\n' % (rng.randint(0, 99), t, rng.randint(1, 2),
                                               xml_escape(body)))
            else:
                sys.exit("unknown format " + fmt)
        if fmt == "telegram":
            w("\n ]\n}\n")
        elif fmt == "sms-backup":
            w("</smses>\n")
    print(n)


if __name__ == "__main__":
    main()
