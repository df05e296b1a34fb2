using Hindsight.Distributions;

namespace Hindsight.Operations;

public static partial class Ops
{
    /// <summary>
    /// Splits the last dimension of <paramref name="raw"/> (P = up to 3 distribution parameters) into one tensor per
    /// parameter, each through its <see cref="ParameterLink"/>, fused (one tape entry with up to three outputs).
    /// Effectively <c>[link_j(raw[..., j]) for j in range(P)]</c>, e.g. GluonTS's <c>domain_map</c> after its projection.
    /// </summary>
    /// <param name="raw">Raw network outputs, shape (..., P).</param>
    /// <param name="links">One link per parameter, P = 1..3, in the order of the last dimension.</param>
    /// <returns>P tensors of shape (...).</returns>
    /// <exception cref="ArgumentException">No links or more than three, or a last dimension other than P.</exception>
    public static Tensor[] SplitWithLinks(Tensor raw, ReadOnlySpan<ParameterLink> links)
    {
        ArgumentNullException.ThrowIfNull(raw);
        int p = links.Length;
        if (p is < 1 or > 3) throw new ArgumentException($"SplitWithLinks: 1 to 3 links needed, got {p}.", nameof(links));
        if (raw.Rank == 0 || raw.Dim(-1) != p)
            throw new ArgumentException($"SplitWithLinks: raw shape {raw.ShapeString} must end in the {p} parameters.", nameof(raw));
        var shape = raw.Shape[..^1];
        int n = raw.Length / p;
        var outputs = new Tensor[p];
        var linkArray = links.ToArray();
        for (int j = 0; j < p; j++)
        {
            var y = Tensor.Output(shape);
            for (int i = 0; i < n; i++) y.Data[i] = (float)linkArray[j].Apply(raw.Data[i * p + j]);
            outputs[j] = y;
        }
        if (Tape.ShouldRecord(raw))
            Tape.Record(new TapeEntry(SplitWithLinksBackward, outputs[0], raw, context: linkArray,
                output2: p > 1 ? outputs[1] : null, output3: p > 2 ? outputs[2] : null));
        return outputs;
    }

    // d raw[i, j] += d out_j[i] * link_j'(raw[i, j]); an output that received no gradient adds nothing.
    private static void SplitWithLinksBackward(in TapeEntry e)
    {
        Tensor raw = e.A!;
        var links = (ParameterLink[])e.Context!;
        int p = links.Length, n = raw.Length / p;
        var dRaw = raw.GradForAccumulate();
        Tensor?[] outputs = [e.Output, e.Output2, e.Output3];
        for (int j = 0; j < p; j++)
        {
            var dy = outputs[j]!.GradData;
            if (dy is null) continue;
            for (int i = 0; i < n; i++)
                dRaw[i * p + j] += (float)(dy[i] * links[j].Derivative(raw.Data[i * p + j]));
        }
    }
}
