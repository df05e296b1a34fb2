#!/usr/bin/env python3
"""The `nbeats` workload of `hindsight bench` in PyTorch (issue 11 point 7): one N-BEATS generic training step.

Usage: nbeats_step.py [--steps 500] [--threads 2] [--json] [--batch 32] [--lookback 36] [--horizon 18] [--stacks 3]
                      [--blocks 1] [--width 256] [--layers 2] [--lr 1e-3] [--clip 1.0]

The network is nbeats_fixtures.py's Net("nbeats", ...), the one Hindsight's ForecastNet is checked against (forward and
every gradient): per block Linear(L, W) ReLU (Linear(W, W) ReLU) x (layers - 1), theta = Linear(W, L + H) split into
backcast and forecast, doubly residual stacking. One step is what Hindsight's NeuralTrainer does per batch and
src/Hindsight.Cli/Bench/NBeatsWorkload.cs times: zero_grad, forward, MSE loss, backward, clip_grad_norm_(1.0), Adam
(default betas and eps) at the forecasting default rate 1e-3, on a fixed N(0, 1) batch x (B, L), y (B, H).

Timing as torch_workloads.py and `hindsight bench`: warm up one instance for at least 2 s and min(N, 200) steps, then
time N steps of a fresh one after one untimed step. Prints `nbeats <wall us> us/step  <process CPU us> CPU us/step ...`,
or with --json the layout of torch_workloads.py --json plus `cpuUsPerStep`, `parameters` and the BLAS library loaded.
PyTorch runs on whatever BLAS it links (Debian: the reference libblas3); LD_LIBRARY_PATH pointing at OpenBLAS's
libblas.so.3 (tools/reference/openblas.sh) switches it without changing the system.
"""
import argparse
import json
import os
import time

import torch
import torch.nn.functional as F

from nbeats_fixtures import Net
from blas_info import blas

WARMUP_SECONDS = 2.0


def make(a):
    """A fresh network, optimizer and batch from seed 0; returns the step function."""
    torch.manual_seed(0)
    net = Net("nbeats", a.lookback, a.horizon, a.stacks, a.blocks, a.width, a.layers)
    params = list(net.parameters())
    opt = torch.optim.Adam(params, lr=a.lr)
    x, y = torch.randn(a.batch, a.lookback), torch.randn(a.batch, a.horizon)

    def step():
        opt.zero_grad()
        loss = F.mse_loss(net(x), y)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, a.clip)
        opt.step()
        return loss.item()
    return step, sum(p.numel() for p in params)


def flops(a):
    """Matrix-product FLOPs of one step: forward, weight and input gradients of every Linear, minus the data's input gradient."""
    block = 2.0 * a.batch * a.width * (a.lookback + (a.layers - 1) * a.width + a.lookback + a.horizon)
    return 3 * a.stacks * a.blocks * block - 2.0 * a.batch * a.lookback * a.width



def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    for name, default in (("steps", 500), ("threads", 2), ("batch", 32), ("lookback", 36), ("horizon", 18), ("stacks", 3),
                          ("blocks", 1), ("width", 256), ("layers", 2)):
        p.add_argument("--" + name, type=int, default=default)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--clip", type=float, default=1.0)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    if a.steps <= 0:
        raise SystemExit(f"error: --steps must be positive, got {a.steps}")
    torch.set_num_threads(a.threads)

    step, parameters = make(a)
    warmup = max(2, min(a.steps, 200))
    start, i = time.perf_counter(), 0
    while i < warmup or time.perf_counter() - start < WARMUP_SECONDS:
        step()
        i += 1
    step, parameters = make(a)
    step()
    start, cpu = time.perf_counter(), time.process_time()
    loss = 0.0
    for _ in range(a.steps):
        loss = step()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu

    f = flops(a)
    result = {"workload": "nbeats",
              "description": f"N-BEATS generic {a.stacks} stacks x {a.blocks} block x {a.layers} layers x {a.width}, "
                             f"B={a.batch} L={a.lookback} H={a.horizon}, MSE, clip {a.clip:g}, Adam {a.lr:g}",
              "steps": a.steps, "usPerStep": seconds * 1e6 / a.steps, "cpuUsPerStep": cpu_seconds * 1e6 / a.steps,
              "gflopPerSecond": f * a.steps / seconds / 1e9, "parameters": parameters, "finalLoss": loss}
    if a.json:
        print(json.dumps({"engine": "pytorch " + torch.__version__, "threads": torch.get_num_threads(), "blas": blas(),
                          "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS"), "results": [result]}))
    else:
        print(f"nbeats {result['usPerStep']:.1f} us/step  {result['cpuUsPerStep']:.1f} CPU us/step  "
              f"{result['gflopPerSecond']:.1f} GFLOP/s  ({a.steps} steps, loss {loss:.5g}, {parameters} parameters, "
              f"BLAS {blas()})", flush=True)


if __name__ == "__main__":
    main()
