"""Writes the distribution-head parity fixture (tests/fixtures/distributions.safetensors).

Run: bash tools/reference/setup.sh && /usr/bin/python3 tools/reference/distribution_fixtures.py

References, all evaluated in float64 from the float32 values stored in the fixture:
- likelihoods: -torch.distributions.{Normal(loc, scale), StudentT(df, loc, scale)}.log_prob(y), and for counts DeepAR's
  negative binomial with mean mu and shape alpha written as torch's NegativeBinomial(total_count=1/alpha,
  logits=log(alpha*mu)) (so probs = alpha*mu/(1+alpha*mu), mean mu, variance mu + alpha*mu^2);
- links (the heads' domain maps, GluonTS style): loc identity; scale, mu, alpha = eps + softplus(raw) with eps the float32
  machine epsilon; df = 2 + softplus(raw);
- quantiles: Normal.icdf (torch), scipy.stats.t.ppf and scipy.stats.nbinom.ppf(q, n=1/alpha, p=1/(1+alpha*mu)) (torch
  1.13 has neither); means from torch.

Per distribution family F (gaussian, studentt, negbin) and case C, tensors "F/C/<name>":
  raw (N, P) raw head outputs, target (N), one tensor per linked parameter (N) (float32 of the float64 link),
  loss (mean NLL from the stored parameters), d_<param> (its gradients), g (N) an upstream gradient, loss_none (N) and
  dnone_<param> (gradients of sum(loss_none * g)), draw (N, P) (gradient of the mean NLL with respect to raw, through the
  links in float64), mean (N), quantiles (N, Q) at metadata "levels"; for studentt and negbin also mp_d_<param>, the
  gradients of the mean NLL by 50-digit numerical differentiation (mpmath), where float64 cancellation limits torch.
Heads "F/head/<name>": features (4, 3, 5), proj.weight (P, 5), proj.bias (P), target (4, 3), loss, dweight, dbias,
dfeatures. Monotone quantile head "monotone/C/<name>": the same plus output (4, 3, K) and metadata "monotone/C.levels";
its loss is the pinball loss of pinball_fixtures.py (mean over all predictions).
Metadata: "F.cases" lists the cases of each family, "monotone.cases" the monotone ones.
Tests: tests/Hindsight.Tests/Distributions/DistributionParityTests.cs and DistributionHeadParityTests.cs.
"""
import mpmath
import numpy as np
import scipy.stats
import torch
import torch.nn.functional as F
from torch.distributions import NegativeBinomial, Normal, StudentT

from fixture_io import save
from pinball_fixtures import pinball

torch.manual_seed(2026)
EPS = float(np.finfo(np.float32).eps)
LEVELS = [0.01, 0.1, 0.5, 0.9, 0.99]
LEVELS64 = np.array(LEVELS, dtype=np.float32).astype(np.float64)  # the float32 levels the C# side uses

# name, parameter names, links (None = identity, else the softplus minimum)
FAMILIES = {
    "gaussian": (["loc", "scale"], [None, EPS]),
    "studentt": (["df", "loc", "scale"], [2.0, None, EPS]),
    "negbin": (["mu", "alpha"], [EPS, EPS]),
}


def link(raw, minimum):
    return raw if minimum is None else minimum + F.softplus(raw)


def nll(family, params, y):
    """Per-element -log p(y), float64."""
    if family == "gaussian":
        return -Normal(params[0], params[1]).log_prob(y)
    if family == "studentt":
        return -StudentT(params[0], params[1], params[2]).log_prob(y)
    mu, alpha = params
    return -NegativeBinomial(total_count=1 / alpha, logits=torch.log(alpha * mu)).log_prob(y)


def mp_log_density(family, params, y):
    """-log p(y) in mpmath (50 digits), from the same formulas torch.distributions uses."""
    if family == "studentt":
        df, loc, scale = params
        z = (y - loc) / scale
        return (mpmath.log(scale) + mpmath.log(df) / 2 + mpmath.log(mpmath.pi) / 2 + mpmath.loggamma(df / 2)
                - mpmath.loggamma((df + 1) / 2) + (df + 1) / 2 * mpmath.log1p(z * z / df))
    mu, alpha = params
    r = 1 / alpha
    return -(mpmath.loggamma(y + r) - mpmath.loggamma(y + 1) - mpmath.loggamma(r) - r * mpmath.log1p(alpha * mu)
             + y * (mpmath.log(alpha * mu) - mpmath.log1p(alpha * mu)))


def mp_gradients(family, leaves, target):
    """d mean(-log p) / d parameter by 50-digit numerical differentiation: a reference free of float64 cancellation
    (torch's own float64 gradients lose digits for df ~ 1e6 and alpha ~ 1e-5, where terms cancel to O(1/df^2))."""
    mpmath.mp.dps = 50
    n = target.numel()
    grads = [np.zeros(n) for _ in leaves]
    for i in range(n):
        values = [mpmath.mpf(float(leaf[i])) for leaf in leaves]
        y = mpmath.mpf(float(target[i]))
        for j in range(len(values)):
            def f(v, j=j):
                args = list(values)
                args[j] = v
                return mp_log_density(family, args, y)
            grads[j][i] = float(mpmath.diff(f, values[j]) / n)
    return grads


def quantiles(family, p):
    p = [v.detach().numpy() for v in p]
    if family == "gaussian":
        d = Normal(torch.tensor(p[0]), torch.tensor(p[1]))
        return torch.stack([d.icdf(torch.tensor(q, dtype=torch.float64)) for q in LEVELS64], -1).numpy()
    if family == "studentt":
        return np.stack([scipy.stats.t.ppf(q, p[0], p[1], p[2]) for q in LEVELS64], -1)
    mu, alpha = p
    return np.stack([scipy.stats.nbinom.ppf(q, 1 / alpha, 1 / (1 + alpha * mu)) for q in LEVELS64], -1)


def mean(family, p):
    if family == "gaussian":
        return p[0]
    if family == "studentt":
        return StudentT(p[0], p[1], p[2]).mean
    return p[0]


def f32(x):
    return torch.as_tensor(x, dtype=torch.float64).float()


def cases():
    """family -> {case: (raw (N, P) float32, target builder taking the float64 parameters)}."""
    n = 12
    r = lambda *s: torch.randn(*s, dtype=torch.float64)
    u = lambda lo, hi: torch.empty(n, dtype=torch.float64).uniform_(lo, hi)
    inv_softplus = lambda v: torch.log(torch.expm1(v))
    c = {"gaussian": {}, "studentt": {}, "negbin": {}}
    c["gaussian"]["typical"] = (torch.stack([r(n) * 2, r(n)], -1), lambda p: p[0] + p[1] * r(n) * 1.5)
    c["gaussian"]["tiny_scale"] = (torch.stack([r(n) * 1e-3, u(-40, -15)], -1), lambda p: p[0] + p[1] * r(n) * 3)
    c["gaussian"]["large_values"] = (torch.stack([r(n) * 1e4, 50 + r(n) * 5], -1),
                                     lambda p: p[0] + p[1] * torch.cat([r(n - 1) * 2, torch.tensor([60.0], dtype=torch.float64)]))
    c["studentt"]["typical"] = (torch.stack([r(n), r(n), r(n)], -1),
                                lambda p: p[1] + p[2] * torch.distributions.StudentT(p[0]).sample())
    c["studentt"]["large_df"] = (torch.stack([u(1e4, 1e6), r(n), r(n)], -1), lambda p: p[1] + p[2] * r(n))
    c["studentt"]["heavy_tail_outliers"] = (torch.stack([torch.full((n,), -10.0, dtype=torch.float64), r(n), r(n) - 1], -1),
                                            lambda p: p[1] + p[2] * r(n) * 300)
    c["studentt"]["tiny_scale"] = (torch.stack([r(n) + 3, r(n) * 1e-3, u(-40, -15)], -1), lambda p: p[1] + p[2] * r(n) * 3)

    def nb_sample(p):
        mu, alpha = p
        return NegativeBinomial(total_count=1 / alpha, logits=torch.log(alpha * mu)).sample()

    c["negbin"]["typical"] = (torch.stack([r(n) + 3, r(n) - 1], -1), nb_sample)
    c["negbin"]["zero_counts"] = (torch.stack([r(n) * 2, r(n) * 2], -1), lambda p: torch.zeros(n, dtype=torch.float64))
    c["negbin"]["large_counts"] = (torch.stack([u(1e4, 1e5), inv_softplus(u(0.01, 0.1))], -1), nb_sample)
    c["negbin"]["poisson_like"] = (torch.stack([inv_softplus(u(5, 20)), u(-12, -8)], -1), nb_sample)
    c["negbin"]["overdispersed"] = (torch.stack([inv_softplus(u(1, 5)), inv_softplus(u(5, 20))], -1), nb_sample)
    return c


def distribution_cases(out, meta):
    for family, family_cases in cases().items():
        names, minimums = FAMILIES[family]
        for case, (raw64, make_target) in family_cases.items():
            key = f"{family}/{case}"
            raw = f32(raw64).double()  # the float32 raw values, exactly
            params64 = [link(raw[:, j], m) for j, m in enumerate(minimums)]
            target = f32(make_target(params64)).double()
            # Op level: the float32 linked parameters as leaves.
            leaves = [f32(p).double().requires_grad_(True) for p in params64]
            loss = nll(family, leaves, target).mean()
            grads = torch.autograd.grad(loss, leaves)
            g = torch.randn(target.shape, dtype=torch.float64)
            loss_none = nll(family, leaves, target)
            grads_none = torch.autograd.grad((loss_none * g).sum(), leaves)
            # Head level: raw through the links in float64.
            raw_leaf = raw.clone().requires_grad_(True)
            linked = [link(raw_leaf[:, j], m) for j, m in enumerate(minimums)]
            draw, = torch.autograd.grad(nll(family, linked, target).mean(), raw_leaf)
            out[f"{key}/raw"] = raw
            out[f"{key}/target"] = target
            for name, leaf, d, dn in zip(names, leaves, grads, grads_none):
                out[f"{key}/{name}"] = leaf.detach()
                out[f"{key}/d_{name}"] = d
                out[f"{key}/dnone_{name}"] = dn
            out[f"{key}/loss"] = loss.detach()
            out[f"{key}/g"] = g
            out[f"{key}/loss_none"] = loss_none.detach()
            out[f"{key}/draw"] = draw
            out[f"{key}/mean"] = mean(family, [l.detach() for l in leaves])
            out[f"{key}/quantiles"] = quantiles(family, leaves)
            if family != "gaussian":
                for name, d in zip(names, mp_gradients(family, [l.detach() for l in leaves], target)):
                    out[f"{key}/mp_d_{name}"] = d
        meta[f"{family}.cases"] = ",".join(family_cases)


def head_cases(out):
    for family, (names, minimums) in FAMILIES.items():
        key = f"{family}/head"
        proj = torch.nn.Linear(5, len(names))
        features = torch.randn(4, 3, 5)
        w = proj.weight.detach().double().requires_grad_(True)
        b = proj.bias.detach().double().requires_grad_(True)
        x = features.double().requires_grad_(True)
        raw = x @ w.T + b
        params = [link(raw[..., j], m) for j, m in enumerate(minimums)]
        with torch.no_grad():
            if family == "gaussian":
                target = params[0] + params[1] * torch.randn(4, 3, dtype=torch.float64)
            elif family == "studentt":
                target = params[1] + params[2] * torch.randn(4, 3, dtype=torch.float64) * 2
            else:
                target = torch.tensor([[0, 1, 3], [2, 0, 7], [1, 1, 0], [12, 4, 2]], dtype=torch.float64)
            target = f32(target).double()
        loss = nll(family, params, target).mean()
        dw, db, dx = torch.autograd.grad(loss, [w, b, x])
        out.update({f"{key}/features": features, f"{key}/proj.weight": proj.weight.detach(), f"{key}/proj.bias": proj.bias.detach(),
                    f"{key}/target": target, f"{key}/loss": loss.detach(), f"{key}/dweight": dw, f"{key}/dbias": db,
                    f"{key}/dfeatures": dx})


def monotone_cases(out, meta):
    specs = {"three": [0.1, 0.5, 0.9], "five_extreme_gaps": [0.05, 0.25, 0.5, 0.75, 0.95]}
    for case, levels in specs.items():
        key = f"monotone/{case}"
        k = len(levels)
        proj = torch.nn.Linear(5, k)
        if case == "five_extreme_gaps":
            with torch.no_grad():
                proj.bias[1] = -30.0  # a gap of ~1e-13: the quantiles nearly tie
                proj.bias[3] = 25.0   # softplus above its threshold 20: linear
        features = torch.randn(4, 3, 5)
        target = torch.randn(4, 3) * 2
        w = proj.weight.detach().double().requires_grad_(True)
        b = proj.bias.detach().double().requires_grad_(True)
        x = features.double().requires_grad_(True)
        raw = x @ w.T + b
        q = torch.cat([raw[..., :1], F.softplus(raw[..., 1:])], -1).cumsum(-1)
        loss = pinball(q, target.double(), levels, "mean")
        dw, db, dx = torch.autograd.grad(loss, [w, b, x])
        out.update({f"{key}/features": features, f"{key}/proj.weight": proj.weight.detach(), f"{key}/proj.bias": proj.bias.detach(),
                    f"{key}/target": target, f"{key}/output": q.detach(), f"{key}/loss": loss.detach(), f"{key}/dweight": dw,
                    f"{key}/dbias": db, f"{key}/dfeatures": dx})
        meta[f"{key}.levels"] = ",".join(repr(v) for v in levels)
    meta["monotone.cases"] = ",".join(specs)


def main():
    torch.set_default_dtype(torch.float32)
    out, meta = {}, {"levels": ",".join(repr(v) for v in LEVELS)}
    distribution_cases(out, meta)
    head_cases(out)
    monotone_cases(out, meta)
    save("distributions", out, meta)
    print("wrote tests/fixtures/distributions.safetensors")


if __name__ == "__main__":
    main()
