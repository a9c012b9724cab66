#!/usr/bin/env python3
"""Writes a synthetic export of about SIZE_MB megabytes for the import benchmark
(bench/import_bench.sh): whatsapp (Android text), telegram (result.json), sms-backup (XML),
slack (a workspace export directory: users.json, channels.json, one YYYY-MM-DD.json per channel
and day) and imessage (a chat.db with the schema of tests/data/importers/imessage/chat.sql).
Deterministic (seeded); streams to the file, never holding it in memory.

usage: import_bench_gen.py FORMAT SIZE_MB OUT
"""
import json
import os
import random
import sqlite3
import sys
import time

WORDS = ("the figures for q4 are ready please confirm the trade before noon client call "
         "moved to tomorrow invoice attached thanks see you at the meeting price target "
         "revised lunch fund allocation approved").split()
PEOPLE = ["Anna Jones", "Bob Smith", "Carl Boss", "Dana White", "Eve Black"]


def text(rng):
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 30)))


def xml_escape(s):
    return s.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")


def slack(limit, out, rng):
    """OUT is a directory; channels.json is written last (it marks a complete export)."""
    os.makedirs(out, exist_ok=True)
    users = []
    for i, p in enumerate(PEOPLE):
        first = p.split()[0].lower()
        users.append({"id": "U%07d" % i, "name": first, "real_name": p,
                      "profile": {"real_name": p, "display_name": first,
                                  "email": first + "@example.com"}})
    with open(os.path.join(out, "users.json"), "w", encoding="utf-8") as f:
        json.dump(users, f)
    members = [u["id"] for u in users]
    channels = [{"id": "C%07d" % i, "name": name, "members": members}
                for i, name in enumerate(["general", "desk", "deals", "ops", "random"])]
    day, n, written = 1_700_006_400, 0, 0  # 2023-11-15 00:00 UTC
    while written < limit:
        for c in channels:
            folder = os.path.join(out, c["name"])
            os.makedirs(folder, exist_ok=True)
            msgs = []
            for offset in sorted(rng.sample(range(86_400_000_000), rng.randint(50, 400))):
                n += 1
                body = text(rng)
                if n % 10 == 0:
                    body = "<@%s> %s" % (rng.choice(members), body)
                msgs.append({"type": "message", "user": rng.choice(members), "text": body,
                             "ts": "%d.%06d" % (day + offset // 1_000_000, offset % 1_000_000)})
            path = os.path.join(folder, time.strftime("%Y-%m-%d.json", time.gmtime(day)))
            with open(path, "w", encoding="utf-8") as f:
                json.dump(msgs, f)
            written += os.path.getsize(path)
        day += 86_400
    with open(os.path.join(out, "channels.json"), "w", encoding="utf-8") as f:
        json.dump(channels, f)
    return n


def typed_stream(s):
    """attributedBody as macOS Ventura writes it (an NSArchiver NSAttributedString)."""
    b = s.encode()
    head = (b"\x04\x0bstreamtyped\x81\xe8\x03\x84\x01@\x84\x84\x84\x12NSAttributedString"
            b"\x00\x84\x84\x08NSObject\x00\x85\x92\x84\x84\x84\x08NSString\x01\x94\x84\x01+")
    size = bytes([len(b)]) if len(b) < 0x80 else bytes([0x81, len(b) & 0xFF, len(b) >> 8])
    return head + size + b + b"\x86\x84\x02iI\x01\x05\x92\x84\x84\x84\x0cNSDictionary\x00\x94"


def imessage(limit, out, rng):
    """OUT is a chat.db: the tables of tests/data/importers/imessage/chat.sql, five one-to-one
    chats; a third of the bodies only in attributedBody; nanosecond dates."""
    if os.path.exists(out):
        os.remove(out)
    fixture = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data",
                           "importers", "imessage", "chat.sql")
    with open(fixture, encoding="utf-8") as f:
        schema = f.read().split("INSERT INTO")[0]
    db = sqlite3.connect(out + ".tmp")
    db.executescript(schema)
    for i in range(5):
        phone = "+4477009000%02d" % i
        db.execute("INSERT INTO handle (ROWID, id, service) VALUES (?, ?, 'iMessage')", (i + 1, phone))
        db.execute("INSERT INTO chat (ROWID, guid, chat_identifier, service_name) "
                   "VALUES (?, ?, ?, 'iMessage')", (i + 1, "iMessage;-;" + phone, phone))
        db.execute("INSERT INTO chat_handle_join VALUES (?, ?)", (i + 1, i + 1))
    t, n = 700_000_000 * 10**9, 0
    while os.path.getsize(out + ".tmp") < limit:
        rows, joins = [], []
        for _ in range(5_000):
            n += 1
            t += rng.randint(1, 90) * 10**9
            chat, body = rng.randint(1, 5), text(rng)
            plain = n % 3 != 0
            rows.append((n, "BENCH-%d" % n, body if plain else None,
                         None if plain else typed_stream(body), chat, t, rng.randint(0, 1)))
            joins.append((chat, n, t))
        db.executemany("INSERT INTO message (ROWID, guid, text, attributedBody, handle_id, date, "
                       "is_from_me, service) VALUES (?, ?, ?, ?, ?, ?, ?, 'iMessage')", rows)
        db.executemany("INSERT INTO chat_message_join VALUES (?, ?, ?)", joins)
        db.commit()
    db.close()
    os.replace(out + ".tmp", out)
    return n


def main():
    fmt, size_mb, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    limit = size_mb * 1024 * 1024
    rng = random.Random(42)
    if fmt in ("slack", "imessage"):
        print((slack if fmt == "slack" else imessage)(limit, out, rng))
        return
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
