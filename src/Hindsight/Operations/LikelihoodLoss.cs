using Hindsight.Losses;

namespace Hindsight.Operations;

// Shared checks and reduction of the negative log-likelihood ops (GaussianNll, StudentTNll, NegativeBinomialNll).
// Each of those takes its distribution's parameters in their own domain (already through the head's links), one value per
// target element, computes per element in double, and records one tape entry whose inputs are the parameters; the target
// rides in the entry's context and gets no gradient (it is data).
public static partial class Ops
{
    /// <summary>Checks that every parameter has the target's shape and the target is finite (and, for counts, non-negative).</summary>
    private static void CheckLikelihoodInputs(string op, Tensor target, bool counts, params ReadOnlySpan<(Tensor Value, string Name)> parameters)
    {
        ArgumentNullException.ThrowIfNull(target);
        foreach (var (value, name) in parameters)
        {
            if (value is null) throw new ArgumentNullException(name);
            if (!value.SameShape(target))
                throw new ArgumentException($"{op}: {name} shape {value.ShapeString} differs from target shape {target.ShapeString}.", name);
        }
        var y = target.Data;
        for (int i = 0; i < y.Length; i++)
        {
            if (!float.IsFinite(y[i]))
                throw new ArgumentException($"{op}: target element {i} is {y[i]}; targets must be finite (drop or fill missing values first).", nameof(target));
            if (counts && y[i] < 0)
                throw new ArgumentException($"{op}: target element {i} is {y[i]}; counts must be non-negative.", nameof(target));
        }
    }

    /// <summary>Checks that a parameter is finite and positive everywhere (as torch.distributions' validate_args does).</summary>
    private static void RequirePositive(string op, Tensor value, string name)
    {
        var v = value.Data;
        for (int i = 0; i < v.Length; i++)
            if (!(v[i] > 0 && float.IsFinite(v[i])))
                throw new ArgumentException($"{op}: {name} element {i} is {v[i]}; it must be positive and finite.", name);
    }

    /// <summary>The loss output: a scalar for mean and sum, the target's shape for none.</summary>
    private static Tensor LikelihoodOutput(Tensor target, Reduction reduction) =>
        reduction == Reduction.None ? Tensor.Output(target.Shape) : Tensor.Output(ReadOnlySpan<int>.Empty);

    /// <summary>Stores element i's loss (reduction none) or adds it to the running sum.</summary>
    private static void StoreLikelihood(Tensor y, Reduction reduction, int i, double value, ref double sum)
    {
        if (reduction == Reduction.None) y.Data[i] = (float)value;
        else sum += value;
    }

    /// <summary>Writes the reduced loss (mean or sum) after the loop.</summary>
    private static void FinishLikelihood(Tensor y, Reduction reduction, double sum, int n)
    {
        if (reduction != Reduction.None) y.Data[0] = (float)(reduction == Reduction.Mean ? sum / n : sum);
    }

    /// <summary>The upstream gradient of element i's loss.</summary>
    private static double LikelihoodUpstream(in TapeEntry e, int i, int n)
    {
        var reduction = (Reduction)e.I0;
        var dy = e.Output.GradData!;
        return reduction switch { Reduction.None => dy[i], Reduction.Mean => dy[0] / (double)n, _ => dy[0] };
    }

    /// <summary>The gradient buffer of a parameter, or empty when it needs none.</summary>
    private static Span<float> LikelihoodGrad(Tensor? parameter) =>
        parameter is not null && parameter.RequiresGrad ? parameter.GradForAccumulate() : Span<float>.Empty;
}
