#!/usr/bin/env python3
"""sgemm GFLOP/s of the BLAS numpy links (run with LD_LIBRARY_PATH pointing at OpenBLAS's libblas.so.3 and
OPENBLAS_NUM_THREADS=2 for the machine's OpenBLAS figure) on the GEMM shapes of W4/W5 and a large square.

Usage: LD_LIBRARY_PATH=/path/to/openblas-pthread OPENBLAS_NUM_THREADS=2 /usr/bin/python3 bench/sgemm_reference.py
"""
import time

import numpy as np

# (name, transA, transB, m, n, k): the same shapes as bench/Hindsight.Bench/GemmBenchmarks.cs
SHAPES = [
    ("W4 h Whh^T", False, True, 64, 256, 64),
    ("W4 dh=dG Whh", False, False, 64, 64, 256),
    ("W4 dWhh=dG^T H", True, False, 256, 64, 48 * 64),
    ("W5 h Whh^T", False, True, 128, 1024, 256),
    ("W5 dh=dG Whh", False, False, 128, 256, 1024),
    ("W5 x Wih^T (l1)", False, True, 100 * 128, 1024, 256),
    ("W5 dWih=dG^T X (l1)", True, False, 1024, 256, 100 * 128),
    ("square 2048", False, False, 2048, 2048, 2048),
]

rng = np.random.default_rng(0)
for name, ta, tb, m, n, k in SHAPES:
    a = rng.random((k, m) if ta else (m, k), dtype=np.float32)
    b = rng.random((n, k) if tb else (k, n), dtype=np.float32)
    A = a.T if ta else a
    B = b.T if tb else b
    c = np.empty((m, n), dtype=np.float32)
    flops = 2.0 * m * n * k
    reps = max(3, int(2e9 / flops))
    for _ in range(min(reps, 20)):
        np.matmul(A, B, out=c)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        for _ in range(max(1, reps // 5)):
            np.matmul(A, B, out=c)
        best = min(best, (time.perf_counter() - t) / max(1, reps // 5))
    print(f"{name:22} {m}x{n}x{k}: {best * 1e6:10.1f} us {flops / best / 1e9:7.1f} GFLOP/s")
