"""Parity fixture for `hindsight lesson`: the seed's models trained a few SGD steps in PyTorch.

For each model (fc, rnn, jordan, lstm, gru, as built by Hindsight.Lesson.LessonModels) the fixture holds the initial
weights (PyTorch state_dict names under "<model>.init."), the loss of every step, the first step's outputs and the
weights after the last step ("<model>.final."); the batches "x<i>"/"y<i>" are shared. Small sizes: batch 4 rows,
windows of 5, hidden 3, 3 SGD steps at lr 0.1 (large, so weight changes are well above float32 noise).

Run: /usr/bin/python3 tools/reference/lesson_fixtures.py   (writes tests/fixtures/lesson_steps.safetensors)
"""
import torch
import torch.nn as nn

from fixture_io import save

B, T, H, STEPS, LR = 4, 5, 3, 3, 0.1


class FullyConnected(nn.Module):  # the seed's FullyConnected, Linear(10, h) generalised to Linear(T, h)
    def __init__(self):
        super().__init__()
        self.linear_with_tanh = nn.Sequential(nn.Linear(T, H), nn.Tanh(), nn.Linear(H, H), nn.Tanh(), nn.Linear(H, T))

    def forward(self, x):  # x (B, T)
        return self.linear_with_tanh(x)


class SimpleRNN(nn.Module):  # the seed's SimpleRNN: zero h0 for batch_size rows, Linear(h, 1) on every step
    def __init__(self):
        super().__init__()
        self.rnn = nn.RNN(1, H, 1, batch_first=True)
        self.out = nn.Linear(H, 1)

    def forward(self, x):
        output, _ = self.rnn(x.unsqueeze(2), torch.zeros(1, B, H))
        return self.out(output).squeeze(2)


class Gated(nn.Module):  # LSTM / GRU + Linear(h, 1) on every step, zero initial state
    def __init__(self, kind):
        super().__init__()
        self.kind = kind
        setattr(self, kind, (nn.LSTM if kind == "lstm" else nn.GRU)(1, H, 1, batch_first=True))
        self.out = nn.Linear(H, 1)

    def forward(self, x):
        output = getattr(self, self.kind)(x.unsqueeze(2))[0]
        return self.out(output).squeeze(2)


class JordanLayer(nn.Module):  # h_t = tanh(W_ih x_t + b_h + W_yh y_{t-1}); y_t = W_ho h_t + b_o (identity output)
    def __init__(self):
        super().__init__()
        k = 1.0 / H ** 0.5
        u = lambda *s: nn.Parameter(torch.empty(*s).uniform_(-k, k))
        self.weight_ih_l0, self.weight_yh_l0, self.bias_h_l0 = u(H, 1), u(H, 1), u(H)
        self.weight_ho_l0, self.bias_o_l0 = u(1, H), u(1)

    def forward(self, x):  # x (B, T, 1) -> (B, T, 1)
        y, outs = torch.zeros(x.shape[0], 1), []
        for t in range(x.shape[1]):
            h = torch.tanh(x[:, t] @ self.weight_ih_l0.T + self.bias_h_l0 + y @ self.weight_yh_l0.T)
            y = h @ self.weight_ho_l0.T + self.bias_o_l0
            outs.append(y)
        return torch.stack(outs, 1)


class JordanModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.jordan = JordanLayer()

    def forward(self, x):
        return self.jordan(x.unsqueeze(2)).squeeze(2)


def main():
    torch.manual_seed(20261126)
    tensors = {}
    batches = []
    for i in range(STEPS):
        series = 1.0 + 0.3 * torch.randn(B, T + 1)
        x, y = series[:, :T], series[:, 1:]
        tensors[f"x{i}"], tensors[f"y{i}"] = x, y
        batches.append((x, y))
    models = {"fc": FullyConnected(), "rnn": SimpleRNN(), "jordan": JordanModel(), "lstm": Gated("lstm"), "gru": Gated("gru")}
    for name, model in models.items():
        for k, v in model.state_dict().items():
            tensors[f"{name}.init.{k}"] = v.clone()
        opt = torch.optim.SGD(model.parameters(), lr=LR)
        losses = []
        for i, (x, y) in enumerate(batches):
            out = model(x)
            loss = nn.functional.mse_loss(out, y)
            if i == 0:
                tensors[f"{name}.output0"] = out.detach().clone()
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        tensors[f"{name}.loss"] = torch.tensor(losses)
        for k, v in model.state_dict().items():
            tensors[f"{name}.final.{k}"] = v.clone()
    save("lesson_steps", tensors, {"batch": B, "seq_length": T, "hidden": H, "steps": STEPS, "lr": LR})


if __name__ == "__main__":
    main()
