using Hindsight.Losses;
using Xunit.Abstractions;

namespace Hindsight.Tests.Engine;

/// <summary>
/// Finite-difference gradient checks: for every op and loss, the tape's gradient of <c>f(x) = sum(op(x) * g)</c>
/// (g a fixed random tensor) against central differences <c>(f(x + h e_i) - f(x - h e_i)) / 2h</c> for every element of
/// every input. Inputs of non-smooth ops (relu, L1, Huber) are kept away from their kinks by more than h.
/// </summary>
public class GradientCheckTests(ITestOutputHelper output)
{
    /// <summary>Step of the central differences: large enough that float32 rounding of f stays small next to 2h.</summary>
    private const float H = 1e-2f;

    /// <summary>
    /// Allowed |numeric - analytic| is Tolerance * (1 + |analytic|). The central difference of a float32 function carries
    /// rounding of about 1e-7 * |f| / h and truncation of h^2 |f'''| / 6, both below 1e-4 here (worst seen 4e-5); a wrong rule is off by O(1).
    /// </summary>
    private const double Tolerance = 5e-4;

    private sealed record Case(Func<Rng, Tensor[]> Inputs, Func<Tensor[], Tensor> F);

    private static Tensor N(Rng rng, params int[] shape) => Tensor.Randn(rng, shape);

    /// <summary>Normal values moved at least <paramref name="gap"/> away from 0 (for relu and the kinks of L1).</summary>
    private static Tensor AwayFromZero(Rng rng, float gap, params int[] shape)
    {
        var t = N(rng, shape);
        for (int i = 0; i < t.Length; i++) if (MathF.Abs(t.Data[i]) < gap) t.Data[i] = t.Data[i] < 0 ? -gap - 0.1f : gap + 0.1f;
        return t;
    }

    /// <summary>(prediction, target) with |prediction - target| at least 0.1 away from every value in <paramref name="kinks"/>.</summary>
    private static Tensor[] PairAwayFrom(Rng rng, int[] shape, params float[] kinks)
    {
        var p = N(rng, shape); var t = N(rng, shape);
        for (int i = 0; i < p.Length; i++)
            while (kinks.Any(k => MathF.Abs(MathF.Abs(p.Data[i] - t.Data[i]) - k) < 0.1f)) p.Data[i] += 0.15f;
        return [p, t];
    }

    private static readonly int[] Classes = [2, 0, 3, 3, 1];

    private static readonly Dictionary<string, Case> Cases = BuildCases();

    private static Dictionary<string, Case> BuildCases()
    {
        var c = new Dictionary<string, Case>
        {
            ["matmul_nn"] = new(r => [N(r, 3, 4), N(r, 4, 5)], x => Ops.MatMul(x[0], x[1])),
            ["matmul_tn"] = new(r => [N(r, 4, 3), N(r, 4, 5)], x => Ops.MatMul(x[0], x[1], transposeA: true)),
            ["matmul_nt"] = new(r => [N(r, 3, 4), N(r, 5, 4)], x => Ops.MatMul(x[0], x[1], transposeB: true)),
            ["matmul_tt"] = new(r => [N(r, 4, 3), N(r, 5, 4)], x => Ops.MatMul(x[0], x[1], transposeA: true, transposeB: true)),
            ["linear_bias_2d"] = new(r => [N(r, 4, 5), N(r, 3, 5), N(r, 3)], x => Ops.Linear(x[0], x[1], x[2])),
            ["linear_bias_3d"] = new(r => [N(r, 2, 3, 5), N(r, 4, 5), N(r, 4)], x => Ops.Linear(x[0], x[1], x[2])),
            ["linear_nobias_3d"] = new(r => [N(r, 2, 3, 5), N(r, 4, 5)], x => Ops.Linear(x[0], x[1])),
            ["linear_narrow_head_2"] = new(r => [N(r, 3, 4, 2), N(r, 1, 2), N(r, 1)], x => Ops.Linear(x[0], x[1], x[2])),
            ["linear_narrow_head_4"] = new(r => [N(r, 5, 4), N(r, 1, 4), N(r, 1)], x => Ops.Linear(x[0], x[1], x[2])),
            ["mul_self"] = new(r => [N(r, 3, 4)], x => Ops.Mul(x[0], x[0])),
            ["add_self_broadcast"] = new(r => [N(r, 4)], x => Ops.Add(Ops.Reshape(x[0], 4, 1), x[0])),
            ["scale"] = new(r => [N(r, 3, 4)], x => Ops.Scale(x[0], -1.7f)),
            ["tanh"] = new(r => [N(r, 3, 4)], x => Ops.Tanh(x[0])),
            ["sigmoid"] = new(r => [N(r, 3, 4)], x => Ops.Sigmoid(x[0])),
            ["relu"] = new(r => [AwayFromZero(r, 0.05f, 3, 4)], x => Ops.Relu(x[0])),
            ["softmax_2d_d0"] = new(r => [N(r, 4, 5)], x => Ops.Softmax(x[0], 0)),
            ["log_softmax_2d_d1"] = new(r => [N(r, 4, 5)], x => Ops.LogSoftmax(x[0], 1)),
            ["concat_d0"] = new(r => [N(r, 2, 3, 2), N(r, 1, 3, 2), N(r, 3, 3, 2)], x => Ops.Concat(0, x)),
            ["concat_d1"] = new(r => [N(r, 2, 1, 3), N(r, 2, 2, 3), N(r, 2, 3, 3)], x => Ops.Concat(1, x)),
            ["concat_dm1"] = new(r => [N(r, 2, 2, 1), N(r, 2, 2, 3), N(r, 2, 2, 2)], x => Ops.Concat(-1, x)),
            ["concat_pair"] = new(r => [N(r, 3, 2), N(r, 3, 4)], x => Ops.Concat(x[0], x[1], 1)),
            ["slice_d0"] = new(r => [N(r, 4, 3, 2)], x => Ops.Slice(x[0], 0, 1, 2)),
            ["slice_d1"] = new(r => [N(r, 3, 5, 2)], x => Ops.Slice(x[0], 1, 1, 3)),
            ["slice_dm1"] = new(r => [N(r, 2, 3, 6)], x => Ops.Slice(x[0], -1, 3, 3)),
            ["select_d0"] = new(r => [N(r, 3, 4, 2)], x => Ops.Select(x[0], 0, 2)),
            ["select_d1"] = new(r => [N(r, 3, 4, 2)], x => Ops.Select(x[0], 1, 1)),
            ["select_dm1"] = new(r => [N(r, 3, 4, 2)], x => Ops.Select(x[0], -1, 0)),
            ["slice_negative_start"] = new(r => [N(r, 3, 5, 2)], x => Ops.Slice(x[0], 1, -3, 2)),
            ["slice_negative_both"] = new(r => [N(r, 2, 3, 6)], x => Ops.Slice(x[0], -1, -4, 4)),
            ["select_negative_index"] = new(r => [N(r, 3, 4, 2)], x => Ops.Select(x[0], 1, -1)),
            ["select_negative_both"] = new(r => [N(r, 3, 4, 2)], x => Ops.Select(x[0], -2, -3)),
            ["reshape"] = new(r => [N(r, 2, 3, 4)], x => Ops.Reshape(x[0], 4, 6)),
            ["reshape_infer"] = new(r => [N(r, 2, 3, 4)], x => Ops.Reshape(x[0], 3, -1)),
            ["flatten_all"] = new(r => [N(r, 2, 3, 4)], x => Ops.Flatten(x[0])),
            ["flatten_1_2"] = new(r => [N(r, 2, 3, 4)], x => Ops.Flatten(x[0], 1, 2)),
            ["sum_all"] = new(r => [N(r, 3, 4)], x => Ops.Sum(x[0])),
            ["mean_all"] = new(r => [N(r, 2, 3, 4)], x => Ops.Mean(x[0])),
            ["sum_d1_keepdim"] = new(r => [N(r, 2, 3, 4)], x => Ops.Sum(x[0], 1, keepDim: true)),
            ["sum_d0"] = new(r => [N(r, 2, 3, 4)], x => Ops.Sum(x[0], 0)),
            ["mean_dm1"] = new(r => [N(r, 2, 3, 4)], x => Ops.Mean(x[0], -1)),
            ["mean_d1_keepdim"] = new(r => [N(r, 2, 3, 4)], x => Ops.Mean(x[0], 1, keepDim: true)),
            // A small network: Linear -> Tanh -> Linear -> LogSoftmax -> NLL, and a tensor feeding two branches.
            ["chain_mlp_nll"] = new(r => [N(r, 5, 4), N(r, 6, 4), N(r, 6), N(r, 3, 6), N(r, 3)],
                x => Ops.NllLoss(Ops.LogSoftmax(Ops.Linear(Ops.Tanh(Ops.Linear(x[0], x[1], x[2])), x[3], x[4]), 1), [0, 2, 1, 1, 0])),
            ["two_branches"] = new(r => [N(r, 3, 4)], x => Ops.Mul(Ops.Tanh(x[0]), Ops.Sigmoid(x[0]))),
        };
        foreach (var (name, op) in new (string, Func<Tensor, Tensor, Tensor>)[] { ("add", Ops.Add), ("sub", Ops.Sub), ("mul", Ops.Mul) })
        {
            c[$"{name}_same"] = new(r => [N(r, 3, 4), N(r, 3, 4)], x => op(x[0], x[1]));
            c[$"{name}_row"] = new(r => [N(r, 4, 5), N(r, 5)], x => op(x[0], x[1]));
            c[$"{name}_row_left"] = new(r => [N(r, 5), N(r, 4, 5)], x => op(x[0], x[1]));
            c[$"{name}_column"] = new(r => [N(r, 3, 4), N(r, 3, 1)], x => op(x[0], x[1]));
            c[$"{name}_general"] = new(r => [N(r, 3, 1, 4), N(r, 2, 1)], x => op(x[0], x[1]));
            c[$"{name}_general_left"] = new(r => [N(r, 2, 1), N(r, 3, 1, 4)], x => op(x[0], x[1]));
            c[$"{name}_both_expand"] = new(r => [N(r, 1, 4), N(r, 3, 1)], x => op(x[0], x[1]));
            c[$"{name}_scalar"] = new(r => [N(r, 2, 3), N(r, 1)], x => op(x[0], x[1]));
        }
        foreach (var (dim, tag) in new[] { (0, "d0"), (1, "d1"), (-1, "dm1") })
        {
            c[$"softmax_{tag}"] = new(r => [N(r, 2, 3, 4)], x => Ops.Softmax(x[0], dim));
            c[$"log_softmax_{tag}"] = new(r => [N(r, 2, 3, 4)], x => Ops.LogSoftmax(x[0], dim));
        }
        foreach (var red in new[] { Reduction.Mean, Reduction.Sum, Reduction.None })
        {
            string t = red.ToString().ToLowerInvariant();
            c[$"mse_{t}"] = new(r => [N(r, 4, 3), N(r, 4, 3)], x => Ops.MseLoss(x[0], x[1], red));
            c[$"l1_{t}"] = new(r => PairAwayFrom(r, [4, 3], 0f), x => Ops.L1Loss(x[0], x[1], red));
            c[$"huber_delta1_{t}"] = new(r => PairAwayFrom(r, [4, 3], 1f), x => Ops.HuberLoss(x[0], x[1], red, 1f));
            c[$"huber_delta0p5_{t}"] = new(r => PairAwayFrom(r, [4, 3], 0.5f), x => Ops.HuberLoss(x[0], x[1], red, 0.5f));
            c[$"cross_entropy_{t}"] = new(r => [N(r, 5, 4)], x => Ops.CrossEntropyLoss(x[0], Classes, red));
            c[$"nll_{t}"] = new(r => [N(r, 5, 4)], x => Ops.NllLoss(x[0], Classes, red));
        }
        return c;
    }

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void TapeGradientMatchesCentralDifferences(string name)
    {
        var c = Cases[name];
        var rng = new Rng((ulong)StableHash(name));
        var inputs = c.Inputs(rng);
        foreach (var x in inputs) x.RequiresGrad = true;
        Tape.Clear();
        var y = c.F(inputs);
        var g = Tensor.Randn(rng, y.Shape.ToArray());
        Ops.Sum(Ops.Mul(y, g)).Backward();

        for (int i = 0; i < inputs.Length; i++)
        {
            var x = inputs[i];
            Assert.True(x.Grad is not null, $"{name}: input {i} {x.ShapeString} received no gradient");
            var analytic = (float[])x.Grad!.Data.Clone();
            double worst = 0;
            for (int j = 0; j < x.Length; j++)
            {
                float v = x.Data[j];
                x.Data[j] = v + H; double fp = Objective(c, inputs, g);
                x.Data[j] = v - H; double fm = Objective(c, inputs, g);
                x.Data[j] = v;
                double numeric = (fp - fm) / (2.0 * H);
                double err = Math.Abs(numeric - analytic[j]) / (1 + Math.Abs(analytic[j]));
                worst = Math.Max(worst, err);
                Assert.True(err <= Tolerance,
                    $"{name}: d/d input{i}[{j}] analytic {analytic[j]:G6} vs numeric {numeric:G6} (relative error {err:E2} > {Tolerance:E0})");
            }
            output.WriteLine($"{name} input{i} {x.ShapeString,-12} worst |numeric - analytic| / (1 + |analytic|) = {worst:E2}");
        }
    }

    /// <summary>sum(F(x) * g) in double, without recording.</summary>
    private static double Objective(Case c, Tensor[] inputs, Tensor g)
    {
        using var _ = Tape.NoGrad();
        var y = c.F(inputs);
        double s = 0;
        for (int i = 0; i < y.Length; i++) s += (double)y.Data[i] * g.Data[i];
        return s;
    }

    private static int StableHash(string s)
    {
        int h = 17;
        foreach (char ch in s) h = unchecked(h * 31 + ch);
        return h & 0x7fffffff;
    }
}
