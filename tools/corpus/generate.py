#!/usr/bin/env python3
"""Writes the bad-input corpus under tests/corpus/ (issue 9, point 5). Python 3 standard library only.

Every case is one malformed input (a file under tests/corpus/files/, or a bad option value) run through one command.
The manifest tests/corpus/cases.json holds one case per line:
  id       unique name (also the name of the case's file, so the message names it)
  kind     the file kind or option family mutated (csv-long, csv-wide, csv-single, json, text, tsv, digits-csv, gzip,
           safetensors-forecaster, safetensors-langid, safetensors-generate, option)
  args     the command line; {in} and {in2} are the case's input files (copied into a fresh folder first), {out} a path
           in that folder that must not exist afterwards, {missing} a file there that does not exist (missing.file)
  inputs   files of tests/corpus (relative) copied into the folder, in the order {in}, {in2}
  exit     2 for a usage or data error, 1 for a runtime or I/O failure
  expect   substrings the one-line message must all contain (the file name, the line, the column, tensor or flag)
  pending  "" or the branch whose fix the case waits for (data, models, settings); the test skips it until merged
  note     what was mutated

The base model files (tests/corpus/base/*.safetensors) are made by the built CLI with tiny settings when missing
(--cli PATH or the Release build under src/Hindsight.Cli/bin); they are committed, so the corpus is regenerated
byte-for-byte from them: run `python3 tools/corpus/generate.py` after changing this script and commit the result.
"""
import argparse
import gzip
import json
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(ROOT, "tests", "corpus")
FILES = os.path.join(CORPUS, "files")
BASE = os.path.join(CORPUS, "base")

cases = []
ids = set()

# Which known bug each pending case waits for (filled after running the corpus on main; see the report of issue 9).
PENDING = {}


def add(cid, kind, args, expect, exit_code=2, inputs=(), note="", pending=""):
    assert cid not in ids, cid
    ids.add(cid)
    cases.append({"id": cid, "kind": kind, "args": list(args), "inputs": list(inputs), "exit": exit_code,
                  "expect": list(expect), "pending": PENDING.get(cid, pending), "note": note})


def write(name, data):
    if isinstance(data, str):
        data = data.encode("utf-8")
    with open(os.path.join(FILES, name), "wb") as f:
        f.write(data)
    return "files/" + name


# ----------------------------------------------------------------------------------------------------------------------
# Valid bases
# ----------------------------------------------------------------------------------------------------------------------
def months(n, start=2000):
    return [f"{start + i // 12}-{i % 12 + 1:02d}-01" for i in range(n)]


def value(i, s=0):
    return f"{100 + 10 * math.sin(i / 2 + s) + i:.2f}"


N = 36
SINGLE_ROWS = [["date", "value"]] + [[d, value(i)] for i, d in enumerate(months(N))]
LONG_ROWS = [["series", "date", "value"]] + [[s, d, value(i, k)] for k, s in enumerate(["a", "b"]) for i, d in enumerate(months(N))]
WIDE_ROWS = [[""] + [d[:7] for d in months(N)]] + [[str(k)] + [value(i, k) for i in range(N)] for k in range(3)]


def csv(rows):
    return "".join(",".join(r) + "\n" for r in rows)


def records(rows):
    head = rows[0]
    out = []
    for r in rows[1:]:
        rec = {}
        for h, v in zip(head, r):
            rec[h] = float(v) if h == "value" else v
        out.append(rec)
    return out


def json_text(recs):
    return "[\n" + ",\n".join(json.dumps(r) for r in recs) + "\n]\n"


DIGITS_ROWS = [[str((i * 7 + j * 3) % 17) for j in range(16)] + [str(i % 3)] for i in range(30)]
TSV_LINES = ["language\tword"] + [f"{lang}\t{w}" for lang, words in
                                   [("English", ["house", "water", "bread", "light", "green", "stone"]),
                                    ("German", ["hausen", "wasser", "brot", "licht", "gruen", "stein"])] for w in words]
TEXT = "The quick brown fox jumps over the lazy dog. " * 40

# Fast settings per command, so a case that is wrongly accepted still ends in seconds.
FC_FAST = ["--models", "naive", "--horizon", "3", "--quiet"]
DATA_COMMANDS = {
    "evaluate": lambda: ["evaluate", "--data", "{in}"] + FC_FAST + ["--out", "{out}"],
    "backtest": lambda: ["backtest", "--data", "{in}", "--models", "naive", "--horizon", "3", "--origins", "2", "--quiet", "--out", "{out}"],
    "train": lambda: ["train", "--data", "{in}", "--model", "naive", "--horizon", "3", "--quiet", "--model-file", "{out}"],
    "forecast": lambda: ["forecast", "--data", "{in}", "--model", "naive", "--horizon", "3", "--quiet", "--out", "{out}"],
}
LESSON = ["lesson", "--data", "{in}", "--epochs", "1", "--seq-length", "3", "--batch-rows", "2", "--quiet", "--out", "{out}"]
DIGITS = ["digits", "--data", "{in}", "--epochs", "1"]
LANGID_TRAIN = ["langid", "train", "--data", "{in}", "--epochs", "1", "--hidden", "2", "--quiet", "--out", "{out}"]
GEN_TRAIN = ["generate", "train", "--data", "{in}", "--epochs", "1", "--hidden", "2", "--seq-length", "8", "--quiet", "--out", "{out}"]


def data_command(i):
    names = list(DATA_COMMANDS)
    return names[i % len(names)], DATA_COMMANDS[names[i % len(names)]]()


# ----------------------------------------------------------------------------------------------------------------------
# Series files (CSV long / wide / single, JSON)
# ----------------------------------------------------------------------------------------------------------------------
BAD_NUMBERS = [("abc", "abc"), ("inf", "inf"), ("neginf", "-inf"), ("nan", "nan"), ("NaN", "NaN"), ("huge", "1e999"),
               ("nul", "1\x002"), ("ctrl", "1\x07"), ("tab", "\t"), ("comma-decimal", "1,5"), ("hex", "0x10"),
               ("two-dots", "1.2.3"), ("plus-minus", "+-3"), ("infinity", "Infinity"), ("space-inside", "1 2"),
               ("unicode-minus", "\u22123"), ("fullwidth-digit", "\uff13")]
BAD_DATES = [("month13", "2001-13-01"), ("day32", "2001-01-32"), ("feb30", "2001-02-30"), ("text", "yesterday"),
             ("year0", "0000-01-01"), ("slashes-garbage", "01//2001"), ("nul", "2001-01\x00-01"), ("ctrl", "2001-01-01\x1b"),
             ("year-huge", "99999-01-01")]


def series_cases():
    n = 0
    layouts = {"csv-single": (SINGLE_ROWS, 1, 1), "csv-long": (LONG_ROWS, 2, 1)}  # (rows, value column, date column)
    for kind, (rows, vcol, dcol) in layouts.items():
        vi = rows[0].index("value")
        di = rows[0].index("date")
        for name, bad in BAD_NUMBERS:
            for line in (2, 17):
                r = [list(x) for x in rows]
                r[line - 1][vi] = bad if "," not in bad else f'"{bad}"'
                cid = f"{kind}-num-{name}-l{line}"
                cmd, args = data_command(n); n += 1
                f = write(cid + ".csv", csv(r))
                add(cid, kind, args, [cid + ".csv:" + str(line)], inputs=[f], note=f"value cell on line {line} is {bad!r} ({cmd})")
        for name, bad in BAD_DATES:
            r = [list(x) for x in rows]
            r[5][di] = bad
            cid = f"{kind}-date-{name}"
            cmd, args = data_command(n); n += 1
            f = write(cid + ".csv", csv(r))
            add(cid, kind, args, [cid + ".csv:6"], inputs=[f], note=f"date on line 6 is {bad!r} ({cmd})")
        # duplicate time, missing value, missing date, column count, missing columns
        r = [list(x) for x in rows]; r[9][di] = r[8][di]
        structural = [
            ("dup-time", csv(r), [":10"], "line 10 repeats the date of line 9"),
        ]
        r = [list(x) for x in rows]; r[6][vi] = ""
        structural.append(("empty-value", csv(r), [":7"], "value on line 7 empty (fill error)"))
        r = [list(x) for x in rows]; del r[12]
        structural.append(("missing-period", csv(r), [], "one month left out (fill error)"))
        r = [list(x) for x in rows]; r[4] = r[4][:-1]
        structural.append(("short-row", csv(r), [":5"], "line 5 lacks its last column"))
        r = [list(x) for x in rows]; r[4] = r[4] + ["7"]
        structural.append(("long-row", csv(r), [":5"], "line 5 has an extra column"))
        r = [[c for j, c in enumerate(x) if j != vi] for x in rows]
        if kind == "csv-long":
            structural.append(("no-value-column", csv(r), [], "value column removed"))
        r = [[c for j, c in enumerate(x) if j != di] for x in rows]
        structural.append(("no-date-column", csv(r), [], "date column removed"))
        r = [list(x) for x in rows]; r[0][vi] = "VALUE2"
        structural.append(("value-column-renamed", csv([r[0] + ["other"]] + [x + ["1"] for x in r[1:]]), [], "no column called value, two candidates"))
        structural.append(("header-only", csv(rows[:1]), [], "header, no rows"))
        structural.append(("one-row", csv(rows[:2]), [], "a single data row"))
        structural.append(("empty", "", [], "empty file"))
        structural.append(("bom-only", b"\xef\xbb\xbf", [], "only a UTF-8 byte order mark"))
        structural.append(("blank-lines", "\n\n\n", [], "blank lines only"))
        lat = [list(x) for x in rows]
        if kind == "csv-long":
            lat[3][0] = "caf\xe9"
            data = csv(lat).encode("utf-8").replace("caf\xe9".encode("utf-8"), b"caf\xe9")
            structural.append(("latin1-id", data, [":4"], "series id with a Latin-1 byte (invalid UTF-8)"))
        else:
            data = csv(lat).encode("utf-8").replace(b"date,value", b"date,val\xe9ur", 1)
            structural.append(("latin1-header", data, [":1"], "header with a Latin-1 byte (invalid UTF-8)"))
        structural.append(("unterminated-quote", csv(rows).replace(rows[3][vi], '"' + rows[3][vi], 1), [], "a quote that never closes"))
        structural.append(("binary", bytes(range(256)) * 4, [], "binary garbage"))
        r = [list(x) for x in rows]; r[7][di] = r[7][di][:7] + "-15"
        structural.append(("irregular-day", csv(r), [], "one date on another day of the month"))
        for name, text, where, note in structural:
            cid = f"{kind}-{name}"
            cmd, args = data_command(n); n += 1
            if name in ("one-row", "header-only"):
                cmd, args = "evaluate", DATA_COMMANDS["evaluate"]()
            f = write(cid + ".csv", text)
            add(cid, kind, args, [cid + ".csv" + (where[0] if where else "")], inputs=[f], note=note + f" ({cmd})")
        # integer periods near the limits of long
        for name, periods in [("period-min-long-dup", ["-9223372036854775808", "-9223372036854775807", "-9223372036854775807"]),
                              ("period-max-long-dup", ["9223372036854775805", "9223372036854775807", "9223372036854775807"]),
                              ("period-overflow", ["9223372036854775808", "9223372036854775809", "9223372036854775810"]),
                              ("period-span-huge", ["0", "1", "4611686018427387904"]),
                              ("period-span-both-ends", ["-9223372036854775808", "0", "9223372036854775807"]),
                              ("period-mixed-with-date", ["1", "2000-01-01", "3"])]:
            body = [rows[0][:]]
            body[0][di] = "period"
            for p in periods:
                for s in (["a"] if kind == "csv-long" else [None]):
                    row = [s, p, "1.5"] if kind == "csv-long" else [p, "1.5"]
                    body.append([c for c in row if c is not None])
            cid = f"{kind}-{name}"
            cmd, args = data_command(n); n += 1
            f = write(cid + ".csv", csv(body))
            add(cid, kind, args, [cid + ".csv"], inputs=[f], note=f"integer periods {periods} ({cmd})")

    # wide table (evaluate and lesson read it)
    for name, bad in BAD_NUMBERS:
        r = [list(x) for x in WIDE_ROWS]
        r[2][5] = bad if "," not in bad else f'"{bad}"'
        cid = f"csv-wide-num-{name}"
        f = write(cid + ".csv", csv(r))
        args = LESSON if len(cid) % 2 else DATA_COMMANDS["evaluate"]()
        add(cid, "csv-wide", args, [cid + ".csv:3"], inputs=[f], note=f"cell (3, 6) is {bad!r}")
    wide_struct = []
    r = [list(x) for x in WIDE_ROWS]; r[2][7] = ""
    wide_struct.append(("empty-cell", csv(r), ":3", "an empty cell on line 3"))
    r = [list(x) for x in WIDE_ROWS]; r[3] = r[3][:-2]
    wide_struct.append(("short-row", csv(r), ":4", "line 4 has two cells fewer"))
    r = [list(x) for x in WIDE_ROWS]; r[1] = r[1] + ["3"]
    wide_struct.append(("long-row", csv(r), ":2", "line 2 has an extra cell"))
    r = [list(x) for x in WIDE_ROWS]; r[0][4] = r[0][3]
    wide_struct.append(("dup-header-date", csv(r), "", "two columns with the same month"))
    wide_struct.append(("header-only", csv(WIDE_ROWS[:1]), "", "no rows"))
    wide_struct.append(("empty", "", "", "empty file"))
    wide_struct.append(("bom-only", b"\xef\xbb\xbf", "", "BOM only"))
    wide_struct.append(("latin1-label", csv(WIDE_ROWS).encode().replace(b"\n1,", b"\n\xe91,", 1), ":3", "row label with a Latin-1 byte"))
    r = [list(x) for x in WIDE_ROWS]; r[2][3] = "1\x002"
    wide_struct.append(("nul-cell", csv(r), ":3", "NUL inside a cell"))
    for k, (name, text, where, note) in enumerate(wide_struct):
        for cmd, args in (("lesson", LESSON), ("evaluate", DATA_COMMANDS["evaluate"]())):
            cid = f"csv-wide-{name}-{cmd}"
            f = write(cid + ".csv", text)
            add(cid, "csv-wide", args, [cid + ".csv" + where], inputs=[f], note=note + f" ({cmd})")
    # lesson: too short for its window
    r = [x[:3] for x in WIDE_ROWS]
    cid = "csv-wide-too-short-lesson"
    f = write(cid + ".csv", csv(r))
    add(cid, "csv-wide", LESSON, [cid + ".csv"], inputs=[f], note="2 periods, window of 3")

    # JSON
    recs = records(LONG_ROWS)
    good = json_text(recs)
    json_cases = []
    for cut in (1, 2, 10, 50, len(good) // 3, len(good) // 2, len(good) - 40, len(good) - 3):
        json_cases.append((f"trunc-{cut}", good[:cut], "", f"truncated after {cut} bytes"))
    for name, bad in [("string-abc", "\"abc\""), ("string-num", "\"12\""), ("true", "true"), ("object", "{}"), ("array", "[1]"),
                      ("huge", "1e999"), ("neg-huge", "-1e999"), ("nan-token", "NaN"), ("float-overflow", "3.5e38")]:
        text = good.replace('"value": ' + str(recs[4]["value"]), '"value": ' + bad, 1)
        json_cases.append((f"value-{name}", text, ":6" if name == "nan-token" else ":5", f"record 5 value is {bad}"))
    r2 = [dict(x) for x in recs]; r2[7]["date"] = "2001-13-01"
    json_cases.append(("bad-date", json_text(r2), ":8", "record 8 date month 13"))
    r2 = [dict(x) for x in recs]; r2[7]["date"] = r2[6]["date"]
    json_cases.append(("dup-date", json_text(r2), ":8", "record 8 repeats record 7's date"))
    r2 = [dict(x) for x in recs]; del r2[9]["date"]
    json_cases.append(("missing-field", json_text(r2), ":10", "record 10 has no date"))
    r2 = [dict(x) for x in recs]; r2[9]["value"] = None
    json_cases.append(("null-value", json_text(r2), ":10", "record 10 value null (fill error)"))
    r2 = [dict(x) for x in recs]; r2[3]["series"] = ""
    json_cases.append(("empty-id", json_text(r2), ":4", "record 4 series id empty"))
    json_cases.append(("not-array", json.dumps({"a": 1}), "", "an object, not an array"))
    json_cases.append(("empty-array", "[]", "", "an empty array"))
    json_cases.append(("array-of-numbers", "[1,2,3]", "", "an array of numbers"))
    json_cases.append(("record-not-object", good.replace(json.dumps(recs[2]), "5", 1), ":3", "record 3 is a number"))
    json_cases.append(("empty", "", "", "empty file"))
    json_cases.append(("bom-only", b"\xef\xbb\xbf", "", "BOM only"))
    json_cases.append(("latin1-in-string", good.encode().replace(b'"series": "b"', b'"series": "b\xe9"', 1), "", "Latin-1 byte inside a string"))
    json_cases.append(("latin1-outside-string", good.encode().replace(b"[\n", b"[\xe9\n", 1), "", "Latin-1 byte between tokens"))
    json_cases.append(("nul-in-string", good.replace('"series": "a"', '"series": "a\\u0000"', 1), "", "escaped NUL in a series id"))
    json_cases.append(("raw-control", good.replace('"series": "a"', '"series": "a\x01"', 1), "", "raw control character in a string"))
    json_cases.append(("deep-nesting", "[" * 5000 + "]" * 5000, "", "5000 nested arrays"))
    json_cases.append(("no-time-field", json_text([{"series": "a", "value": 1.0}] * 5), "", "records without a time field"))
    periods = [{"period": p, "value": 1.0} for p in (-9223372036854775808, 0, 9223372036854775807)]
    json_cases.append(("period-span-both-ends", json_text(periods), "", "periods at both ends of long"))
    for k, (name, text, where, note) in enumerate(json_cases):
        cid = f"json-{name}"
        cmd, args = data_command(k)
        f = write(cid + ".json", text)
        add(cid, "json", args, [cid + ".json" + where], inputs=[f], note=note + f" ({cmd})")


# ----------------------------------------------------------------------------------------------------------------------
# Digits CSV and gzip
# ----------------------------------------------------------------------------------------------------------------------
def digits_cases():
    good = csv(DIGITS_ROWS)
    items = []
    for name, bad in BAD_NUMBERS[:12]:
        r = [list(x) for x in DIGITS_ROWS]; r[3][2] = bad if "," not in bad else f'"{bad}"'
        items.append((f"feature-{name}", csv(r), ":4", f"feature (4, 3) is {bad!r}"))
    for name, bad in [("neg", "-1"), ("float", "1.5"), ("huge", "100001"), ("overflow", "99999999999"), ("abc", "x")]:
        r = [list(x) for x in DIGITS_ROWS]; r[5][-1] = bad
        items.append((f"label-{name}", csv(r), ":6", f"label on line 6 is {bad}"))
    r = [list(x) for x in DIGITS_ROWS]; r[8] = r[8][:-3]
    items.append(("short-row", csv(r), ":9", "line 9 has 3 cells fewer"))
    items.append(("one-column", "1\n2\n3\n", ":1", "one column"))
    items.append(("empty", "", "", "empty file"))
    items.append(("bom-only", b"\xef\xbb\xbf", "", "BOM only"))
    items.append(("one-row", csv(DIGITS_ROWS[:1]), "", "a single row (nothing to train and test on)"))
    items.append(("latin1", good.encode().replace(b"\n", b"\xe9\n", 1), ":1", "a Latin-1 byte ending line 1"))
    for name, text, where, note in items:
        cid = f"digits-{name}"
        f = write(cid + ".csv", text)
        add(cid, "digits-csv", DIGITS, [cid + ".csv" + where], inputs=[f], note=note)
    gz = gzip.compress(good.encode(), mtime=0)
    gz_items = []
    for cut in (0, 1, 2, 10, 20, len(gz) // 2, len(gz) - 8, len(gz) - 4, len(gz) - 1):
        gz_items.append((f"trunc-{cut}", gz[:cut], f"gzip truncated to {cut} of {len(gz)} bytes"))
    flip = bytearray(gz); flip[len(gz) // 2] ^= 0xFF
    gz_items.append(("corrupt-middle", bytes(flip), "a byte in the middle of the deflate stream flipped"))
    crc = bytearray(gz); crc[-8] ^= 0x01
    gz_items.append(("bad-crc", bytes(crc), "CRC32 in the trailer wrong"))
    size = bytearray(gz); size[-1] ^= 0x01
    gz_items.append(("bad-isize", bytes(size), "length in the trailer wrong"))
    gz_items.append(("not-gzip", good.encode(), "plain text named .gz"))
    gz_items.append(("bad-magic", b"\x1f\x8c" + gz[2:], "wrong magic"))
    r = [list(x) for x in DIGITS_ROWS]; r[2][1] = "abc"
    gz_items.append(("inner-bad-number", gzip.compress(csv(r).encode(), mtime=0), "bad number inside the compressed CSV"))
    for name, data, note in gz_items:
        cid = f"gzip-{name}"
        f = write(cid + ".csv.gz", data)
        add(cid, "gzip", DIGITS, [cid + ".csv.gz"], inputs=[f], note=note)


# ----------------------------------------------------------------------------------------------------------------------
# Text: langid TSV and generate training text
# ----------------------------------------------------------------------------------------------------------------------
def text_cases():
    good = "\n".join(TSV_LINES) + "\n"
    items = [
        ("empty", "", "", "empty file"),
        ("bom-only", b"\xef\xbb\xbf", "", "BOM only"),
        ("header-only", TSV_LINES[0] + "\n", "", "header, no words"),
        ("no-header", "\n".join(TSV_LINES[1:]) + "\n", "", "no header line"),
        ("wrong-header", "lang,word\n" + "\n".join(TSV_LINES[1:]) + "\n", "", "comma header"),
        ("no-tab", good.replace("English\thouse", "English house", 1), ":2", "line 2 without a tab"),
        ("three-fields", good.replace("English\thouse", "English\thouse\textra", 1), ":2", "line 2 with three fields"),
        ("empty-word", good.replace("English\thouse", "English\t", 1), ":2", "line 2 word empty"),
        ("empty-language", good.replace("English\thouse", "\thouse", 1), ":2", "line 2 language empty"),
        ("latin1-word", good.encode().replace(b"stein", b"st\xe9in", 1), ":13", "Latin-1 byte in a word on line 13"),
        ("nul-word", good.replace("stein", "st\x00ein", 1), ":13", "NUL in a word on line 13"),
        ("one-language", "\n".join(TSV_LINES[:7]) + "\n", "", "a single language"),
        ("one-word-each", "\n".join([TSV_LINES[0], TSV_LINES[1], TSV_LINES[7]]) + "\n", "", "one word per language (nothing held out)"),
        ("binary", bytes(range(256)) * 2, "", "binary garbage"),
        ("truncated-utf8", good.encode() + b"English\tcaf\xc3", "", "a UTF-8 sequence cut at the end"),
    ]
    for name, text, where, note in items:
        cid = f"tsv-{name}"
        f = write(cid + ".tsv", text)
        add(cid, "tsv", LANGID_TRAIN, [cid + ".tsv" + where], inputs=[f], note=note)
    gitems = [
        ("empty", "", "empty file"),
        ("bom-only", b"\xef\xbb\xbf", "BOM only"),
        ("one-letter", "a", "a single letter"),
        ("short", "abc def", "shorter than one chunk"),
        ("latin1", TEXT.encode().replace(b"lazy", b"l\xe9zy", 1), "a Latin-1 byte in the text"),
        ("truncated-utf8", TEXT.encode() + b"\xe2\x82", "a UTF-8 sequence cut at the end"),
        ("overlong-utf8", TEXT.encode().replace(b"fox", b"f\xc0\xafx", 1), "an overlong UTF-8 encoding"),
        ("surrogate-utf8", TEXT.encode().replace(b"dog", b"d\xed\xa0\x80g", 1), "a UTF-8 encoded surrogate"),
        ("utf16", TEXT.encode("utf-16"), "UTF-16 text"),
        ("binary", bytes(range(256)) * 8, "binary garbage"),
        ("nul-bytes", b"\x00" * 2000, "NUL bytes only"),
    ]
    for name, text, note in gitems:
        cid = f"text-{name}"
        f = write(cid + ".txt", text)
        add(cid, "text", GEN_TRAIN, [cid + ".txt"], inputs=[f], note=note)


# ----------------------------------------------------------------------------------------------------------------------
# safetensors: forged files of each model kind
# ----------------------------------------------------------------------------------------------------------------------
def st_parse(data):
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n].decode("utf-8"))
    return header, data[8 + n:]


def st_build(header, payload, raw_header=None):
    h = raw_header if raw_header is not None else json.dumps(header, separators=(",", ":")).encode("utf-8")
    return struct.pack("<Q", len(h)) + h + payload


def tensor_names(header):
    return [k for k in header if k != "__metadata__"]


MODEL_USERS = {
    "forecaster": [("forecast", ["forecast", "--model-file", "{in}", "--data", "{in2}", "--quiet", "--out", "{out}"]),
                   ("export", ["export", "{in}", "--out", "{out}"])],
    "langid": [("langid-predict", ["langid", "predict", "--model-file", "{in}", "house"]),
               ("export", ["export", "{in}", "--out", "{out}"])],
    "generate": [("generate-sample", ["generate", "sample", "--model-file", "{in}", "--length", "5"]),
                 ("export", ["export", "{in}", "--out", "{out}"])],
}


def safetensors_cases():
    for kind in ("forecaster", "langid", "generate"):
        base = open(os.path.join(BASE, kind + ".safetensors"), "rb").read()
        header, payload = st_parse(base)
        names = tensor_names(header)
        first = names[0]
        items = []  # (name, bytes, extra expected substrings, note)
        hl = struct.unpack("<Q", base[:8])[0]
        for cut in sorted({0, 1, 7, 8, 9, 40, hl // 2, hl + 7, hl + 8, hl + 9, hl + 8 + len(payload) // 2, len(base) - 1}):
            items.append((f"trunc-{cut}", base[:cut], [], f"cut to {cut} of {len(base)} bytes"))
        for name, value in [("len-zero", 0), ("len-huge", 2 ** 63), ("len-max", 2 ** 64 - 1), ("len-file", len(base)),
                            ("len-minus-one", hl - 1), ("len-plus-one", hl + 1)]:
            items.append((f"header-{name}", struct.pack("<Q", value) + base[8:], [], f"header length {value}"))
        items.append(("header-garbage", st_build(None, payload, b"\x00\x01garbage" + b" " * 20), [], "header not JSON"))
        items.append(("header-latin1", st_build(None, payload, json.dumps(header).encode().replace(b'"__metadata__"', b'"__m\xe9tadata__"', 1)), [], "invalid UTF-8 in the header"))
        items.append(("header-array", st_build(None, payload, b"[1,2,3]"), [], "header a JSON array"))
        items.append(("header-empty-object", st_build({}, payload), [], "no tensors at all"))
        h2 = json.loads(json.dumps(header)); h2["__metadata__"] = {"a": {"b": 1}}
        items.append(("metadata-nested", st_build(h2, payload), [], "__metadata__ value not a string"))
        h2 = json.loads(json.dumps(header)); h2[first] = "x"
        items.append(("entry-not-object", st_build(h2, payload), [first], "tensor entry a string"))
        for dname, dtype in [("f16", "F16"), ("i64", "I64"), ("f64", "F64"), ("bogus", "Q7"), ("empty", ""), ("number", 7)]:
            h2 = json.loads(json.dumps(header)); h2[first]["dtype"] = dtype
            items.append((f"dtype-{dname}", st_build(h2, payload), [first], f"dtype {dtype!r}"))
        shape = header[first]["shape"]
        for sname, s in [("negative", [-shape[0]] + shape[1:]), ("mismatch", [shape[0] + 1] + shape[1:]),
                         ("overflow", [4294967296, 4294967296] + shape[1:]), ("scalar", []), ("zero", [0] + shape[1:]),
                         ("not-list", "6"), ("float", [1.5] + shape[1:])]:
            h2 = json.loads(json.dumps(header)); h2[first]["shape"] = s
            items.append((f"shape-{sname}", st_build(h2, payload), [first], f"shape {s}"))
        b0, e0 = header[first]["data_offsets"]
        second = names[1]
        b1, e1 = header[second]["data_offsets"]
        for oname, off, who in [("reversed", [e0, b0], first), ("beyond", [b0, len(payload) + 4], first),
                                ("negative", [-4, e0 - 4 - b0], first), ("unaligned", [b0 + 1, e0 + 1], first),
                                ("overlap", [b1 - 4, e1 - 4], second), ("gap", [b1 + 4, e1 + 4], second),
                                ("huge", [0, 2 ** 62], first), ("one-number", [b0], first)]:
            h2 = json.loads(json.dumps(header)); h2[who]["data_offsets"] = off
            items.append((f"offsets-{oname}", st_build(h2, payload), [], f"data_offsets of {who} {off}"))
        items.append(("trailing-bytes", base + b"\x00" * 16, [], "16 bytes after the last tensor"))
        h2 = json.loads(json.dumps(header)); del h2[names[-1]]
        items.append(("missing-tensor", st_build(h2, payload[:header[names[-1]]["data_offsets"][0]]), [names[-1]], f"tensor {names[-1]} removed"))
        # a consistent file whose tensor has another shape than the model needs
        h2 = json.loads(json.dumps(header)); last = names[-1]
        lb, le = h2[last]["data_offsets"]
        h2[last]["shape"] = [(le - lb) // 4 + 1]; h2[last]["data_offsets"] = [lb, le + 4]
        items.append(("wrong-shape-consistent", st_build(h2, payload + b"\x00" * 4), [last], f"{last} one element longer (file consistent)"))
        for wname, word in [("nan", struct.pack("<f", float("nan"))), ("inf", struct.pack("<f", float("inf")))]:
            p2 = bytearray(payload); p2[b0:b0 + 4] = word
            items.append((f"weight-{wname}", st_build(header, bytes(p2)), [first], f"first weight of {first} is {wname}"))
        items.append(("no-metadata", st_build({k: v for k, v in header.items() if k != "__metadata__"}, payload), [], "no __metadata__"))
        meta = header["__metadata__"]
        for mname, key, val, expect in META[kind]:
            h2 = json.loads(json.dumps(header)); m2 = dict(meta)
            if val is None:
                m2.pop(key, None)
            elif callable(val):
                m2[key] = val(m2[key])
            else:
                m2[key] = val
            h2["__metadata__"] = m2
            items.append((f"meta-{mname}", st_build(h2, payload), expect, f"metadata {key} = {val if not callable(val) else 'edited'}"))
        for k, (name, data, extra, note) in enumerate(items):
            cmd, args = MODEL_USERS[kind][k % 2]
            cid = f"st-{kind}-{name}-{cmd}"
            f = write(cid + ".safetensors", data)
            inputs = [f] + (["base/series.csv"] if "{in2}" in args else [])
            add(cid, "safetensors-" + kind, args, [cid + ".safetensors"] + extra, inputs=inputs, note=note + f" ({cmd})")


def set_setting(key, val):
    def edit(s):
        d = json.loads(s); d[key] = val; return json.dumps(d)
    return edit


META = {
    "forecaster": [
        ("format-missing", "format", None, []), ("format-other", "format", "hindsight-forecaster/99", []),
        ("model-unknown", "model", "transformer", []), ("settings-not-json", "settings", "{oops", []),
        ("settings-layers-100000", "settings", set_setting("Layers", 100000), []),
        ("settings-hidden-20000", "settings", set_setting("Hidden", 20000), []),
        ("settings-hidden-negative", "settings", set_setting("Hidden", -2), []),
        ("settings-horizon-50m", "settings", set_setting("Horizon", 50000000), []),
        ("settings-lookback-zero", "settings", set_setting("Lookback", 0), []),
        ("series-not-json", "series", "[oops", []), ("series-empty", "series", "[]", []),
        ("frequency-garbage", "frequency", "fortnight:x", []),
        ("scaler-std-negative", "scaler.std", "[-14.7]", []), ("scaler-std-huge", "scaler.std", "[3e38]", []),
        ("scaler-std-nan", "scaler.std", "[NaN]", []), ("scaler-mean-count", "scaler.mean", "[1,2,3]", []),
        ("scaler-missing", "scaler.mean", None, []),
    ],
    "langid": [
        ("kind-other", "hindsight.kind", "generate", []), ("kind-missing", "hindsight.kind", None, []),
        ("architecture-unknown", "architecture", "transformer", []),
        ("hidden-huge", "hidden_size", "2147483647", []), ("hidden-negative", "hidden_size", "-1", []),
        ("hidden-abc", "hidden_size", "abc", []), ("hidden-mismatch", "hidden_size", "3", []),
        ("alphabet-empty", "alphabet", "", []), ("alphabet-short", "alphabet", "abc", []),
        ("languages-not-json", "languages", "[oops", []), ("languages-short", "languages", "[\"English\"]", []),
        ("languages-missing", "languages", None, []),
    ],
    "generate": [
        ("kind-other", "hindsight.kind", "langid", []), ("architecture-unknown", "architecture", "transformer", []),
        ("layers-100000", "num_layers", "100000", []), ("layers-zero", "num_layers", "0", []),
        ("layers-overflow", "num_layers", "99999999999", []), ("hidden-huge", "hidden_size", "2147483647", []),
        ("hidden-20000", "hidden_size", "20000", []), ("hidden-mismatch", "hidden_size", "3", []),
        ("alphabet-empty", "alphabet", "", []), ("alphabet-short", "alphabet", "ab", []),
        ("alphabet-missing", "alphabet", None, []),
    ],
}


# ----------------------------------------------------------------------------------------------------------------------
# Options: values that do not parse, are out of range, or overflow, on every command
# ----------------------------------------------------------------------------------------------------------------------
def option_cases():
    series = "base/series.csv"
    fc = "base/forecaster.safetensors"
    lid = "base/langid.safetensors"
    gen = "base/generate.safetensors"
    INT_BAD = [("abc", "abc"), ("float", "1.5"), ("negative", "-1"), ("overflow", "99999999999"), ("min-long", "-9223372036854775808"), ("empty", "")]
    FLOAT_BAD = [("abc", "abc"), ("inf", "inf"), ("nan", "NaN"), ("zero", "0"), ("negative", "-0.1"), ("huge", "1e999")]
    commands = {
        "evaluate": (["evaluate", "--data", "{in}", "--models", "naive", "--quiet", "--out", "{out}"], [series],
                     ["--horizon", "--lookback", "--season", "--calibration-windows", "--min-history", "--batch-size"], ["--lr", "--level"]),
        "backtest": (["backtest", "--data", "{in}", "--models", "naive", "--quiet", "--out", "{out}"], [series],
                     ["--origins", "--stride", "--horizon", "--epochs"], []),
        "train": (["train", "--data", "{in}", "--model", "gru", "--epochs", "1", "--quiet", "--model-file", "{out}"], [series],
                  ["--hidden", "--layers", "--epochs", "--patience"], ["--lr"]),
        "forecast": (["forecast", "--data", "{in}", "--model", "naive", "--quiet", "--out", "{out}"], [series],
                     ["--horizon", "--season"], ["--level"]),
        "lesson": (["lesson", "--epochs", "1", "--quiet", "--out", "{out}"], [],
                   ["--hidden", "--epochs", "--seq-length", "--batch-rows", "--seeds", "--seed"], ["--lr"]),
        "digits": (["digits", "--epochs", "1"], [], ["--epochs", "--batch-size", "--seed"], ["--lr"]),
        "langid-train": (["langid", "train", "--epochs", "1", "--quiet", "--out", "{out}"], [],
                         ["--hidden", "--epochs", "--batch-size", "--per-language"], ["--lr", "--test-fraction"]),
        "langid-predict": (["langid", "predict", "--model-file", "{in}", "house"], [lid], ["--top"], []),
        "generate-train": (["generate", "train", "--epochs", "1", "--quiet", "--out", "{out}"], [],
                           ["--hidden", "--layers", "--epochs", "--seq-length", "--batch-size"], ["--lr"]),
        "generate-sample": (["generate", "sample", "--model-file", "{in}"], [gen], ["--length", "--seed"], ["--temperature"]),
        "bench": (["bench", "W1"], [], ["--steps", "--threads"], []),
    }
    for cname, (base_args, inputs, int_opts, float_opts) in commands.items():
        for opt in int_opts:
            for vname, v in INT_BAD:
                if opt == "--seed" and vname == "overflow":
                    v = "99999999999999999999"  # seeds are 64-bit
                cid = f"opt-{cname}-{opt[2:]}-{vname}"
                add(cid, "option", base_args + [opt, v], [opt], inputs=inputs, note=f"{opt} {v!r}")
        for opt in float_opts:
            for vname, v in FLOAT_BAD:
                if opt == "--temperature" and vname == "zero":
                    continue  # 0 is greedy sampling, valid
                cid = f"opt-{cname}-{opt[2:]}-{vname}"
                add(cid, "option", base_args + [opt, v], [opt], inputs=inputs, note=f"{opt} {v!r}")
    # sizes that cannot be allocated or would run for hours: refused up front
    huge = [
        ("lesson-seq-length-intmax", ["lesson", "--epochs", "1", "--quiet", "--out", "{out}", "--seq-length", "2147483647"], [], ["--seq-length"]),
        ("lesson-hidden-1e6", ["lesson", "--epochs", "1", "--quiet", "--out", "{out}", "--hidden", "1000000"], [], ["--hidden"]),
        ("lesson-seeds-1e6", ["lesson", "--epochs", "1", "--quiet", "--out", "{out}", "--seeds", "1000000"], [], ["--seeds"]),
        ("generate-train-hidden-1e5", ["generate", "train", "--epochs", "1", "--quiet", "--out", "{out}", "--hidden", "100000"], [], ["--hidden"]),
        ("generate-train-layers-1e5", ["generate", "train", "--epochs", "1", "--quiet", "--out", "{out}", "--layers", "100000"], [], ["--layers"]),
        ("generate-sample-length-2e9", ["generate", "sample", "--model-file", "{in}", "--length", "2000000000"], [gen], ["--length"]),
        ("evaluate-lookback-intmax", ["evaluate", "--data", "{in}", "--models", "ar", "--quiet", "--lookback", "2147483647"], [series], ["--lookback"]),
        ("evaluate-horizon-intmax", ["evaluate", "--data", "{in}", "--models", "naive", "--quiet", "--horizon", "2147483647"], [series], ["--horizon"]),
        ("train-hidden-1e6", ["train", "--data", "{in}", "--model", "gru", "--epochs", "1", "--quiet", "--model-file", "{out}", "--hidden", "1000000"], [series], ["--hidden"]),
        ("train-layers-1e5", ["train", "--data", "{in}", "--model", "gru", "--epochs", "1", "--quiet", "--model-file", "{out}", "--layers", "100000"], [series], ["--layers"]),
        ("langid-train-hidden-1e6", ["langid", "train", "--epochs", "1", "--quiet", "--out", "{out}", "--hidden", "1000000"], [], ["--hidden"]),
    ]
    for name, args, inputs, expect in huge:
        add("limit-" + name, "option", args, expect, inputs=inputs, note="a size beyond the documented limit")
    # unknown values of choice options and missing files
    choice = [
        ("evaluate-models-unknown", ["evaluate", "--data", "{in}", "--models", "prophet", "--quiet"], [series], ["prophet"]),
        ("evaluate-fill-unknown", ["evaluate", "--data", "{in}", "--models", "naive", "--fill", "zero", "--quiet"], [series], ["--fill", "'zero'"]),
        ("evaluate-strategy-unknown", ["evaluate", "--data", "{in}", "--models", "naive", "--strategy", "both", "--quiet"], [series], ["--strategy"]),
        ("evaluate-format-unknown", ["evaluate", "--data", "{in}", "--models", "naive", "--format", "gif", "--out", "{out}", "--quiet"], [series], ["gif"]),
        ("evaluate-value-column-unknown", ["evaluate", "--data", "{in}", "--models", "naive", "--value-column", "nope", "--quiet"], [series], ["nope"]),
        ("evaluate-time-column-unknown", ["evaluate", "--data", "{in}", "--models", "naive", "--time-column", "nope", "--quiet"], [series], ["nope"]),
        ("evaluate-id-column-unknown", ["evaluate", "--data", "{in}", "--models", "naive", "--id-column", "nope", "--quiet"], [series], ["nope"]),
        ("evaluate-plot-series-unknown", ["evaluate", "--data", "{in}", "--models", "naive", "--plot-series", "nope", "--out", "{out}", "--quiet"], [series], ["nope"]),
        ("train-model-unknown", ["train", "--data", "{in}", "--model", "prophet", "--quiet", "--model-file", "{out}"], [series], ["prophet"]),
        ("forecast-model-and-file", ["forecast", "--data", "{in}", "--model", "gru", "--model-file", "{in2}", "--quiet"], [series, fc], ["--model"]),
        ("lesson-models-unknown", ["lesson", "--models", "cnn", "--epochs", "1", "--quiet", "--out", "{out}"], [], ["cnn"]),
        ("lesson-scale-unknown", ["lesson", "--scale", "log", "--epochs", "1", "--quiet", "--out", "{out}"], [], ["'log'"]),
        ("langid-train-model-unknown", ["langid", "train", "--model", "cnn", "--quiet", "--out", "{out}"], [], ["cnn"]),
        ("generate-train-model-unknown", ["generate", "train", "--model", "cnn", "--quiet", "--out", "{out}"], [], ["cnn"]),
        ("generate-train-language-unknown", ["generate", "train", "--language", "Klingon", "--epochs", "1", "--quiet", "--out", "{out}"], [], ["Klingon"]),
        ("bench-workload-unknown", ["bench", "W9"], [], ["W9"]),
        ("langid-predict-unknown-letter", ["langid", "predict", "--model-file", "{in}", "\u043c\u0438\u0440"], [lid], ["\u043c"]),
        ("generate-sample-prompt-unknown-letter", ["generate", "sample", "--model-file", "{in}", "--length", "5", "--prompt", "\u043c\u0438\u0440"], [gen], ["\u043c"]),
        ("export-wrong-kind", ["export", "{in}", "--out", "{out}"], [series], ["series.csv"]),
        ("forecast-model-file-is-csv", ["forecast", "--data", "{in}", "--model-file", "{in}", "--quiet", "--out", "{out}"], [series], ["series.csv"]),
    ]
    for name, args, inputs, expect in choice:
        add("choice-" + name, "option", args, expect, inputs=inputs, note="an unknown value or a wrong file")
    missing = [
        ("evaluate", ["evaluate", "--data", "{missing}", "--quiet"]), ("lesson", ["lesson", "--data", "{missing}", "--quiet", "--out", "{out}"]),
        ("digits", ["digits", "--data", "{missing}"]), ("langid-train", ["langid", "train", "--data", "{missing}", "--quiet", "--out", "{out}"]),
        ("langid-predict", ["langid", "predict", "--model-file", "{missing}", "x"]), ("generate-train", ["generate", "train", "--data", "{missing}", "--quiet", "--out", "{out}"]),
        ("generate-sample", ["generate", "sample", "--model-file", "{missing}"]), ("export", ["export", "{missing}"]),
        ("forecast", ["forecast", "--data", "{in}", "--model-file", "{missing}", "--quiet"]),
    ]
    for name, args in missing:
        add("missing-file-" + name, "option", args, ["missing.file"], inputs=[series] if "{in}" in args else [], note="the input file does not exist")
    # outputs that cannot be written: the parent of the target is a file (exit 1, the path named, nothing left behind)
    blocked = [
        ("evaluate", ["evaluate", "--data", "{in}", "--models", "naive", "--horizon", "3", "--quiet", "--out", "{in}/sub"]),
        ("train", ["train", "--data", "{in}", "--model", "naive", "--horizon", "3", "--quiet", "--model-file", "{in}/m.safetensors"]),
        ("lesson", ["lesson", "--epochs", "1", "--quiet", "--models", "fc", "--out", "{in}/sub"]),
        ("export", ["export", "{in2}", "--out", "{in}/m.onnx"]),
    ]
    for name, args in blocked:
        add("blocked-output-" + name, "option", args, ["series.csv"], exit_code=1,
            inputs=[series] + ([fc] if "{in2}" in args else []), note="the output's parent is a file")


def fuzz_found_cases():
    """Crashes found by tools/fuzz/run.sh, copied into tools/corpus/fuzz-found/TARGET/: each becomes a case."""
    found = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fuzz-found")
    if not os.path.isdir(found):
        return
    for target in sorted(os.listdir(found)):
        for k, name in enumerate(sorted(os.listdir(os.path.join(found, target)))):
            data = open(os.path.join(found, target, name), "rb").read()
            stem, ext = os.path.splitext(name)
            cid = f"fuzz-{stem}"
            f = write(cid + ext, data)
            if target == "safetensors":
                cmd, args = "export", ["export", "{in}", "--out", "{out}"]  # reads every model kind
                inputs = [f]
            else:
                cmd, args = data_command(k)
                inputs = [f]
            add(cid, target, args, [cid + ext], inputs=inputs, note=f"found by fuzzing {target} ({cmd})")


def make_bases(cli):
    os.makedirs(BASE, exist_ok=True)
    with open(os.path.join(BASE, "series.csv"), "w", newline="\n") as f:
        f.write(csv(SINGLE_ROWS))
    wanted = {k: os.path.join(BASE, k + ".safetensors") for k in ("forecaster", "langid", "generate")}
    if all(os.path.exists(p) for p in wanted.values()):
        return
    if cli is None:
        for c in ("src/Hindsight.Cli/bin/Release/net10.0/Hindsight.Cli", "src/Hindsight.Cli/bin/Debug/net10.0/Hindsight.Cli"):
            if os.path.exists(os.path.join(ROOT, c)):
                cli = os.path.join(ROOT, c)
                break
    if cli is None:
        sys.exit("no built CLI: run `dotnet build -c Release src/Hindsight.Cli` or pass --cli")
    tmp = tempfile.mkdtemp()
    try:
        run = lambda *a: subprocess.run([cli, *a], check=True, stdout=subprocess.DEVNULL, cwd=tmp)
        run("train", "--data", os.path.join(BASE, "series.csv"), "--model", "gru", "--hidden", "2", "--epochs", "1",
            "--horizon", "3", "--quiet", "--model-file", wanted["forecaster"])
        run("langid", "train", "--model", "cell", "--hidden", "2", "--epochs", "1", "--per-language", "3", "--quiet", "--out", tmp)
        shutil.copy(os.path.join(tmp, "langid-cell.safetensors"), wanted["langid"])
        run("generate", "train", "--hidden", "2", "--epochs", "1", "--seq-length", "8", "--quiet", "--out", tmp)
        shutil.copy(os.path.join(tmp, "generate-english-lstm.safetensors"), wanted["generate"])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--cli", help="the built hindsight CLI (only needed when tests/corpus/base has no model files)")
    a = ap.parse_args()
    global PENDING
    pending_path = os.path.join(os.path.dirname(__file__), "pending.json")
    if os.path.exists(pending_path):
        PENDING = json.load(open(pending_path))
    make_bases(a.cli)
    shutil.rmtree(FILES, ignore_errors=True)
    os.makedirs(FILES)
    series_cases()
    digits_cases()
    text_cases()
    safetensors_cases()
    option_cases()
    fuzz_found_cases()
    unknown = set(PENDING) - ids
    if unknown:
        sys.exit(f"pending.json names unknown cases: {sorted(unknown)}")
    with open(os.path.join(CORPUS, "cases.json"), "w", encoding="utf-8", newline="\n") as f:
        f.write("[\n" + ",\n".join(json.dumps(c, ensure_ascii=True) for c in cases) + "\n]\n")
    kinds = {}
    for c in cases:
        kinds[c["kind"]] = kinds.get(c["kind"], 0) + 1
    print(f"{len(cases)} cases: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items())))


if __name__ == "__main__":
    main()
