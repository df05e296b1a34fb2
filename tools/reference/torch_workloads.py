#!/usr/bin/env python3
"""The five benchmark workloads of `hindsight bench` in PyTorch, same output format.

Usage: torch_workloads.py [W1|W2|W3|W4|W5|all] [--steps N] [--threads T] [--json]

One training step = forward, loss, zero_grad, backward, optimizer step, exactly as
src/Hindsight/Benchmarks/*.cs defines them. Prints `W1 <microseconds> us/step` per workload
(plus GFLOP/s of the matrix products for W4/W5). Debian's python3-torch links the reference
BLAS; to time PyTorch with OpenBLAS, run with LD_LIBRARY_PATH pointing at an OpenBLAS
libblas.so.3 (see docs/performance.md).
"""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class SimpleRnn(nn.Module):
    """W1: the seed's SimpleRNN, Rnn(1 -> 2, tanh, batch-first) + Linear(2 -> 1) on every step."""

    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, 2, batch_first=True)
        self.fc = nn.Linear(2, 1)

    def forward(self, x):
        out, _ = self.rnn(x)
        return self.fc(out)


class RnnCell(nn.Module):
    """W3: the seed's from-scratch RNN (i2h, i2o on cat(input, hidden), LogSoftmax)."""

    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.i2h = nn.Linear(input_size + hidden_size, hidden_size)
        self.i2o = nn.Linear(input_size + hidden_size, output_size)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, x, hidden):
        combined = torch.cat((x, hidden), 1)
        hidden = self.i2h(combined)
        output = self.softmax(self.i2o(combined))
        return output, hidden


class LastStepLstm(nn.Module):
    """W4/W5: Lstm(batch-first) and Linear(H -> 1) on the last step."""

    def __init__(self, input_size, hidden_size, layers):
        super().__init__()
        self.lstm = nn.LSTM(input_size, hidden_size, layers, batch_first=True)
        self.fc = nn.Linear(hidden_size, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])


def lstm_flops(i, h, layers, t, b):
    f = 0.0
    for l in range(layers):
        f += 6.0 * t * b * 4 * h * ((i if l == 0 else h) + h)
    return f - 2.0 * t * b * 4 * h * i


def make(name):
    """Returns (step function, description, matrix-product FLOPs per step or 0, default steps)."""
    if name == "W1":
        model = SimpleRnn()
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        x, y = torch.randn(10, 10, 1), torch.randn(10, 10, 1)

        def step():
            loss = F.mse_loss(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss.item()
        return step, "seed SimpleRNN", 0.0, 20000
    if name == "W2":
        model = nn.Sequential(nn.Linear(10, 2), nn.Tanh(), nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 10))
        opt = torch.optim.SGD(model.parameters(), lr=0.01)
        x, y = torch.randn(10, 10), torch.randn(10, 10)

        def step():
            loss = F.mse_loss(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss.item()
        return step, "seed FC", 0.0, 20000
    if name == "W3":
        rnn = RnnCell(57, 128, 18)
        word = torch.zeros(7, 1, 57)
        for t, letter in enumerate(torch.randint(0, 57, (7,))):
            word[t, 0, letter] = 1
        target = torch.randint(0, 18, (1,))
        criterion = nn.NLLLoss()
        lr = 0.005

        def step():
            # The seed's train(): init hidden, loop over letters, NLL on the last output, manual SGD.
            hidden = torch.zeros(1, 128)
            rnn.zero_grad()
            for t in range(word.size(0)):
                output, hidden = rnn(word[t], hidden)
            loss = criterion(output, target)
            loss.backward()
            for p in rnn.parameters():
                p.data.add_(p.grad.data, alpha=-lr)
            return loss.item()
        return step, "seed RnnCell", 0.0, 20000
    if name in ("W4", "W5"):
        i, h, layers, t, b, steps = (1, 64, 1, 48, 64, 200) if name == "W4" else (8, 256, 2, 100, 128, 5)
        model = LastStepLstm(i, h, layers)
        opt = torch.optim.Adam(model.parameters(), lr=1e-3)
        x, y = torch.randn(b, t, i), torch.randn(b, 1)

        def step():
            loss = F.mse_loss(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            return loss.item()
        return step, f"Lstm({i}->{h}, {layers} layers) B={b} T={t}", lstm_flops(i, h, layers, t, b), steps
    raise SystemExit(f"error: unknown workload '{name}'; expected W1, W2, W3, W4, W5 or all")


# Same warm-up rule as `hindsight bench`: at least 2 s and min(N, 200) steps.
WARMUP_SECONDS = 2.0


def run(name, steps):
    """Warms up one instance (>= 2 s), then times N steps of a fresh one after one untimed step (as `hindsight bench`)."""
    torch.manual_seed(0)
    step, description, flops, default_steps = make(name)
    n = steps or default_steps
    warmup = max(2, min(n, 200))
    start = time.perf_counter()
    i = 0
    while i < warmup or time.perf_counter() - start < WARMUP_SECONDS:
        step()
        i += 1
    torch.manual_seed(0)
    step, description, flops, default_steps = make(name)
    step()
    start = time.perf_counter()
    loss = 0.0
    for _ in range(n):
        loss = step()
    seconds = time.perf_counter() - start
    result = {"workload": name, "description": description, "steps": n, "usPerStep": seconds * 1e6 / n,
              "gflopPerSecond": flops * n / seconds / 1e9 if flops else None, "finalLoss": loss}
    return result


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("workload", nargs="?", default="all")
    parser.add_argument("--steps", type=int)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    if args.steps is not None and args.steps <= 0:
        raise SystemExit(f"error: --steps must be positive, got {args.steps}")
    torch.set_num_threads(args.threads)
    names = ["W1", "W2", "W3", "W4", "W5"] if args.workload.lower() == "all" else [args.workload.upper()]
    results = []
    for name in names:
        r = run(name, args.steps)
        results.append(r)
        if not args.json:
            line = f"{name} {r['usPerStep']:.1f} us/step"
            if r["gflopPerSecond"]:
                line += f"  {r['gflopPerSecond']:.1f} GFLOP/s"
            print(line + f"  ({r['steps']} steps, loss {r['finalLoss']:.5g})", flush=True)
    if args.json:
        print(json.dumps({"engine": "pytorch " + torch.__version__, "threads": torch.get_num_threads(), "results": results}))


if __name__ == "__main__":
    main()
