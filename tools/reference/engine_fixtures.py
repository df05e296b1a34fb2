"""Writes the engine's PyTorch parity fixtures (tests/fixtures/engine_*.safetensors).

Run: bash tools/reference/setup.sh && /usr/bin/python3 tools/reference/engine_fixtures.py

Every case stores its inputs, an upstream gradient g, the output y and every input gradient of sum(y * g)
(a random g, so gradients are not trivially ones). Tensor names are "<case>/<tensor>". The C# tests
(tests/Hindsight.Tests/Engine/*ParityTests.cs) rebuild each case by name and compare.

  engine_ops.safetensors         every op of Ops: <case>/x0.. inputs, g, y, dx0.. gradients
  engine_layers.safetensors      every layer: x, g, y, dx, param/<name>, grad/<name>; metadata "<case>.names"
  engine_losses.safetensors      every loss x reduction: input, target, g, y, dinput, dtarget (regression losses)
  engine_optimizers.safetensors  Linear(5,8)-Tanh-Linear(8,3) trained 10 steps with MSE per optimizer config:
                                 init/<name>, data/x, data/y, <case>/losses (10), <case>/final/<name>;
                                 metadata "<case>" = JSON hyper-parameters; clip_grad_norm_ cases
"""
import collections
import json

import torch
import torch.nn as nn
import torch.nn.functional as F

from fixture_io import save

torch.manual_seed(1234)
torch.set_default_dtype(torch.float32)


def randn(*shape, scale=1.0):
    return torch.randn(*shape) * scale


# ---------------------------------------------------------------------------------------------------------------
# Ops
# ---------------------------------------------------------------------------------------------------------------

def op_cases():
    """name -> (list of input tensors, function of the inputs). Keep in step with OpsParityTests.Cases."""
    relu_x = randn(3, 4)
    relu_x[0, 1] = 0.0  # the gradient at exactly 0 is 0 (threshold_backward)
    c = collections.OrderedDict()
    c["matmul_nn"] = ([randn(3, 4), randn(4, 5)], lambda a, b: a @ b)
    c["matmul_tn"] = ([randn(4, 3), randn(4, 5)], lambda a, b: a.t() @ b)
    c["matmul_nt"] = ([randn(3, 4), randn(5, 4)], lambda a, b: a @ b.t())
    c["matmul_tt"] = ([randn(4, 3), randn(5, 4)], lambda a, b: a.t() @ b.t())
    c["linear_bias_2d"] = ([randn(4, 5), randn(3, 5), randn(3)], F.linear)
    c["linear_nobias_2d"] = ([randn(4, 5), randn(3, 5)], F.linear)
    c["linear_bias_3d"] = ([randn(2, 4, 5), randn(3, 5), randn(3)], F.linear)
    c["linear_nobias_3d"] = ([randn(2, 4, 5), randn(3, 5)], F.linear)
    for name, fn in (("add", torch.add), ("sub", torch.sub), ("mul", torch.mul)):
        c[f"{name}_same"] = ([randn(3, 4), randn(3, 4)], fn)
        c[f"{name}_row"] = ([randn(4, 5), randn(5)], fn)
        c[f"{name}_row_left"] = ([randn(5), randn(4, 5)], fn)
        c[f"{name}_general"] = ([randn(3, 1, 4), randn(2, 1)], fn)
        c[f"{name}_general_left"] = ([randn(2, 1), randn(3, 1, 4)], fn)
        c[f"{name}_column"] = ([randn(3, 4), randn(3, 1)], fn)
        c[f"{name}_scalar"] = ([randn(2, 3), randn(1)], fn)
    c["scale"] = ([randn(3, 4)], lambda x: x * 0.37)
    c["scale_negative"] = ([randn(2, 3, 2)], lambda x: x * -2.5)
    c["tanh"] = ([randn(3, 4, scale=2.0)], torch.tanh)
    c["sigmoid"] = ([randn(3, 4, scale=3.0)], torch.sigmoid)
    c["relu"] = ([relu_x], torch.relu)
    for d, tag in ((0, "d0"), (1, "d1"), (-1, "dm1")):
        c[f"softmax_{tag}"] = ([randn(2, 3, 4, scale=2.0)], lambda x, d=d: torch.softmax(x, d))
        c[f"log_softmax_{tag}"] = ([randn(2, 3, 4, scale=2.0)], lambda x, d=d: torch.log_softmax(x, d))
    c["softmax_2d_d1"] = ([randn(4, 6, scale=3.0)], lambda x: torch.softmax(x, 1))
    c["log_softmax_2d_d0"] = ([randn(4, 6, scale=3.0)], lambda x: torch.log_softmax(x, 0))
    c["concat_d0"] = ([randn(2, 3, 2), randn(1, 3, 2), randn(3, 3, 2)], lambda a, b, d: torch.cat((a, b, d), 0))
    c["concat_d1"] = ([randn(2, 1, 3), randn(2, 2, 3), randn(2, 3, 3)], lambda a, b, d: torch.cat((a, b, d), 1))
    c["concat_d1_2d"] = ([randn(3, 2), randn(3, 4), randn(3, 1)], lambda a, b, d: torch.cat((a, b, d), 1))
    c["concat_dm1"] = ([randn(2, 2, 1), randn(2, 2, 3), randn(2, 2, 2)], lambda a, b, d: torch.cat((a, b, d), -1))
    c["slice_d0"] = ([randn(4, 3, 2)], lambda x: x.narrow(0, 2, 1))
    c["slice_d1"] = ([randn(3, 5, 2)], lambda x: x.narrow(1, 1, 3))
    c["slice_dm1"] = ([randn(2, 3, 6)], lambda x: x.narrow(-1, 3, 3))
    c["select_d0"] = ([randn(3, 4, 2)], lambda x: x.select(0, 0))
    c["select_d1"] = ([randn(3, 4, 2)], lambda x: x.select(1, 2))
    c["select_dm1"] = ([randn(3, 4, 2)], lambda x: x.select(-1, 1))
    c["reshape"] = ([randn(2, 3, 4)], lambda x: x.reshape(4, 6))
    c["reshape_infer"] = ([randn(2, 3, 4)], lambda x: x.reshape(-1, 2, 3))
    c["flatten_all"] = ([randn(2, 3, 4)], lambda x: torch.flatten(x))
    c["flatten_from1"] = ([randn(2, 3, 4)], lambda x: torch.flatten(x, 1))
    c["flatten_0_1"] = ([randn(2, 3, 4)], lambda x: torch.flatten(x, 0, 1))
    c["sum_all"] = ([randn(3, 4)], lambda x: x.sum())
    c["mean_all"] = ([randn(2, 3, 4)], lambda x: x.mean())
    c["sum_d0"] = ([randn(2, 3, 4)], lambda x: x.sum(0))
    c["sum_d1_keepdim"] = ([randn(2, 3, 4)], lambda x: x.sum(1, keepdim=True))
    c["sum_dm1"] = ([randn(2, 3, 4)], lambda x: x.sum(-1))
    c["mean_d0_keepdim"] = ([randn(2, 3, 4)], lambda x: x.mean(0, keepdim=True))
    c["mean_d1"] = ([randn(2, 3, 4)], lambda x: x.mean(1))
    c["mean_dm1_keepdim"] = ([randn(2, 3, 4)], lambda x: x.mean(-1, keepdim=True))
    return c


def write_ops():
    out = {}
    cases = op_cases()
    for name, (inputs, fn) in cases.items():
        xs = [t.clone().requires_grad_(True) for t in inputs]
        y = fn(*xs)
        g = torch.randn(y.shape)
        (y * g).sum().backward()
        for i, x in enumerate(xs):
            out[f"{name}/x{i}"] = x.detach()
            out[f"{name}/dx{i}"] = x.grad
        out[f"{name}/g"] = g
        out[f"{name}/y"] = y.detach()
    save("engine_ops", out, {"cases": ",".join(cases.keys())})


# ---------------------------------------------------------------------------------------------------------------
# Layers
# ---------------------------------------------------------------------------------------------------------------

def layer_cases():
    """name -> (module, input). Keep in step with LayerParityTests.Build."""
    c = collections.OrderedDict()
    c["linear_bias"] = (nn.Linear(5, 3), randn(4, 5))
    c["linear_nobias_3d"] = (nn.Linear(5, 3, bias=False), randn(2, 4, 5))
    c["tanh"] = (nn.Tanh(), randn(3, 4, scale=2.0))
    c["sigmoid"] = (nn.Sigmoid(), randn(3, 4, scale=2.0))
    c["relu"] = (nn.ReLU(), randn(3, 4))
    c["softmax_d1"] = (nn.Softmax(dim=1), randn(2, 3, 4))
    c["log_softmax_dm1"] = (nn.LogSoftmax(dim=-1), randn(2, 3, 4))
    c["flatten"] = (nn.Flatten(), randn(2, 3, 2, 2))
    c["sequential_indexed"] = (nn.Sequential(nn.Linear(4, 6), nn.ReLU(), nn.Linear(6, 3)), randn(5, 4))
    c["sequential_named"] = (nn.Sequential(collections.OrderedDict([
        ("flatten", nn.Flatten()),
        ("linear_with_tanh", nn.Sequential(nn.Linear(6, 5), nn.Tanh(), nn.Linear(5, 4), nn.Tanh())),
        ("output", nn.Linear(4, 3)),
        ("log_softmax", nn.LogSoftmax(dim=1)),
    ])), randn(3, 2, 3))
    return c


def write_layers():
    out, meta = {}, {}
    cases = layer_cases()
    for name, (module, x) in cases.items():
        x = x.clone().requires_grad_(True)
        y = module(x)
        g = torch.randn(y.shape)
        (y * g).sum().backward()
        out[f"{name}/x"] = x.detach()
        out[f"{name}/g"] = g
        out[f"{name}/y"] = y.detach()
        out[f"{name}/dx"] = x.grad
        names = []
        for pname, p in module.named_parameters():
            names.append(pname)
            out[f"{name}/param/{pname}"] = p.detach()
            out[f"{name}/grad/{pname}"] = p.grad
        assert names == list(module.state_dict().keys())
        meta[f"{name}.names"] = json.dumps(names)
    meta["cases"] = ",".join(cases.keys())
    save("engine_layers", out, meta)


# ---------------------------------------------------------------------------------------------------------------
# Losses
# ---------------------------------------------------------------------------------------------------------------

def write_losses():
    out, names = {}, []
    reductions = ("mean", "sum", "none")
    pred, target = randn(4, 3, scale=1.5), randn(4, 3)
    l1_pred = randn(4, 3)
    l1_target = randn(4, 3)
    l1_target[1, 2] = l1_pred[1, 2]  # sign(0) = 0: zero gradient where prediction equals target
    logits, classes = randn(5, 4, scale=2.0), torch.tensor([1, 0, 3, 3, 2])
    logp = torch.log_softmax(randn(5, 4, scale=2.0), 1)
    regression = (
        ("mse", pred, target, lambda p, t, r: F.mse_loss(p, t, reduction=r)),
        ("l1", l1_pred, l1_target, lambda p, t, r: F.l1_loss(p, t, reduction=r)),
        ("huber_delta1", pred, target, lambda p, t, r: F.huber_loss(p, t, reduction=r, delta=1.0)),
        ("huber_delta0p5", pred, target, lambda p, t, r: F.huber_loss(p, t, reduction=r, delta=0.5)),
    )
    for tag, p0, t0, fn in regression:
        for r in reductions:
            name = f"{tag}_{r}"
            p, t = p0.clone().requires_grad_(True), t0.clone().requires_grad_(True)
            y = fn(p, t, r)
            g = torch.randn(y.shape) if r == "none" else torch.ones(())
            (y * g).sum().backward()
            out.update({f"{name}/input": p.detach(), f"{name}/target": t.detach(), f"{name}/g": g,
                        f"{name}/y": y.detach(), f"{name}/dinput": p.grad, f"{name}/dtarget": t.grad})
            names.append(name)
    classification = (
        ("cross_entropy", logits, lambda x, r: F.cross_entropy(x, classes, reduction=r)),
        ("nll", logp, lambda x, r: F.nll_loss(x, classes, reduction=r)),
    )
    for tag, x0, fn in classification:
        for r in reductions:
            name = f"{tag}_{r}"
            x = x0.clone().requires_grad_(True)
            y = fn(x, r)
            g = torch.randn(y.shape) if r == "none" else torch.ones(())
            (y * g).sum().backward()
            out.update({f"{name}/input": x.detach(), f"{name}/target": classes.float(), f"{name}/g": g,
                        f"{name}/y": y.detach(), f"{name}/dinput": x.grad})
            names.append(name)
    save("engine_losses", out, {"cases": ",".join(names)})


# ---------------------------------------------------------------------------------------------------------------
# Optimizers
# ---------------------------------------------------------------------------------------------------------------

OPTIMIZERS = collections.OrderedDict([
    ("sgd", {"type": "sgd", "lr": 0.1}),
    ("sgd_momentum", {"type": "sgd", "lr": 0.1, "momentum": 0.9}),
    ("sgd_dampening", {"type": "sgd", "lr": 0.1, "momentum": 0.9, "dampening": 0.3}),
    ("sgd_nesterov", {"type": "sgd", "lr": 0.1, "momentum": 0.9, "nesterov": True}),
    ("sgd_weight_decay", {"type": "sgd", "lr": 0.1, "weight_decay": 0.05}),
    ("sgd_nesterov_weight_decay", {"type": "sgd", "lr": 0.1, "momentum": 0.8, "nesterov": True, "weight_decay": 0.05}),
    ("adam", {"type": "adam", "lr": 0.01}),
    ("adam_betas_eps", {"type": "adam", "lr": 0.02, "betas": [0.8, 0.95], "eps": 1e-6}),
    ("adam_weight_decay", {"type": "adam", "lr": 0.01, "weight_decay": 0.1}),
    ("adam_amsgrad", {"type": "adam", "lr": 0.01, "amsgrad": True}),
    ("adamw", {"type": "adamw", "lr": 0.01}),
    ("adamw_weight_decay_amsgrad", {"type": "adamw", "lr": 0.01, "weight_decay": 0.1, "amsgrad": True}),
    ("rmsprop", {"type": "rmsprop", "lr": 0.01}),
    ("rmsprop_centered", {"type": "rmsprop", "lr": 0.01, "centered": True}),
    ("rmsprop_momentum", {"type": "rmsprop", "lr": 0.01, "momentum": 0.9}),
    ("rmsprop_weight_decay", {"type": "rmsprop", "lr": 0.01, "weight_decay": 0.1}),
    ("rmsprop_centered_momentum_weight_decay",
     {"type": "rmsprop", "lr": 0.005, "alpha": 0.9, "centered": True, "momentum": 0.5, "weight_decay": 0.05}),
    ("sgd_momentum_clip", {"type": "sgd", "lr": 0.1, "momentum": 0.9, "clip": 0.5}),
    ("adam_clip", {"type": "adam", "lr": 0.01, "clip": 0.1}),
])


def make_optimizer(params, cfg):
    kind = cfg["type"]
    if kind == "sgd":
        return torch.optim.SGD(params, lr=cfg["lr"], momentum=cfg.get("momentum", 0), dampening=cfg.get("dampening", 0),
                               weight_decay=cfg.get("weight_decay", 0), nesterov=cfg.get("nesterov", False))
    if kind in ("adam", "adamw"):
        cls = torch.optim.Adam if kind == "adam" else torch.optim.AdamW
        return cls(params, lr=cfg["lr"], betas=tuple(cfg.get("betas", (0.9, 0.999))), eps=cfg.get("eps", 1e-8),
                   weight_decay=cfg.get("weight_decay", 0 if kind == "adam" else 0.01), amsgrad=cfg.get("amsgrad", False))
    if kind == "rmsprop":
        return torch.optim.RMSprop(params, lr=cfg["lr"], alpha=cfg.get("alpha", 0.99), eps=cfg.get("eps", 1e-8),
                                   weight_decay=cfg.get("weight_decay", 0), momentum=cfg.get("momentum", 0),
                                   centered=cfg.get("centered", False))
    raise ValueError(kind)


def mlp():
    return nn.Sequential(nn.Linear(5, 8), nn.Tanh(), nn.Linear(8, 3))


def write_optimizers():
    out, meta = {}, {}
    init = {k: v.clone() for k, v in mlp().state_dict().items()}
    x, y = randn(16, 5), randn(16, 3)
    out["data/x"], out["data/y"] = x, y
    for k, v in init.items():
        out[f"init/{k}"] = v
    for name, cfg in OPTIMIZERS.items():
        model = mlp()
        model.load_state_dict(init)
        opt = make_optimizer(model.parameters(), cfg)
        losses = []
        for _ in range(10):
            opt.zero_grad()
            loss = F.mse_loss(model(x), y)
            loss.backward()
            if "clip" in cfg:
                torch.nn.utils.clip_grad_norm_(model.parameters(), cfg["clip"])
            opt.step()
            losses.append(loss.item())
        out[f"{name}/losses"] = torch.tensor(losses)
        for k, v in model.state_dict().items():
            out[f"{name}/final/{k}"] = v
        meta[name] = json.dumps(cfg)
    # clip_grad_norm_ on its own: gradients at the initial parameters, clipped (max 0.5) and not clipped (max 100).
    for name, max_norm in (("clip_0p5", 0.5), ("clip_100", 100.0)):
        model = mlp()
        model.load_state_dict(init)
        F.mse_loss(model(x), y).backward()
        for k, p in model.named_parameters():
            out[f"{name}/grad/{k}"] = p.grad.clone()
        total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm)
        out[f"{name}/total_norm"] = total
        for k, p in model.named_parameters():
            out[f"{name}/clipped/{k}"] = p.grad
        meta[name] = json.dumps({"max_norm": max_norm})
    meta["cases"] = ",".join(OPTIMIZERS.keys())
    meta["clip_cases"] = "clip_0p5,clip_100"
    save("engine_optimizers", out, meta)


if __name__ == "__main__":
    write_ops()
    write_layers()
    write_losses()
    write_optimizers()
    print("wrote tests/fixtures/engine_{ops,layers,losses,optimizers}.safetensors")
