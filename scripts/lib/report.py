"""Evaluates the checks recorded by scripts/lib/common.sh.

Usage: python3 report.py CHECKS_FILE

Each line of CHECKS_FILE is NAME, WANT_STATUS, STATUS, BODY_FILE,
HEADERS_FILE and a Python expression, tab-separated. A check passes when the
status is the wanted one and the expression is true; it sees j (decoded JSON
or None), raw (the body text), h (lower-cased headers), nd (NDJSON objects or
None), ev (SSE events as (event_name, data_text) pairs) and json. Prints
PASS/FAIL per check and exits 1 when any failed.
"""

import json
import sys


def ndjson(text):
    return [json.loads(l) for l in text.splitlines() if l.strip()]


def sse(text):
    events, name, data = [], None, []
    for line in text.splitlines() + [""]:
        if line == "":
            if data:
                events.append((name, "\n".join(data)))
            name, data = None, []
        elif line.startswith(":"):
            continue
        elif line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data.append(line[5:].lstrip(" "))
    return events


def headers_of(path):
    h = {}
    with open(path, encoding="latin-1") as f:
        for line in f:
            if ":" in line:
                k, v = line.split(":", 1)
                h[k.strip().lower()] = v.strip()
    return h


def main(path):
    with open(path, encoding="utf-8") as f:
        records = f.read().splitlines()
    failed = 0
    for rec in records:
        name, want, status, body, headers, expr = rec.split("\t", 5)
        with open(body, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        env = {"raw": raw, "h": headers_of(headers), "json": json, "ev": sse(raw)}
        try:
            env["j"] = json.loads(raw)
        except ValueError:
            env["j"] = None
        try:
            env["nd"] = ndjson(raw)
        except ValueError:
            env["nd"] = None
        why = ""
        if status != want:
            ok, why = False, "want status %s" % want
        else:
            try:
                ok = bool(eval(expr, env))
            except Exception as e:  # a missing key is a failed check, not a crash
                ok, why = False, "check raised %r" % (e,)
        if ok:
            print("PASS  " + name)
            continue
        failed += 1
        print("FAIL  %s%s" % (name, " (%s)" % why if why else ""))
        print("      status=%s body: %s" % (status, raw[:600].replace("\n", "|")))
    print("----")
    print("checks: %d  failed: %d" % (len(records), failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
