"""Writes the pinball (quantile) loss parity fixture (tests/fixtures/pinball_loss.safetensors).

Run: bash tools/reference/setup.sh && /usr/bin/python3 tools/reference/pinball_fixtures.py

PyTorch has no pinball loss, so the reference is its definition written with torch ops: d = target - prediction,
loss = torch.maximum(tau * d, (tau - 1) * d) with tau broadcast over the prediction's last (quantile) dimension, reduced
by mean, sum or none. Some predictions equal their targets exactly, so the gradient at d = 0 (torch.maximum splits a
tie evenly) is compared too. Per case "<case>/": input, target, g (upstream gradient for reduction none, else 1), y,
dinput, dtarget; metadata "cases" (names in order) and "<case>.quantiles" (comma-separated levels).
The C# test is tests/Hindsight.Tests/Engine/PinballLossParityTests.cs.
"""
import torch

from fixture_io import save

torch.manual_seed(4321)


def pinball(prediction, target, taus, reduction):
    q = len(taus)
    tau = torch.tensor(taus)
    if target.numel() != prediction.numel():  # one target per q predictions: (B, H) against (B, H, Q) or (B, H*Q)
        target = target.reshape(-1, 1).expand(-1, q).reshape(prediction.shape)
    d = target - prediction
    tau = tau.repeat(prediction.numel() // q).reshape(prediction.shape)
    loss = torch.maximum(tau * d, (tau - 1) * d)
    return {"mean": loss.mean(), "sum": loss.sum(), "none": loss}[reduction]


def cases():
    """name -> (prediction, target, quantiles)."""
    c = {}
    p1, t1 = torch.randn(4, 6), torch.randn(4, 6)
    t1[0, 2], t1[3, 5] = p1[0, 2], p1[3, 5]  # ties: the gradient at d = 0
    c["single_049"] = (p1, t1, [0.49])
    c["single_050"] = (p1, t1, [0.5])
    p3, t3 = torch.randn(3, 5, 3), torch.randn(3, 5)
    p3[1, 2, 1] = t3[1, 2]
    c["three_bhq"] = (p3, t3, [0.1, 0.5, 0.9])
    c["three_flat"] = (p3.reshape(3, 15), t3, [0.1, 0.5, 0.9])
    p2, t2 = torch.randn(2, 4, 2), torch.randn(2, 4, 2)
    c["two_same_shape"] = (p2, t2, [0.25, 0.8])
    return c


def main():
    out, names, meta = {}, [], {}
    for tag, (p0, t0, taus) in cases().items():
        for r in ("mean", "sum", "none"):
            name = f"{tag}_{r}"
            p, t = p0.clone().requires_grad_(True), t0.clone().requires_grad_(True)
            y = pinball(p, t, taus, r)
            g = torch.randn(y.shape) if r == "none" else torch.ones(())
            (y * g).sum().backward()
            out.update({f"{name}/input": p.detach(), f"{name}/target": t.detach(), f"{name}/g": g,
                        f"{name}/y": y.detach(), f"{name}/dinput": p.grad, f"{name}/dtarget": t.grad})
            names.append(name)
            meta[f"{name}.quantiles"] = ",".join(repr(x) for x in taus)
    meta["cases"] = ",".join(names)
    save("pinball_loss", out, meta)
    print("wrote tests/fixtures/pinball_loss.safetensors")


if __name__ == "__main__":
    main()
