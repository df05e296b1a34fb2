"""The seed tutorial's FC-vs-RNN experiment in PyTorch, on the bundled data, over 10 seeds (a cross-check of
`hindsight lesson --seeds 10`; the random streams differ, so numbers agree in distribution, not digit for digit).

Same procedure as the seed: DataLoader(rows, batch_size=10, shuffle=True), one random window per batch, FC
Linear(10,h)-Tanh-Linear(h,h)-Tanh-Linear(h,10), SimpleRNN nn.RNN(1,h,batch_first) with zero h0 + Linear(h,1),
MSE, SGD lr 0.01, 30 epochs, hidden 2; the RNN skips the short last batch. Per-epoch loss = that epoch's mean
(the seed's RNN loop reports a running mean instead). Rows are divided by their mean (`--scale mean`).

Run: /usr/bin/python3 tools/reference/lesson_seed_experiment.py [hidden] [epochs]
"""
import os
import random
import sys

import numpy as np
import torch
import torch.nn as nn

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "unemployment_wide.csv")
L = 10
H = int(sys.argv[1]) if len(sys.argv) > 1 else 2
EPOCHS = int(sys.argv[2]) if len(sys.argv) > 2 else 30


class FullyConnected(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear_with_tanh = nn.Sequential(nn.Linear(L, H), nn.Tanh(), nn.Linear(H, H), nn.Tanh(), nn.Linear(H, L))

    def forward(self, x):
        return self.linear_with_tanh(x)


class SimpleRNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, H, 1, batch_first=True)
        self.out = nn.Linear(H, 1)

    def forward(self, x):
        output, _ = self.rnn(x, torch.zeros(1, L, H))
        return self.out(output)


def train(model, values, recurrent):
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    loader = torch.utils.data.DataLoader(values, batch_size=L, shuffle=True)
    losses = []
    for _ in range(EPOCHS):
        epoch_losses = []
        for t in loader:
            if recurrent and t.shape[0] != L:
                continue
            i = random.randint(0, t.shape[-1] - L - 1)
            x, y = t[:, i:i + L], t[:, i + 1:i + L + 1]
            loss = nn.functional.mse_loss(*((model(x.unsqueeze(2)), y.unsqueeze(2)) if recurrent else (model(x), y)))
            opt.zero_grad()
            loss.backward()
            opt.step()
            epoch_losses.append(loss.item())
        losses.append(np.mean(epoch_losses))
    return losses


def main():
    values = np.loadtxt(DATA, delimiter=",", skiprows=1)[:, 1:]
    values = torch.tensor(values / values.mean(axis=1, keepdims=True), dtype=torch.float32)
    finals = {"fc": [], "rnn": []}
    for seed in range(10):
        torch.manual_seed(seed)
        random.seed(seed)
        finals["fc"].append(train(FullyConnected(), values, False)[-1])
        finals["rnn"].append(train(SimpleRNN(), values, True)[-1])
    for name, v in finals.items():
        print(f"{name}: final loss {np.mean(v):.4f} +- {np.std(v, ddof=1):.4f} over 10 seeds (hidden {H}, {EPOCHS} epochs)")
    wins = sum(r < f for r, f in zip(finals["rnn"], finals["fc"]))
    print(f"rnn below fc in {wins}/10 seeds")


if __name__ == "__main__":
    main()
