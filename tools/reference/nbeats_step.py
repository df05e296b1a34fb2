#!/usr/bin/env python3
"""Times one N-BEATS generic training step in PyTorch (issue 11 point 7), the network of nbeats_fixtures.py.

Usage: nbeats_step.py [--batch 32] [--lookback 36] [--horizon 18] [--stacks 3] [--blocks 1] [--width 256]
                      [--layers 2] [--steps 200] [--threads 1] [--repeats 5]

One step = zero_grad, forward, MSE loss, backward, Adam step (lr 1e-3), on a fixed random batch, exactly what
bench/Hindsight.Bench's `nbeats` harness times for Hindsight's ForecastNet. Prints the best of --repeats runs of
--steps steps as `nbeats-torch <wall microseconds> us/step <process CPU microseconds> cpu-us/step` (after 20
warm-up steps; on a loaded machine the CPU time is the steadier number).
"""
import argparse
import time

import torch
import torch.nn.functional as F

from nbeats_fixtures import Net


def main():
    p = argparse.ArgumentParser()
    for name, default in (("batch", 32), ("lookback", 36), ("horizon", 18), ("stacks", 3), ("blocks", 1), ("width", 256),
                          ("layers", 2), ("steps", 200), ("threads", 1), ("repeats", 5)):
        p.add_argument("--" + name, type=int, default=default)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    net = Net("nbeats", a.lookback, a.horizon, a.stacks, a.blocks, a.width, a.layers)
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    x, y = torch.randn(a.batch, a.lookback), torch.randn(a.batch, a.horizon)

    def step():
        opt.zero_grad()
        loss = F.mse_loss(net(x), y)
        loss.backward()
        opt.step()

    for _ in range(20):
        step()
    best, best_cpu = float("inf"), float("inf")
    for _ in range(a.repeats):
        start, cpu = time.perf_counter(), time.process_time()
        for _ in range(a.steps):
            step()
        best = min(best, (time.perf_counter() - start) / a.steps)
        best_cpu = min(best_cpu, (time.process_time() - cpu) / a.steps)
    print(f"nbeats-torch {best * 1e6:.1f} us/step {best_cpu * 1e6:.1f} cpu-us/step")


if __name__ == "__main__":
    main()
