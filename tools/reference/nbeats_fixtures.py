"""Writes the N-BEATS / N-HiTS parity fixtures (tests/fixtures/engine_maxpool.safetensors, nbeats_networks.safetensors).

Run: bash tools/reference/setup.sh && /usr/bin/python3 tools/reference/nbeats_fixtures.py

engine_maxpool      F.max_pool1d over (..., L) cases: <case>/x, g, y, dx (backward of sum(y * g)); metadata "cases" and
                    "<case>" = "kernel,stride,ceil_mode" (stride 0: the kernel).
nbeats_networks     small networks with PyTorch's default initialisation (seed 1234): <case>/param/<name>, x, g, y,
                    dx and <case>/grad/<name>; metadata "cases" and "<case>" = JSON sizes (kind, lookback, horizon,
                    stacks, blocks, width, layers). Reference numbers in float64 from the float32 weights and inputs.

The reference networks follow NeuralForecast's NBEATS / NHITS (blocks of Linear+ReLU, a theta Linear, the trend,
seasonality and identity bases, doubly residual stacking, MaxPool1d(k, k, ceil_mode=True) input pooling and
F.interpolate(mode="linear") of the forecast knots) with one change: NeuralForecast reverses the window before the
blocks (insample_y.flip(-1)); here time runs forward, so the backcast bases are NeuralForecast's with their columns
reversed (and N-HiTS pools the window in forward order).
"""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_io import save

torch.manual_seed(1234)
torch.set_default_dtype(torch.float32)


# ---------------------------------------------------------------------------------------------------------------
# MaxPool1d
# ---------------------------------------------------------------------------------------------------------------

def maxpool_cases():
    ties = torch.tensor([[1.0, 1.0, 0.5, 2.0, 2.0, 2.0, -1.0], [0.0, 0.0, 0.0, 0.0, 3.0, 1.0, 3.0]])
    return {
        "k2_ceil_even": (torch.randn(3, 12), 2, 0, True),
        "k2_ceil_odd": (torch.randn(2, 7), 2, 0, True),
        "k3_ceil": (torch.randn(2, 7), 3, 0, True),
        "k3_floor": (torch.randn(2, 7), 3, 0, False),
        "k4_ceil_short": (torch.randn(2, 3), 4, 0, True),
        "k1": (torch.randn(2, 5), 1, 0, True),
        "k3_s2_floor": (torch.randn(4, 9), 3, 2, False),
        "k3_s2_ceil": (torch.randn(4, 10), 3, 2, True),
        "rank3_k4_ceil": (torch.randn(2, 3, 10), 4, 0, True),
        "ties_k3_ceil": (ties, 3, 0, True),
    }


def write_maxpool():
    tensors, meta = {}, {}
    for name, (x, k, s, ceil) in maxpool_cases().items():
        x = x.clone().double().requires_grad_(True)
        x3 = x.reshape(-1, 1, x.shape[-1])
        y = F.max_pool1d(x3, k, stride=s or k, ceil_mode=ceil).reshape(*x.shape[:-1], -1)
        g = torch.randn(y.shape, dtype=torch.float64)
        (y * g).sum().backward()
        tensors.update({f"{name}/x": x.detach(), f"{name}/g": g, f"{name}/y": y.detach(), f"{name}/dx": x.grad})
        meta[name] = f"{k},{s},{int(ceil)}"
    meta["cases"] = ",".join(maxpool_cases().keys())
    print(save("engine_maxpool", tensors, meta))


# ---------------------------------------------------------------------------------------------------------------
# Networks
# ---------------------------------------------------------------------------------------------------------------

def trend_bases(lookback, horizon, degree=2):
    """NeuralForecast's TrendBasis (rows t^k, t = i/L or i/H), backcast columns reversed to forward time."""
    p = degree + 1
    back = np.stack([np.power(np.arange(lookback, dtype=float) / lookback, k) for k in range(p)])
    fore = np.stack([np.power(np.arange(horizon, dtype=float) / horizon, k) for k in range(p)])
    return back[:, ::-1].copy(), fore


def seasonality_bases(lookback, horizon, harmonics=2):
    """NeuralForecast's SeasonalityBasis (cos rows then sin rows), backcast columns reversed to forward time."""
    frequency = np.append(np.zeros(1), np.arange(harmonics, harmonics / 2 * horizon, dtype=float) / harmonics)[None, :]
    back_grid = -2 * np.pi * (np.arange(lookback, dtype=float)[:, None] / horizon) * frequency
    fore_grid = 2 * np.pi * (np.arange(horizon, dtype=float)[:, None] / horizon) * frequency
    back = np.concatenate([np.cos(back_grid).T, np.sin(back_grid).T])
    fore = np.concatenate([np.cos(fore_grid).T, np.sin(fore_grid).T])
    return back[:, ::-1].copy(), fore


class Block(nn.Module):
    def __init__(self, lookback, horizon, width, layers, basis, pool=1, downsample=1):
        super().__init__()
        self.lookback, self.horizon, self.basis, self.pool = lookback, horizon, basis, pool
        size = int(np.ceil(lookback / pool))
        fc = []
        for i in range(layers):
            fc += [nn.Linear(size if i == 0 else width, width), nn.ReLU()]
        self.fc = nn.Sequential(*fc)
        if basis == "generic":
            self.split, theta = lookback, lookback + horizon
        elif basis == "interpolation":
            self.knots = max(horizon // downsample, 1)
            self.split, theta = lookback, lookback + self.knots
        else:
            back, fore = (trend_bases if basis == "trend" else seasonality_bases)(lookback, horizon)
            self.register_buffer("back", torch.tensor(back, dtype=torch.float32))
            self.register_buffer("fore", torch.tensor(fore, dtype=torch.float32))
            self.split, theta = back.shape[0], back.shape[0] + fore.shape[0]
        self.theta = nn.Linear(width, theta)

    def forward(self, x):
        if self.pool > 1:
            x = F.max_pool1d(x[:, None, :], self.pool, stride=self.pool, ceil_mode=True)[:, 0, :]
        theta = self.theta(self.fc(x))
        back, fore = theta[:, :self.split], theta[:, self.split:]
        if self.basis in ("trend", "seasonality"):
            return back @ self.back, fore @ self.fore
        if self.basis == "interpolation":
            return back, F.interpolate(fore[:, None, :], size=self.horizon, mode="linear")[:, 0, :]
        return back, fore


class Stack(nn.Module):
    def __init__(self, blocks):
        super().__init__()
        self.blocks = nn.ModuleList(blocks)


class Net(nn.Module):
    def __init__(self, kind, lookback, horizon, stacks, blocks, width, layers):
        super().__init__()
        if kind == "nbeats":
            plan = [("generic", 1, 1)] * stacks
        elif kind == "nbeatsi":
            plan = [("trend", 1, 1), ("seasonality", 1, 1)]
        else:
            plan = [("interpolation", min(2, 2 ** (stacks - 1 - s)), 2 ** (stacks - 1 - s)) for s in range(stacks)]
        self.stacks = nn.ModuleList(
            Stack([Block(lookback, horizon, width, layers, b, p, d) for _ in range(blocks)]) for b, p, d in plan)

    def forward(self, x):
        residual, forecast = x, 0
        for stack in self.stacks:
            for block in stack.blocks:
                back, fore = block(residual)
                residual = residual - back
                forecast = forecast + fore
        return forecast


NETWORKS = {
    "nbeats": dict(kind="nbeats", lookback=8, horizon=4, stacks=2, blocks=1, width=16, layers=2),
    "nbeats_deep": dict(kind="nbeats", lookback=6, horizon=3, stacks=1, blocks=3, width=8, layers=3),
    "nbeatsi": dict(kind="nbeatsi", lookback=12, horizon=6, stacks=2, blocks=2, width=16, layers=2),
    "nbeatsi_h1": dict(kind="nbeatsi", lookback=3, horizon=1, stacks=2, blocks=1, width=8, layers=1),
    "nhits": dict(kind="nhits", lookback=12, horizon=6, stacks=3, blocks=1, width=16, layers=2),
    "nhits_odd": dict(kind="nhits", lookback=9, horizon=7, stacks=3, blocks=2, width=8, layers=2),
}


def write_networks():
    tensors, meta = {}, {}
    for name, c in NETWORKS.items():
        net = Net(**c)
        for p_name, p in net.state_dict().items():
            if p_name.endswith((".back", ".fore")):
                continue
            tensors[f"{name}/param/{p_name}"] = p.clone()
        net = net.double()
        x = torch.randn(5, c["lookback"], dtype=torch.float64).float().double().requires_grad_(True)
        y = net(x)
        g = torch.randn(y.shape).double()
        (y * g).sum().backward()
        tensors.update({f"{name}/x": x.detach(), f"{name}/g": g, f"{name}/y": y.detach(), f"{name}/dx": x.grad})
        for p_name, p in net.named_parameters():
            tensors[f"{name}/grad/{p_name}"] = p.grad
        meta[name] = json.dumps(c)
    meta["cases"] = ",".join(NETWORKS.keys())
    print(save("nbeats_networks", tensors, meta))


if __name__ == "__main__":
    write_maxpool()
    write_networks()
