#!/usr/bin/env python3
"""Runs `hindsight bench` and tools/reference/torch_workloads.py back to back and prints a markdown table.

Usage (from the repository root, after `dotnet build src/Hindsight.Cli -c Release`):
    /usr/bin/python3 bench/compare.py [--openblas DIR] [--rounds R]

PyTorch runs in up to three configurations and the fastest one per workload is the reference:
  * as installed (Debian's python3-torch links the reference BLAS, libblas3),
  * with OpenBLAS (LD_LIBRARY_PATH=DIR, a directory holding OpenBLAS's libblas.so.3), 1 BLAS thread and
    2 intra-op threads, and
  * with OpenBLAS, 2 BLAS threads and 1 intra-op thread (the two pools oversubscribe 2 cores otherwise).
Each engine runs R rounds alternately; the best round counts (the machine may be shared).
"""
import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CLI = os.path.join(ROOT, "src/Hindsight.Cli/bin/Release/net10.0/Hindsight.Cli.dll")
TORCH = os.path.join(ROOT, "tools/reference/torch_workloads.py")
# Reference-BLAS PyTorch needs seconds per W5 step: fewer steps there.
SLOW_STEPS = {"W4": 5, "W5": 2}


def run(cmd, env=None):
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ, **(env or {})}, check=True).stdout
    return {r["workload"]: r for r in json.loads(out.strip().splitlines()[-1])["results"]}


def best(a, b):
    if a is None:
        return b
    return {k: (a[k] if a[k]["usPerStep"] <= b[k]["usPerStep"] else b[k]) for k in a}


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--openblas", default="/tmp/openblas/root/usr/lib/x86_64-linux-gnu/openblas-pthread")
    p.add_argument("--rounds", type=int, default=2)
    p.add_argument("--skip-reference-blas", action="store_true")
    args = p.parse_args()
    names = ["W1", "W2", "W3", "W4", "W5"]
    hs1 = hs2 = None
    torch_cfg = {}
    for _ in range(args.rounds):
        hs2 = best(hs2, run(["dotnet", CLI, "bench", "all", "--threads", "2", "--json"]))
        hs1 = best(hs1, run(["dotnet", CLI, "bench", "all", "--threads", "1", "--json"]))
        if os.path.isdir(args.openblas):
            ob = {"LD_LIBRARY_PATH": args.openblas}
            torch_cfg["openblas 1 BLAS thread, 2 torch threads"] = best(
                torch_cfg.get("openblas 1 BLAS thread, 2 torch threads"),
                run([sys.executable, TORCH, "all", "--threads", "2", "--json"], {**ob, "OPENBLAS_NUM_THREADS": "1"}))
            torch_cfg["openblas 2 BLAS threads, 1 torch thread"] = best(
                torch_cfg.get("openblas 2 BLAS threads, 1 torch thread"),
                run([sys.executable, TORCH, "all", "--threads", "1", "--json"], {**ob, "OPENBLAS_NUM_THREADS": "2"}))
    if not args.skip_reference_blas:
        ref = {}
        for n in names:
            cmd = [sys.executable, TORCH, n, "--threads", "2", "--json"]
            if n in SLOW_STEPS:
                cmd += ["--steps", str(SLOW_STEPS[n])]
            ref.update(run(cmd))
        torch_cfg["as installed (reference BLAS)"] = ref

    for n in names:
        if hs1[n]["finalLoss"] != hs2[n]["finalLoss"]:
            print(f"warning: {n} final loss differs between 1 and 2 threads: {hs1[n]['finalLoss']} vs {hs2[n]['finalLoss']}")
    print("| Workload | Hindsight 1 thread us/step | Hindsight 2 threads us/step | Hindsight GFLOP/s (best) | bytes/step | " +
          " | ".join(f"PyTorch {c} us/step" for c in torch_cfg) + " | best PyTorch / best Hindsight |")
    print("|---" * (6 + len(torch_cfg)) + "|")
    for n in names:
        h = hs1[n] if hs1[n]["usPerStep"] <= hs2[n]["usPerStep"] else hs2[n]
        cells = [f"{torch_cfg[c][n]['usPerStep']:.1f}" for c in torch_cfg]
        fastest = min(torch_cfg[c][n]["usPerStep"] for c in torch_cfg)
        g = f"{h['gflopPerSecond']:.1f}" if h.get("gflopPerSecond") else "-"
        print(f"| {n} | {hs1[n]['usPerStep']:.1f} | {hs2[n]['usPerStep']:.1f} | {g} | {h['bytesPerStep']:.0f} | " +
              " | ".join(cells) + f" | {fastest / h['usPerStep']:.1f}x |")
    print("final losses (1 thread / 2 threads): " +
          ", ".join(f"{n} {hs1[n]['finalLoss']:.6g} / {hs2[n]['finalLoss']:.6g}" for n in names))

if __name__ == "__main__":
    main()
