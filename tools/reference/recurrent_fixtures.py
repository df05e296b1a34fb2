"""Parity fixtures for Hindsight's recurrent layers (Rnn tanh/relu, Lstm, Gru), made by PyTorch's nn.RNN/LSTM/GRU.

Run: /usr/bin/python3 tools/reference/recurrent_fixtures.py   (writes tests/fixtures/recurrent_<kind>.safetensors)

Grid (per layer kind: rnn_tanh, rnn_relu, lstm, gru), batch 3 (2 for some), input size 3:
  * the FULL grid at hidden {2, 8} x length {1, 10}: layers {1, 2} x {uni, bi} x {batch_first, time-first}
    x {with, without initial state}  (64 cases per kind);
  * hidden 64 and length 48 are not crossed with everything (file size); the extra cases below cover every
    value of every other axis at least once together with hidden 64 and/or length 48:
      H64 T10  L1 uni tf  init      H64 T48  L2 bi  bf  noinit
      H8  T48  L1 bi  tf  init      H2  T48  L2 uni bf  init      H64 T1 L2 uni tf init
  * variable-length batches (pack_padded_sequence, enforce_sorted=False, pad_packed_sequence back to T):
      unsorted lengths, L1 uni tf and L2 bi bf, with and without initial state, one where max(lengths) < T;
  * bias=False (L2 bi tf H8 T10 init).
Dropout is 0 everywhere (PyTorch's dropout stream cannot be reproduced); multi-layer cases are the dropout=0 cases.

Per case `<case>/...`: input, h0 [, c0], every parameter by PyTorch name, output, h_n [, c_n], the random upstream
gradients grad_output, grad_h_n [, grad_c_n], and the gradients grad/input, grad/h0 [, grad/c0], grad/<param>
of loss = sum(output*grad_output) + sum(h_n*grad_h_n) [+ sum(c_n*grad_c_n)]. Optional `<case>/lengths` (floats).
Metadata `<case>` = JSON config.
"""
import json

import torch
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence

from fixture_io import save

torch.manual_seed(1234)
INPUT = 3

KINDS = {
    "rnn_tanh": lambda **k: torch.nn.RNN(nonlinearity="tanh", **k),
    "rnn_relu": lambda **k: torch.nn.RNN(nonlinearity="relu", **k),
    "lstm": lambda **k: torch.nn.LSTM(**k),
    "gru": lambda **k: torch.nn.GRU(**k),
}


def case_name(c):
    name = f"L{c['layers']}-{'bi' if c['bi'] else 'uni'}-{'bf' if c['bf'] else 'tf'}-H{c['hidden']}-T{c['T']}-{'init' if c['init'] else 'noinit'}"
    if not c.get("bias", True):
        name += "-nobias"
    if c.get("lengths") is not None:
        name += "-len" + "_".join(str(x) for x in c["lengths"])
    return name


def run_case(kind, c, tensors, meta):
    layers, bi, bf, H, T, init = c["layers"], c["bi"], c["bf"], c["hidden"], c["T"], c["init"]
    B = c.get("batch", 3)
    lengths = c.get("lengths")
    D = 2 if bi else 1
    m = KINDS[kind](input_size=INPUT, hidden_size=H, num_layers=layers, bias=c.get("bias", True),
                    batch_first=bf, bidirectional=bi)
    lstm = kind == "lstm"
    x = torch.randn((B, T, INPUT) if bf else (T, B, INPUT), requires_grad=True)
    h0 = torch.randn(layers * D, B, H, requires_grad=True) if init else None
    c0 = torch.randn(layers * D, B, H, requires_grad=True) if (init and lstm) else None
    state = ((h0, c0) if lstm else h0) if init else None

    if lengths is not None:
        packed = pack_padded_sequence(x, torch.tensor(lengths), batch_first=bf, enforce_sorted=False)
        out_p, st = m(packed, state)
        out, _ = pad_packed_sequence(out_p, batch_first=bf, total_length=T)
    else:
        out, st = m(x, state)
    h_n, c_n = st if lstm else (st, None)

    g_out = torch.randn_like(out)
    g_h = torch.randn_like(h_n)
    loss = (out * g_out).sum() + (h_n * g_h).sum()
    if lstm:
        g_c = torch.randn_like(c_n)
        loss = loss + (c_n * g_c).sum()
    loss.backward()

    name = case_name(c)
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
    if lengths is not None:
        tensors[p + "lengths"] = torch.tensor(lengths, dtype=torch.float32)
    meta[name] = json.dumps({"kind": kind, "layers": layers, "bidirectional": bi, "batch_first": bf, "hidden": H,
                             "T": T, "batch": B, "input": INPUT, "init": init, "bias": c.get("bias", True),
                             "lengths": lengths})


def cases():
    out = []
    for H in (2, 8):
        for T in (1, 10):
            for layers in (1, 2):
                for bi in (False, True):
                    for bf in (False, True):
                        for init in (False, True):
                            out.append(dict(layers=layers, bi=bi, bf=bf, hidden=H, T=T, init=init))
    out += [
        dict(layers=1, bi=False, bf=False, hidden=64, T=10, init=True),
        dict(layers=2, bi=True, bf=True, hidden=64, T=48, init=False, batch=2),
        dict(layers=1, bi=True, bf=False, hidden=8, T=48, init=True),
        dict(layers=2, bi=False, bf=True, hidden=2, T=48, init=True),
        dict(layers=2, bi=False, bf=False, hidden=64, T=1, init=True),
        dict(layers=2, bi=True, bf=False, hidden=8, T=10, init=True, bias=False),
        dict(layers=1, bi=False, bf=False, hidden=8, T=10, init=True, lengths=[5, 10, 3]),
        dict(layers=1, bi=False, bf=False, hidden=8, T=10, init=False, lengths=[10, 1, 7]),
        dict(layers=2, bi=True, bf=True, hidden=8, T=10, init=True, lengths=[4, 10, 6]),
        dict(layers=2, bi=True, bf=False, hidden=2, T=10, init=False, lengths=[2, 7, 5]),
    ]
    return out


def main():
    for kind in KINDS:
        tensors, meta = {}, {}
        for c in cases():
            run_case(kind, c, tensors, meta)
        path = save("recurrent_" + kind, tensors, meta)
        print(path, len(meta), "cases")


if __name__ == "__main__":
    main()
