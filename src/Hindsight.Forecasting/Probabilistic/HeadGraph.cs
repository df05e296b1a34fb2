using Hindsight.Distributions;
using Hindsight.Onnx;

namespace Hindsight.Forecasting.Probabilistic;

/// <summary>
/// What an exported network's output head gives for one network: the point forecast (B, O) (the head's median; null for
/// the negative binomial, whose median has no closed form), the quantiles (B, O, K) of a quantile head (else null), and a
/// distribution head's parameters (B, O) by name, in the head's order.
/// </summary>
/// <param name="Point">The point forecast, or null.</param>
/// <param name="Quantiles">A quantile head's quantiles, or null.</param>
/// <param name="Parameters">A distribution head's parameters (empty otherwise).</param>
internal sealed record HeadValues(OnnxValue? Point, OnnxValue? Quantiles, IReadOnlyList<(string Name, OnnxValue Value)> Parameters);

/// <summary>
/// <see cref="HeadOutputs"/> as an ONNX graph: a network's raw output (B, O x W) to <see cref="HeadValues"/>. Quantiles
/// through <see cref="Ops.MonotoneCumsum"/> (first value, then softplus gaps, summed by CumSum), the point forecast the
/// piecewise-linear quantile at 0.5 (<see cref="HeadOutputs.Interpolate"/>); Gaussian <c>loc</c>, <c>scale</c> and Student-t
/// <c>df</c>, <c>loc</c>, <c>scale</c> through their links (the point forecast is <c>loc</c>, their median); the negative
/// binomial's <c>mean</c> and <c>alpha</c> in counts, the linked mu times each window's count scale and the linked alpha
/// divided by its square root (<see cref="CountScale"/>). Everything but the negative binomial is in the network's units.
/// </summary>
internal static class HeadGraph
{
    /// <summary>The head's values of <paramref name="raw"/> (B, O x W); <paramref name="countScale"/> (B, 1) for a negative binomial head.</summary>
    public static HeadValues Emit(OnnxExportContext context, OutputHead head, OnnxValue raw, int outputs, OnnxValue? countScale, string prefix)
    {
        if (head.Kind == HeadKind.Point) return new HeadValues(raw, null, []);
        int w = head.Width;
        var batch = raw.Shape[0];
        var split = context.Reshape(raw, [0, outputs, w], [batch, OnnxDim.Fixed(outputs), OnnxDim.Fixed(w)], prefix + "head.split");   // (B, O, W)
        if (head.Kind == HeadKind.Quantiles)
        {
            var quantiles = Monotone(context, split, prefix + "head.quantiles");                                                          // (B, O, K)
            return new HeadValues(Median(context, head.Levels, quantiles, prefix + "head.median"), quantiles, []);
        }
        var links = head.Links;
        OnnxValue Parameter(int j, string name)
        {
            var value = context.Take(split, 2, j, prefix + "head." + name + ".raw");                                                       // (B, O)
            if (!links[j].IsSoftplus) return value;
            return context.Add(context.Softplus(value, prefix + "head." + name + ".softplus"),
                context.FloatConstant(prefix + "head." + name + ".minimum", [links[j].Minimum]), prefix + "head." + name);
        }
        switch (head.Kind)
        {
            case HeadKind.Gaussian:
            {
                var loc = Parameter(0, "loc");
                return new HeadValues(loc, null, [("loc", loc), ("scale", Parameter(1, "scale"))]);
            }
            case HeadKind.StudentT:
            {
                var loc = Parameter(1, "loc");
                return new HeadValues(loc, null, [("df", Parameter(0, "df")), ("loc", loc), ("scale", Parameter(2, "scale"))]);
            }
            case HeadKind.NegativeBinomial:
            {
                if (countScale is null) throw new ArgumentNullException(nameof(countScale), "HeadGraph: a negbin head needs each window's count scale.");
                var mean = context.Mul(Parameter(0, "mu"), countScale, prefix + "head.mean");
                var alpha = context.Div(Parameter(1, "alpha"), context.Sqrt(countScale, prefix + "head.scale_root"), prefix + "head.alpha");
                return new HeadValues(null, null, [("mean", mean), ("alpha", alpha)]);
            }
            default: throw new ArgumentException($"HeadGraph: unknown head {head.Method}.", nameof(head));
        }
    }

    // (B, O, K): the first value, then each plus the softplus of the next raw values (a running sum).
    private static OnnxValue Monotone(OnnxExportContext context, OnnxValue split, string name)
    {
        int k = (int)split.Shape[2].Value;
        if (k == 1) return split;
        var first = context.Slice(split, 2, 0, 1, name + ".first");
        var gaps = context.Softplus(context.Slice(split, 2, 1, k - 1, name + ".rest"), name + ".gaps");
        return context.CumSumLast(context.Concat([first, gaps], 2, name + ".steps"), name);
    }

    // The piecewise-linear quantile at 0.5 of quantiles (B, O, K) at `levels`: a level's own quantile, or the line between
    // the two around 0.5 (constant beyond the outer levels), as HeadOutputs.Interpolate.
    private static OnnxValue Median(OnnxExportContext context, float[] levels, OnnxValue quantiles, string name)
    {
        if (0.5 <= levels[0]) return context.Take(quantiles, 2, 0, name);
        if (0.5 >= levels[^1]) return context.Take(quantiles, 2, levels.Length - 1, name);
        int j = 1;
        while (levels[j] < 0.5) j++;
        double w = (0.5 - levels[j - 1]) / (levels[j] - levels[j - 1]);
        if (w == 1) return context.Take(quantiles, 2, j, name);
        var below = context.Take(quantiles, 2, j - 1, name + ".below");
        var above = context.Take(quantiles, 2, j, name + ".above");
        var step = context.Mul(context.Sub(above, below, name + ".gap"), context.FloatConstant(name + ".weight", [(float)w]), name + ".step");
        return context.Add(below, step, name);
    }
}
