using Hindsight.Forecasting.Covariates;
using Hindsight.Forecasting.Probabilistic;
using Hindsight.Layers;
using Hindsight.Onnx;

namespace Hindsight.Forecasting;

/// <summary>
/// The networks of a fitted <see cref="NeuralForecaster"/> ensemble as one ONNX graph, computing what its prediction does:
/// every member's forecast, then their median (<see cref="NeuralEnsemble.Median"/>).
/// </summary>
/// <remarks>
/// Input <c>input</c> (batch, L), L the longest member lookback: the scaled window minus its last value, as the single
/// network's export takes it (<c>z[t-L+1..t] - z[t]</c>). Member j reads its last L_j entries (Slice): every member's
/// window ends at the same last value, so the entries are exactly the ones <c>NeuralForecaster.Predict</c> gives it.
/// Output <c>output</c> (batch, horizon): the elementwise median over members of their forecast changes from the last value.
/// Hindsight takes the median in data units (<c>(z[t] + change) x std + mean</c>); that map is increasing, so the same
/// member is the middle one and only the rounding of an even count's mean of two differs (a float32 ulp of the data).
/// With <c>lengths</c> (rnn, lstm, gru members trained with a shortest input below their lookback), the window is
/// left-aligned with <c>lengths</c> valid values, as the single export's; member j reads its last min(L_j, length) valid
/// values (GatherElements) with that length, as <c>Predict</c> forms its window from a short history.
/// Recursive members run the whole horizon inside the graph (each feeds back its own steps, as <c>Predict</c>, before the
/// median; the network is repeated once per step), so the output has the horizon's steps; recursive members trained on
/// short windows are refused.
/// Covariates (<see cref="CovariateGraphInputs"/>): inputs <c>past</c> (batch, L, P), <c>future</c> (batch, L + H, F) and
/// <c>static</c> (batch, S), encoded as the model encodes them; member j reads the steps of its own window as it reads
/// <c>input</c> (the last L_j, or gathered by <c>lengths</c>) and the same forecast steps and statics.
/// Output heads (<see cref="HeadGraph"/>): <c>output</c> is the point forecast (the median of a quantile or distribution
/// head; absent for the negative binomial), <c>quantiles</c> (batch, H, K) a quantile head's quantiles at its levels (the
/// per-level median over members), and a distribution head's parameters (<c>loc</c>, <c>scale</c>, <c>df</c> in the
/// network's units; <c>mean</c>, <c>alpha</c> of the negative binomial in counts, which reads the input <c>count_scale</c>
/// (batch, members): each member window's 1 + mean absolute value) are (batch, H) for one network and (batch, members, H)
/// for an ensemble, since the library's ensemble quantiles are the per-level median of the members' quantiles.
/// Recursive members with a quantile or distribution head draw sample paths at random and are refused.
/// </remarks>
public sealed class NeuralEnsembleGraph : Module, IOnnxExportable
{
    private readonly NeuralMember[] _members;
    private readonly CovariateEncoder? _covariates;

    /// <summary>
    /// The graph of <paramref name="members"/> (fitted; one or more, of one kind, horizon and head), whose networks read
    /// the covariates <paramref name="covariates"/> encodes (null: none; <see cref="NeuralForecaster.CovariateEncoder"/>).
    /// </summary>
    /// <exception cref="ArgumentException">No members, members of different kinds, horizons or heads, or networks built with covariates other than given.</exception>
    public NeuralEnsembleGraph(IReadOnlyList<NeuralMember> members, CovariateEncoder? covariates = null)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (members.Count == 0) throw new ArgumentException("NeuralEnsembleGraph: no members.", nameof(members));
        var first = members[0].Config;
        if (members.Any(m => m.Config.Kind != first.Kind || m.Config.OutputSteps != first.OutputSteps || m.Config.Recursive != first.Recursive))
            throw new ArgumentException("NeuralEnsembleGraph: the members differ in kind, horizon or strategy.", nameof(members));
        if (members.Any(m => !m.Config.Head.Equals(first.Head)))
            throw new ArgumentException("NeuralEnsembleGraph: the members differ in their output heads.", nameof(members));
        if (members.Any(m => m.Net.TakesCovariates != covariates is not null))
            throw new ArgumentException(covariates is null ? "NeuralEnsembleGraph: the networks take covariates; give their encoder." : "NeuralEnsembleGraph: the networks take no covariates.", nameof(covariates));
        _covariates = covariates;
        _members = [.. members];
        for (int j = 0; j < _members.Length; j++) RegisterModule($"members.{j}", _members[j].Net);
    }

    /// <summary>The graph's input length: the longest member lookback.</summary>
    public int Lookback => _members.Max(m => m.Config.Lookback);

    /// <summary>The forecast steps of each call: the horizon (recursive members run the whole horizon inside the graph).</summary>
    public int Horizon => _members[0].Config.Horizon;

    /// <summary>The member lookbacks, in member order.</summary>
    public IReadOnlyList<int> Lookbacks => _members.Select(m => m.Config.Lookback).ToArray();

    /// <summary>
    /// True when the graph should take <c>lengths</c> (<see cref="OnnxExportOptions.Lengths"/>): rnn, lstm or gru members
    /// trained to read inputs shorter than their lookback.
    /// </summary>
    public bool TakesLengths => _members.Any(m => m.Config.ShortestInput < m.Config.Lookback && m.Config.Kind is NeuralKind.Rnn or NeuralKind.Lstm or NeuralKind.Gru);

    /// <summary>The output head every member has.</summary>
    public OutputHead Head => _members[0].Config.Head;

    /// <inheritdoc/>
    /// <exception cref="NotSupportedException">Recursive members trained on short windows (<see cref="TakesLengths"/>), or recursive members with a quantile or distribution head.</exception>
    public void ExportOnnx(OnnxExportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (_members[0].Config.Recursive && TakesLengths)
            throw new NotSupportedException("minHistory: recursive members that read short windows (lengths growing with every step fed back) do not export as an ensemble; ONNX export takes recursive members trained on full windows.");
        if (_members[0].Config.Recursive && Head.IsProbabilistic)
            throw new NotSupportedException($"recursive: a recursive model with a {Head.Method} head forecasts from sample paths drawn at random, which a graph does not reproduce; ONNX export takes probabilistic models with the direct strategy.");
        if (_members[0].Config.Recursive && _covariates is not null)
            throw new NotSupportedException("recursive: recursive models take no covariates.");
        var x = context.Input(this, "(batch, lookback)", "batch", "lookback");
        if (x.Shape[1].IsDynamic || x.Shape[1].Value != Lookback)
            throw new ArgumentException($"ONNX export: the ensemble reads windows of its longest lookback {Lookback}; the input shape given is {x.ShapeString}.", "inputShape");
        var lengths = context.LengthsInput(x.Shape[0]);
        var batch = x.Shape[0];
        // lengths as int64 (B, 1), for the members' gathers
        var length64 = lengths is null ? null
            : context.Reshape(context.Cast(lengths, OnnxElementType.Int64, "lengths.int64"), [-1, 1], [batch, OnnxDim.Fixed(1)], "lengths.column");
        int outputs = _members[0].Config.OutputSteps;
        var covariates = CovariateGraphInputs.Declare(context, _covariates, batch, Lookback, outputs);
        var countScale = Head.Kind == HeadKind.NegativeBinomial ? context.NamedInput("count_scale", [batch, OnnxDim.Fixed(_members.Length)]) : null;
        var values = new List<HeadValues>();
        for (int j = 0; j < _members.Length; j++)
        {
            string prefix = _members.Length == 1 ? "" : $"members.{j}.";
            int l = _members[j].Config.Lookback;
            var (window, memberLengths, indices) = l == Lookback ? (x, lengths, null)
                : length64 is null ? (context.Narrow(x, Lookback - l, l, prefix + "window"), null, null)
                : ShortWindow(context, x, length64, l, prefix);
            var (steps, head) = covariates?.For(context, l, indices, prefix) ?? (null, null);
            var raw = _members[j].Config.Recursive ? Recursive(context, _members[j].Net, window, prefix)
                : _members[j].Net.EmitOnnx(context, window, memberLengths, prefix, steps, head);
            var scale = countScale is null ? null : context.Slice(countScale, 1, j, 1, prefix + "count_scale");       // (B, 1)
            values.Add(HeadGraph.Emit(context, Head, raw, _members[j].Config.Recursive ? Horizon : outputs, scale, prefix));
        }
        if (values[0].Point is not null) context.Output("output", context.Median(values.Select(v => v.Point!).ToList(), "median"));
        if (values[0].Quantiles is not null) context.Output("quantiles", context.Median(values.Select(v => v.Quantiles!).ToList(), "quantiles.median"));
        for (int p = 0; p < values[0].Parameters.Count; p++)
        {
            string name = values[0].Parameters[p].Name;
            var members = values.Select(v => v.Parameters[p].Value).ToList();
            context.Output(name, members.Count == 1 ? members[0] : context.Stack(members, 1, name + ".members"));   // (B, H) or (B, M, H)
        }
    }

    // A recursive member over the whole horizon, unrolled (the network once per step, its weights repeated): with c the
    // level of the last value relative to z[t] (0 at first), the step reads window - c, predicts p = net(window - c) + c,
    // and the window moves on by p. Returns the H predictions (B, H), each relative to z[t], as Predict's z[t+k] - z[t].
    private OnnxValue Recursive(OnnxExportContext context, ForecastNet net, OnnxValue window, string prefix)
    {
        int l = (int)window.Shape[1].Value;
        var steps = new List<OnnxValue>();
        OnnxValue? last = null;                                                                                   // (B, 1)
        for (int k = 0; k < Horizon; k++)
        {
            string step = $"{prefix}step{k}.";
            var input = last is null ? window : context.Sub(window, last, step + "input");                       // (B, l)
            var change = net.EmitOnnx(context, input, null, step);                                                // (B, 1)
            var next = last is null ? change : context.Add(change, last, step + "value");                        // (B, 1)
            steps.Add(next);
            if (k + 1 < Horizon) window = context.Concat([context.Narrow(window, 1, l - 1, step + "kept"), next], 1, step + "window");
            last = next;
        }
        return steps.Count == 1 ? steps[0] : context.Concat(steps, 1, prefix + "steps");                          // (B, H)
    }

    // The last min(l, length) valid values of each left-aligned row of x (B, L), left-aligned in (B, l), their count (B) int32,
    // and the indices (B, l) int64: y[b, k] = x[b, min(max(length[b] - l, 0) + k, L - 1)] (entries past the count are padding
    // the network does not read).
    private (OnnxValue Window, OnnxValue Lengths, OnnxValue Indices) ShortWindow(OnnxExportContext context, OnnxValue x, OnnxValue length64, int l, string prefix)
    {
        var start = context.Max(context.Sub(length64, context.Int64Constant(prefix + "lookback", [l], 1, 1), prefix + "excess"),
            context.Int64Constant(prefix + "zero", [0], 1, 1), prefix + "start");                                                  // (B, 1)
        var steps = context.Int64Constant(prefix + "steps", Enumerable.Range(0, l).Select(k => (long)k).ToArray(), 1, l);            // (1, l)
        var indices = context.Min(context.Add(start, steps, prefix + "positions"), context.Int64Constant(prefix + "last", [Lookback - 1], 1, 1), prefix + "indices");
        var window = context.GatherLast(x, indices, prefix + "window");                                                           // (B, l)
        var count = context.Min(length64, context.Int64Constant(prefix + "most", [l], 1, 1), prefix + "count");                   // (B, 1)
        var lengths = context.Cast(context.Reshape(count, [-1], [x.Shape[0]], prefix + "count_row"), OnnxElementType.Int32, prefix + "lengths");
        return (window, lengths, indices);
    }
}
