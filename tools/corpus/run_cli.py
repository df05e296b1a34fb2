#!/usr/bin/env python3
"""Runs corpus cases through the built CLI, each in its own process with a time limit (for cases that may hang or
allocate gigabytes, which the in-process test cannot stop). Prints: id, verdict, exit code, stderr.
Usage: python3 tools/corpus/run_cli.py [--cli PATH] [--timeout S] [--pending] [ID_PREFIX...]"""
import argparse, json, os, shutil, subprocess, tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
CORPUS = os.path.join(ROOT, "tests", "corpus")

ap = argparse.ArgumentParser()
ap.add_argument("--cli", default=os.path.join(ROOT, "src/Hindsight.Cli/bin/Release/net10.0/Hindsight.Cli"))
ap.add_argument("--timeout", type=float, default=30)
ap.add_argument("--pending", action="store_true", help="only the cases marked pending")
ap.add_argument("prefixes", nargs="*")
a = ap.parse_args()
for c in json.load(open(os.path.join(CORPUS, "cases.json"))):
    if a.pending and not c["pending"]:
        continue
    if a.prefixes and not any(c["id"].startswith(p) for p in a.prefixes):
        continue
    work = tempfile.mkdtemp(prefix="hindsight-corpus-cli-")
    try:
        copied = []
        for i in c["inputs"]:
            copied.append(os.path.join(work, os.path.basename(i)))
            shutil.copy(os.path.join(CORPUS, i), copied[-1])
        def fill(s):
            if len(copied) > 1: s = s.replace("{in2}", copied[1])
            if copied: s = s.replace("{in}", copied[0])
            return s.replace("{out}", os.path.join(work, "out")).replace("{missing}", os.path.join(work, "missing.file"))
        before = sorted(os.listdir(work))
        try:
            p = subprocess.run([a.cli] + [fill(x) for x in c["args"]], capture_output=True, timeout=a.timeout, cwd=work)
            code, err = p.returncode, p.stderr.decode("utf-8", "replace").strip()
        except subprocess.TimeoutExpired:
            code, err = None, f"TIMEOUT after {a.timeout} s"
        after = sorted(os.listdir(work))
        lines = [l for l in err.splitlines() if l.strip()]
        ok = (code == c["exit"] and len(lines) == 1 and lines[0].startswith("error: ") and "internal error" not in lines[0]
              and all(s in lines[0] for s in c["expect"]) and before == after)
        print(f"{c['id']}\t{'pass' if ok else 'FAIL'}\t{code}\t{'clean' if before == after else 'WROTE'}\t{err[:300].replace(chr(10), ' | ')}", flush=True)
    finally:
        shutil.rmtree(work, ignore_errors=True)
