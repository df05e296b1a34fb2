"""PyTorch <-> Hindsight weight interchange for nn.LSTM and nn.GRU through safetensors with state_dict names.

Run with Debian's PyTorch:  /usr/bin/python3 tools/reference/interchange_fixtures.py
Writes tests/fixtures/:
  torch_trained_lstm.safetensors   Net(LSTM): rnn = nn.LSTM(3, 8, num_layers=2, bidirectional=True, batch_first=True),
                                   out = nn.Linear(16, 2) on every step; trained 5 Adam steps, saved as state_dict
                                   (rnn.weight_ih_l0, ..., rnn.weight_hh_l1_reverse, out.weight, out.bias)
  torch_trained_gru.safetensors    Net(GRU): rnn = nn.GRU(3, 8) (time-first, 1 layer), out = nn.Linear(8, 2); same
  torch_trained_recurrent_io.safetensors
                                   inputs, initial states, and the trained models' outputs and final states, with zero
                                   and with given initial states, for the C# load test
  from_hindsight_recurrent_torch_outputs.safetensors
                                   torch's outputs of the LSTM and GRU models Hindsight wrote
                                   (tests/fixtures/from_hindsight_lstm.safetensors, _gru.safetensors, loaded with
                                   load_state_dict(strict=True); regenerate those with
                                   `HINDSIGHT_WRITE_FIXTURES=1 dotnet test --filter FromHindsightFiles`)

Everything runs in float32, as a user's PyTorch would.
"""
import os

import torch
import torch.nn as nn

from cell_fixtures import read_safetensors
from fixture_io import FIXTURES, save


class Net(nn.Module):
    """A recurrent layer `rnn` (nn.LSTM or nn.GRU) and a Linear head `out` applied to the output of every step."""

    def __init__(self, kind, inputs, hidden, classes, num_layers=1, bidirectional=False, batch_first=False):
        super().__init__()
        cls = {"lstm": nn.LSTM, "gru": nn.GRU}[kind]
        self.rnn = cls(inputs, hidden, num_layers=num_layers, bidirectional=bidirectional, batch_first=batch_first)
        self.out = nn.Linear(hidden * (2 if bidirectional else 1), classes)

    def forward(self, x, state=None):
        y, state = self.rnn(x, state)
        return self.out(y), state


def lstm_net(inputs=3, hidden=8, classes=2):
    return Net("lstm", inputs, hidden, classes, num_layers=2, bidirectional=True, batch_first=True)


def gru_net(inputs=3, hidden=8, classes=2):
    return Net("gru", inputs, hidden, classes)


def run(prefix, model, x, state, t):
    """Stores x, the optional initial state and the model's outputs and final states under prefix."""
    logits, final = model(x, state)
    t[prefix + "x"] = x
    if isinstance(final, tuple):  # LSTM: (h, c)
        if state is not None:
            t[prefix + "h0"], t[prefix + "c0"] = state
        t[prefix + "logits"], t[prefix + "h"], t[prefix + "c"] = logits, final[0], final[1]
    else:
        if state is not None:
            t[prefix + "h0"] = state
        t[prefix + "logits"], t[prefix + "h"] = logits, final


def torch_trained():
    torch.manual_seed(31)
    lstm, gru = lstm_net(), gru_net()
    # Fixed training data: LSTM batch-first (B=4, T=6, 3), GRU time-first (T=7, B=3, 3); targets for every step.
    lx, ly = torch.randn(4, 6, 3), torch.randn(4, 6, 2)
    gx, gy = torch.randn(7, 3, 3), torch.randn(7, 3, 2)
    for model, x, y in ((lstm, lx, ly), (gru, gx, gy)):
        opt = torch.optim.Adam(model.parameters(), lr=0.05)
        for _ in range(5):
            opt.zero_grad()
            nn.functional.mse_loss(model(x)[0], y).backward()
            opt.step()
    t = {}
    with torch.no_grad():
        save("torch_trained_lstm", lstm.state_dict(), {"model": "Net: nn.LSTM(3, 8, num_layers=2, bidirectional=True, batch_first=True) + Linear(16, 2) on every step", "steps": 5, "optimizer": "Adam(lr=0.05)"})
        save("torch_trained_gru", gru.state_dict(), {"model": "Net: nn.GRU(3, 8) + Linear(8, 2) on every step", "steps": 5, "optimizer": "Adam(lr=0.05)"})
        # Fresh inputs (not the training data): zero initial state, then given initial states (L*D, B, H).
        run("lstm.", lstm, torch.randn(3, 5, 3), None, t)
        run("lstm_state.", lstm, torch.randn(3, 5, 3), (torch.randn(4, 3, 8), torch.randn(4, 3, 8)), t)
        run("gru.", gru, torch.randn(6, 2, 3), None, t)
        run("gru_state.", gru, torch.randn(6, 2, 3), torch.randn(1, 2, 8), t)
    save("torch_trained_recurrent_io", t)


def from_hindsight():
    """Loads the LSTM and GRU models Hindsight wrote (strict), runs them, saves torch's outputs for the C# test."""
    models = {}
    for kind, make in (("lstm", lstm_net), ("gru", gru_net)):
        path = os.path.join(FIXTURES, f"from_hindsight_{kind}.safetensors")
        if not os.path.exists(path):
            print(f"{path} missing: run `HINDSIGHT_WRITE_FIXTURES=1 dotnet test tests/Hindsight.Tests -c Release "
                  "--filter FullyQualifiedName~FromHindsightFiles` first; skipping")
            return
        state, meta = read_safetensors(path)
        model = make(int(meta["input"]), int(meta["hidden"]), int(meta["output"]))
        model.load_state_dict(state, strict=True)
        models[kind] = model
    lstm, gru = models["lstm"], models["gru"]
    L, H = lstm.rnn.num_layers * 2, lstm.rnn.hidden_size
    gen = torch.Generator().manual_seed(7)
    t = {}
    with torch.no_grad():
        run("lstm.", lstm, torch.randn(2, 5, lstm.rnn.input_size, generator=gen), None, t)
        run("lstm_state.", lstm, torch.randn(2, 5, lstm.rnn.input_size, generator=gen),
            (torch.randn(L, 2, H, generator=gen), torch.randn(L, 2, H, generator=gen)), t)
        run("gru.", gru, torch.randn(6, 3, gru.rnn.input_size, generator=gen), None, t)
        run("gru_state.", gru, torch.randn(6, 3, gru.rnn.input_size, generator=gen),
            torch.randn(1, 3, gru.rnn.hidden_size, generator=gen), t)
    save("from_hindsight_recurrent_torch_outputs", t)


if __name__ == "__main__":
    torch_trained()
    from_hindsight()
