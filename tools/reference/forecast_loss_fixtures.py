"""Writes the forecasting losses' PyTorch parity fixture (tests/fixtures/forecast_losses.safetensors).

Run: bash tools/reference/setup.sh && /usr/bin/python3 tools/reference/forecast_loss_fixtures.py

The losses as N-BEATS (ElementAI/N-BEATS common/torch/losses.py) and NeuralForecast (losses/pytorch.py) define them:
  smape: 2 * mean(divide_no_nan(|p - t|, |p| + |t|))
  mase:  mean(|p - t| * divide_no_nan(1, masep[:, None])), masep = mean(|insample[:, m:] - insample[:, :-m]|, dim=1)
divide_no_nan is written with torch.where on a safe denominator: the reference's in-place masking of the quotient
gives the value 0 but a NaN gradient at 0/0, and Hindsight's gradient there is 0.

Cases "<loss>_<reduction>" (mean, sum, none) and "<loss>_zero_mean" (0/0 elements; a row of scale 0). Tensors:
<case>/input, target, g (upstream gradient for reduction none), y, dinput, dtarget; mase cases also insample and scale.
Metadata "period" = the seasonal period of the mase cases' insample; "cases" = the case names.
"""
import torch

from fixture_io import save

torch.manual_seed(2026)
torch.set_default_dtype(torch.float32)
PERIOD = 4


def divide_no_nan(a, b):
    ok = b != 0
    return torch.where(ok, a / torch.where(ok, b, torch.ones_like(b)), torch.zeros_like(a))


def smape(p, t):
    return 2 * divide_no_nan((p - t).abs(), p.abs() + t.abs())


def mase_scale(insample, m):
    return (insample[:, m:] - insample[:, :-m]).abs().mean(dim=1)


def mase(p, t, scale):
    return (p - t).abs() * divide_no_nan(torch.ones_like(scale), scale)[:, None]


def reduce(v, reduction):
    return v.mean() if reduction == "mean" else v.sum() if reduction == "sum" else v


def case(out, name, p, t, fn, reduction, extra=None):
    p = p.clone().requires_grad_(True)
    t = t.clone().requires_grad_(True)
    y = reduce(fn(p, t), reduction)
    g = torch.randn(y.shape) if reduction == "none" else torch.ones(())
    (y * g).sum().backward()
    out[f"{name}/input"], out[f"{name}/target"], out[f"{name}/g"] = p, t, g
    out[f"{name}/y"], out[f"{name}/dinput"], out[f"{name}/dtarget"] = y, p.grad, t.grad
    for k, v in (extra or {}).items():
        out[f"{name}/{k}"] = v


def main():
    out = {}
    b, h, n = 5, 6, 20
    for reduction in ("mean", "sum", "none"):
        p, t = torch.randn(b, h) * 3 + 1, torch.randn(b, h) * 3 + 1
        case(out, f"smape_{reduction}", p, t, smape, reduction)
        insample = torch.cumsum(torch.randn(b, n), dim=1) * 2 + 10
        scale = mase_scale(insample, PERIOD)
        case(out, f"mase_{reduction}", torch.randn(b, h) * 2 + 10, torch.randn(b, h) * 2 + 10,
             lambda p, t, s=scale: mase(p, t, s), reduction, {"insample": insample, "scale": scale})
    # 0/0 elements (p = t = 0), p = 0 alone, t = 0 alone.
    p, t = torch.randn(b, h), torch.randn(b, h)
    p[0, 0], t[0, 0] = 0.0, 0.0
    p[1, 2] = 0.0
    t[2, 3] = 0.0
    case(out, "smape_zero_mean", p, t, smape, "mean")
    # A constant row in the insample: its scale is 0 and it contributes 0.
    insample = torch.cumsum(torch.randn(b, n), dim=1)
    insample[3] = 7.0
    scale = mase_scale(insample, PERIOD)
    case(out, "mase_zero_mean", torch.randn(b, h), torch.randn(b, h), lambda p, t, s=scale: mase(p, t, s), "mean",
         {"insample": insample, "scale": scale})
    cases = sorted({k.split("/")[0] for k in out})
    print(save("forecast_losses", out, {"period": PERIOD, "cases": ",".join(cases)}))


if __name__ == "__main__":
    main()
