"""Writes the forecaster-head parity fixture (tests/fixtures/forecaster_heads.safetensors).

Run: bash tools/reference/setup.sh && /usr/bin/python3 tools/reference/forecaster_head_fixtures.py

The probabilistic heads as the neural forecaster wires them (issue 12 part 3): the forecaster's MLP
(Linear(L, H) ReLU Linear(H, H) ReLU Linear(H, O*W), state-dict names mlp.0/mlp.2/mlp.4) whose last layer is the head's
projection (NeuralForecast's outputsize_multiplier), its output (B, O*W) viewed as (B, O, W), then
- quantiles: cat(x[..., :1], softplus(x[..., 1:])).cumsum(-1) (monotone), pinball loss max(tau d, (tau - 1) d) with
  d = y - q, mean over (B, O, K);
- gaussian: loc = x0, scale = eps + softplus(x1); -Normal(loc, scale).log_prob(y).mean();
- studentt: df = 2 + softplus(x0), loc = x1, scale = eps + softplus(x2); -StudentT(df, loc, scale).log_prob(y).mean();
- negbin: mu = (eps + softplus(x0)) * s, alpha = (eps + softplus(x1)) / sqrt(s) with s (B, 1) each window's scale
  (DeepAR), -NegativeBinomial(total_count=1/alpha, logits=log(alpha*mu)).log_prob(y).mean() on counts y.
eps is the float32 machine epsilon. Everything in float64 from the float32 values stored.
Per head H: "H/x" (B, L), "H/y" (B, O), "H/scale" (B, 1) (negbin), "H/mlp.*" weights, "H/loss", "H/d_mlp.*" gradients.
Metadata "heads" (the list), "quantiles.levels", and the sizes "sizes" = L,H,O.
Test: tests/Hindsight.Tests/Forecasting/Probabilistic/ForecasterHeadParityTests.cs.
"""
import numpy as np
import torch
import torch.nn.functional as F
from torch.distributions import NegativeBinomial, Normal, StudentT

from fixture_io import save

torch.manual_seed(12)
EPS = float(np.finfo(np.float32).eps)
L, H, O, B = 6, 8, 3, 5
LEVELS = [0.025, 0.1, 0.5, 0.9, 0.975]
HEADS = {"quantiles": len(LEVELS), "gaussian": 2, "studentt": 3, "negbin": 2}


def f32(t):
    return t.float().double()


def loss_of(head, raw, y, scale):
    x = raw.view(B, O, HEADS[head])
    if head == "quantiles":
        q = torch.cat([x[..., :1], F.softplus(x[..., 1:])], -1).cumsum(-1)
        tau = torch.tensor(np.array(LEVELS, dtype=np.float32).astype(np.float64))
        d = y.unsqueeze(-1) - q
        return torch.maximum(tau * d, (tau - 1) * d).mean()
    if head == "gaussian":
        return -Normal(x[..., 0], EPS + F.softplus(x[..., 1])).log_prob(y).mean()
    if head == "studentt":
        return -StudentT(2 + F.softplus(x[..., 0]), x[..., 1], EPS + F.softplus(x[..., 2])).log_prob(y).mean()
    mu = (EPS + F.softplus(x[..., 0])) * scale
    alpha = (EPS + F.softplus(x[..., 1])) / scale.sqrt()
    return -NegativeBinomial(total_count=1 / alpha, logits=torch.log(alpha * mu)).log_prob(y).mean()


tensors = {}
for head, width in HEADS.items():
    weights = {
        "mlp.0.weight": f32(torch.randn(H, L) * 0.4), "mlp.0.bias": f32(torch.randn(H) * 0.1),
        "mlp.2.weight": f32(torch.randn(H, H) * 0.4), "mlp.2.bias": f32(torch.randn(H) * 0.1),
        "mlp.4.weight": f32(torch.randn(O * width, H) * 0.4), "mlp.4.bias": f32(torch.randn(O * width) * 0.1),
    }
    for w in weights.values():
        w.requires_grad_(True)
    x = f32(torch.randn(B, L))
    if head == "negbin":
        y = f32(torch.poisson(torch.full((B, O), 7.0)))
        scale = f32(1 + torch.rand(B, 1) * 9)
    else:
        y = f32(torch.randn(B, O))
        scale = None
    hidden = F.relu(F.linear(F.relu(F.linear(x, weights["mlp.0.weight"], weights["mlp.0.bias"])), weights["mlp.2.weight"], weights["mlp.2.bias"]))
    raw = F.linear(hidden, weights["mlp.4.weight"], weights["mlp.4.bias"])
    loss = loss_of(head, raw, y, scale)
    loss.backward()
    tensors[f"{head}/x"] = x
    tensors[f"{head}/y"] = y
    if scale is not None:
        tensors[f"{head}/scale"] = scale
    tensors[f"{head}/loss"] = loss.detach()
    for name, w in weights.items():
        tensors[f"{head}/{name}"] = w.detach()
        tensors[f"{head}/d_{name}"] = w.grad
save("forecaster_heads", tensors, {"heads": ",".join(HEADS), "quantiles.levels": ",".join(str(v) for v in LEVELS), "sizes": f"{L},{H},{O}"})
print("wrote forecaster_heads.safetensors:", ", ".join(f"{h} loss {tensors[h + '/loss'].item():.6f}" for h in HEADS))
