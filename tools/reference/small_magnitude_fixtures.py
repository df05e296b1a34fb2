"""Parity fixtures at small magnitudes for Rnn (tanh), Lstm and Gru, made by PyTorch's nn.RNN/LSTM/GRU.

Run: /usr/bin/python3 tools/reference/small_magnitude_fixtures.py
(writes tests/fixtures/recurrent_small_<kind>.safetensors; the layout is recurrent_fixtures.py's).

Why: tanh and sigmoid computed through exp lose their relative precision near zero, so with small weights or small
inputs a layer's outputs and gradients drift from PyTorch's even though every op is "within 5e-8". These cases keep
every activation's argument small (issue "Hardening", point 4):
  * w001:       PyTorch's default initialisation with every weight and bias scaled by 0.01, inputs N(0, 1);
  * x1e-3:      default weights, no biases, inputs (and initial states) scaled by 1e-3;
  * both:       weights x0.01, no biases, inputs x1e-3.
Each family over hidden {2, 8, 64}, lengths {1, 10, 48}, layers {1, 2}, uni/bi, batch-first or not, with/without
initial state (a spread of combinations, not the full cross product).
"""
import json

import torch

from fixture_io import save
from recurrent_fixtures import INPUT, KINDS

torch.manual_seed(4321)

FAMILIES = {
    "w001": dict(weights=0.01, inputs=1.0, bias=True),
    "x1e-3": dict(weights=1.0, inputs=1e-3, bias=False),
    "both": dict(weights=0.01, inputs=1e-3, bias=False),
}

SHAPES = [
    dict(layers=1, bi=False, bf=False, hidden=2, T=10, init=False),
    dict(layers=1, bi=False, bf=True, hidden=8, T=48, init=True),
    dict(layers=2, bi=True, bf=False, hidden=8, T=10, init=True),
    dict(layers=1, bi=True, bf=True, hidden=64, T=10, init=False),
    dict(layers=2, bi=False, bf=False, hidden=64, T=48, init=True, batch=2),
    dict(layers=1, bi=False, bf=False, hidden=2, T=1, init=True),
]


def run_case(kind, family, shape, tensors, meta):
    f = FAMILIES[family]
    layers, bi, bf, H, T, init = shape["layers"], shape["bi"], shape["bf"], shape["hidden"], shape["T"], shape["init"]
    B = shape.get("batch", 3)
    D = 2 if bi else 1
    m = KINDS[kind](input_size=INPUT, hidden_size=H, num_layers=layers, bias=f["bias"], batch_first=bf, bidirectional=bi)
    with torch.no_grad():
        for p in m.parameters():
            p.mul_(f["weights"])
    lstm = kind == "lstm"
    x = (torch.randn((B, T, INPUT) if bf else (T, B, INPUT)) * f["inputs"]).requires_grad_(True)
    h0 = (torch.randn(layers * D, B, H) * f["inputs"]).requires_grad_(True) if init else None
    c0 = (torch.randn(layers * D, B, H) * f["inputs"]).requires_grad_(True) if (init and lstm) else None
    state = ((h0, c0) if lstm else h0) if init else None
    out, st = m(x, state)
    h_n, c_n = st if lstm else (st, None)
    g_out = torch.randn_like(out)
    g_h = torch.randn_like(h_n)
    loss = (out * g_out).sum() + (h_n * g_h).sum()
    if lstm:
        g_c = torch.randn_like(c_n)
        loss = loss + (c_n * g_c).sum()
    loss.backward()

    name = (f"{family}-L{layers}-{'bi' if bi else 'uni'}-{'bf' if bf else 'tf'}-H{H}-T{T}-"
            f"{'init' if init else 'noinit'}")
    p = name + "/"
    tensors[p + "input"] = x
    tensors[p + "grad/input"] = x.grad
    if init:
        tensors[p + "h0"] = h0
        tensors[p + "grad/h0"] = h0.grad
        if lstm:
            tensors[p + "c0"] = c0
            tensors[p + "grad/c0"] = c0.grad
    for pn, pv in m.named_parameters():
        tensors[p + pn] = pv
        tensors[p + "grad/" + pn] = pv.grad
    tensors[p + "output"] = out
    tensors[p + "h_n"] = h_n
    tensors[p + "grad_output"] = g_out
    tensors[p + "grad_h_n"] = g_h
    if lstm:
        tensors[p + "c_n"] = c_n
        tensors[p + "grad_c_n"] = g_c
    meta[name] = json.dumps({"kind": kind, "layers": layers, "bidirectional": bi, "batch_first": bf, "hidden": H,
                             "T": T, "batch": B, "input": INPUT, "init": init, "bias": f["bias"], "lengths": None,
                             "family": family, "weight_scale": f["weights"], "input_scale": f["inputs"]})


def main():
    for kind in ("rnn_tanh", "lstm", "gru"):
        tensors, meta = {}, {}
        for family in FAMILIES:
            for shape in SHAPES:
                run_case(kind, family, shape, tensors, meta)
        path = save("recurrent_small_" + kind, tensors, meta)
        print(path, len(meta), "cases")


if __name__ == "__main__":
    main()
