#!/usr/bin/env python3
"""The `forecast-epoch` workload of `hindsight bench` in PyTorch (issue 13 part 4): one training epoch of a global
recurrent forecaster (rnn, gru or lstm) without covariates.

Usage: torch_forecast_epoch.py [rnn|gru|lstm] [--series 32] [--length 144] [--threads 1] [--json]
                               [--lookback 24] [--horizon 12] [--hidden 32] [--layers 1] [--batch 32]
                               [--season 12] [--lr 1e-3] [--lr-decays 3]

The network is Hindsight's ForecastNet for these kinds (src/Hindsight.Forecasting/ForecastNet.cs): nn.RNN (tanh), nn.GRU
or nn.LSTM(1, hidden, layers, batch_first=True) over the window as (B, L, 1), and Linear(hidden, horizon) on the top
layer's last hidden state. The defaults are ForecastSettings' (lookback 24 = 2 x max(season 12, horizon 12), hidden 32,
1 layer, batch 32, the first loss of "mase,smape,mae": MASE, Adam at 1e-3, 3 learning-rate halvings over the run,
gradient norm clipped to 1).

Data: `--series` synthetic series of `--length` values from a fixed formula (level, trend, a season of 12 and a
deterministic wiggle; the same formula as src/Hindsight.Cli/Bench/ForecastEpochBench.cs, so both engines train on the same
values). As NeuralTrainer: each series standardised (population std), every window (s, t) with t in [L, n - H] an input
z[t-L..t) and a target z[t..t+H), both minus z[t-1]; MASE scale per series: the in-sample seasonal naive MAE (lag 12)
divided by the std. One epoch = a fresh permutation of the windows, then per batch of 32 (the last one shorter):
gather the batch (the windows are built once as two tensors, PyTorch's idiom, where Hindsight assembles each batch from
the series), zero_grad, forward, MASE loss, loss.item() (the epoch's mean loss and the divergence check), backward,
clip_grad_norm_(1.0), Adam, StepLR(step_size = batches of the run / 3, gamma 0.5).

Timing as `hindsight bench forecast-epoch`: warm up one instance for at least 2 s of wall and of process CPU
time (batches of its epochs), then time a
fresh network (seed 0), its optimiser and schedule coming into being and its first epoch (wall and process CPU). Prints `forecast-epoch lstm <wall us> us/epoch ...`,
or with --json the layout of the other scripts' --json with `usPerEpoch`, `cpuUsPerEpoch`, `windows`, `batches`,
`parameters` and the BLAS library loaded. LD_LIBRARY_PATH pointing at OpenBLAS's libblas.so.3
(tools/reference/openblas.sh) switches the BLAS without changing the system.
"""
import argparse
import json
import math
import os
import time

import torch
import torch.nn as nn

from blas_info import blas

WARMUP_SECONDS = 2.0


def synthetic_series(count, length, season):
    """Series s, value t: 100 + 10 (s mod 7) + 0.05 (s + 1) t + (5 + s mod 5) sin(2 pi (t + s) / season)
    + 2 sin(0.37 (s + 1) t), in double, then float32 (ForecastEpochBench.Series)."""
    out = []
    for s in range(count):
        out.append([100.0 + 10.0 * (s % 7) + 0.05 * (s + 1) * t + (5.0 + s % 5) * math.sin(2.0 * math.pi * (t + s) / season)
                    + 2.0 * math.sin(0.37 * (s + 1) * t) for t in range(length)])
    return torch.tensor(out, dtype=torch.float32)


def windows(series, lookback, horizon, season):
    """Inputs (N, L), targets (N, H) and the inverse MASE scale (N) of every training window, as NeuralTrainer builds them."""
    values = series.double()
    mean = values.mean(1, keepdim=True)
    std = values.std(1, unbiased=False, keepdim=True)
    std = torch.where(std > 1e-12 * mean.abs().clamp(min=1), std, torch.ones_like(std)).float()
    z = (series - mean.float()) / std
    m = season if series.shape[1] > season else 1
    mase = (values[:, m:] - values[:, :-m]).abs().mean(1).float() / std[:, 0]
    xs, ys, inv = [], [], []
    for s in range(series.shape[0]):
        for t in range(lookback, series.shape[1] - horizon + 1):
            last = z[s, t - 1]
            xs.append(z[s, t - lookback:t] - last)
            ys.append(z[s, t:t + horizon] - last)
            inv.append(1.0 / mase[s] if mase[s] != 0 else 0.0)
    return torch.stack(xs), torch.stack(ys), torch.tensor(inv, dtype=torch.float32)


class Net(nn.Module):
    """ForecastNet's rnn/gru/lstm without covariates: the recurrent layer over (B, L, 1), Linear on the top layer's last state."""

    def __init__(self, kind, hidden, layers, horizon):
        super().__init__()
        cls = {"rnn": nn.RNN, "gru": nn.GRU, "lstm": nn.LSTM}[kind]
        setattr(self, kind, cls(1, hidden, layers, batch_first=True))
        self.kind = kind
        self.head = nn.Linear(hidden, horizon)

    def forward(self, x):                                   # x (B, L)
        _, state = getattr(self, self.kind)(x.unsqueeze(2))  # (B, L, 1)
        h = state[0] if self.kind == "lstm" else state      # (layers, B, H)
        return self.head(h[-1])                             # (B, O)


class Trainer:
    """One network and its optimiser, trained epoch by epoch on the windows (TrainingLoop's steps)."""

    def __init__(self, a, x, y, inv, epochs):
        torch.manual_seed(0)
        self.a, self.x, self.y, self.inv = a, x, y, inv
        self.net = Net(a.kind, a.hidden, a.layers, a.horizon)
        self.params = list(self.net.parameters())
        self.opt = torch.optim.Adam(self.params, lr=a.lr)
        self.batches = (x.shape[0] + a.batch - 1) // a.batch
        self.sched = torch.optim.lr_scheduler.StepLR(self.opt, max(1, epochs * self.batches // a.lr_decays), 0.5) \
            if a.lr_decays > 0 else None
        self.shuffle = torch.Generator().manual_seed(0)

    def epoch(self, stop=None):
        """One epoch; returns its mean loss. With `stop`, ends early after the first batch at which stop() is true (warm-up)."""
        n, b = self.x.shape[0], self.a.batch
        order = torch.randperm(n, generator=self.shuffle)
        total = 0.0
        for start in range(0, n, b):
            if stop is not None and start > 0 and stop():
                break
            idx = order[start:start + b]
            x, y, inv = self.x[idx], self.y[idx], self.inv[idx]
            self.opt.zero_grad()
            loss = ((self.net(x) - y).abs() * inv[:, None]).mean()   # MASE (N-BEATS' mase_loss)
            value = loss.item()
            if not math.isfinite(value):
                raise SystemExit(f"error: the training loss became {value}")
            loss.backward()
            torch.nn.utils.clip_grad_norm_(self.params, 1.0)
            self.opt.step()
            if self.sched is not None:
                self.sched.step()
            total += value * idx.shape[0]
        return total / n



def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("kind", nargs="?", default="lstm", choices=["rnn", "gru", "lstm"])
    for name, default in (("series", 32), ("length", 144), ("threads", 1), ("lookback", 24), ("horizon", 12),
                          ("hidden", 32), ("layers", 1), ("batch", 32), ("season", 12), ("lr-decays", 3)):
        p.add_argument("--" + name, type=int, default=default)
    p.add_argument("--lr", type=float, default=1e-3)
    p.add_argument("--json", action="store_true")
    a = p.parse_args()
    if a.length < a.lookback + a.horizon or a.series < 1:
        raise SystemExit(f"error: need at least one series of at least lookback + horizon = {a.lookback + a.horizon} values")
    torch.set_num_threads(a.threads)

    x, y, inv = windows(synthetic_series(a.series, a.length, a.season), a.lookback, a.horizon, a.season)
    warm = Trainer(a, x, y, inv, 1)
    until, cpu_until = time.perf_counter() + WARMUP_SECONDS, time.process_time() + WARMUP_SECONDS
    def warm_enough():
        return time.perf_counter() >= until and time.process_time() >= cpu_until
    while not warm_enough():
        warm.epoch(warm_enough)
    start, cpu = time.perf_counter(), time.process_time()
    trainer = Trainer(a, x, y, inv, 1)
    loss = trainer.epoch()
    seconds, cpu_seconds = time.perf_counter() - start, time.process_time() - cpu

    parameters = sum(q.numel() for q in trainer.params)
    result = {"workload": "forecast-epoch", "kind": a.kind,
              "description": f"{a.kind} {a.layers} x {a.hidden} + Linear({a.hidden}, {a.horizon}), L={a.lookback} B={a.batch}, "
                             f"MASE, clip 1, Adam {a.lr:g}, StepLR",
              "windows": x.shape[0], "batches": trainer.batches, "usPerEpoch": seconds * 1e6, "cpuUsPerEpoch": cpu_seconds * 1e6,
              "parameters": parameters, "finalLoss": loss}
    if a.json:
        print(json.dumps({"engine": "pytorch " + torch.__version__, "threads": torch.get_num_threads(), "blas": blas(),
                          "openblasThreads": os.environ.get("OPENBLAS_NUM_THREADS"), "results": [result]}))
    else:
        print(f"forecast-epoch {a.kind} {seconds * 1e6:.0f} us/epoch  {cpu_seconds * 1e6:.0f} CPU us/epoch  "
              f"({x.shape[0]} windows in {trainer.batches} batches, loss {loss:.5g}, {parameters} parameters, BLAS {blas()})",
              flush=True)


if __name__ == "__main__":
    main()
