using Hindsight.Layers;
using Hindsight.Onnx;

namespace Hindsight.Forecasting.EsRnn;

/// <summary>
/// A fitted <see cref="EsRnnForecaster"/> as one ONNX graph from a history to its forecast, as
/// <c>EsRnnForecaster.Predict</c> computes it: the shift to positive values, each member's per-series smoothing run over
/// the whole history (an ONNX <c>Scan</c>), the normalisation of the last window, every member's network, the
/// re-leveling and re-seasonalising, the shift back and the median over members.
/// </summary>
/// <remarks>
/// Inputs: <c>input</c> (batch, n) the last n values of each series (n at least the lookback L; one n per call) and
/// <c>series</c> (batch) int64, each row's series index (the model's order: the ONNX metadata <c>series</c>). With
/// y = max(value + shift[s], max(1e-6 max|value + shift[s]|, 1e-30)) (float32) and member j's smoothing coefficients
/// alpha, gamma and initial seasonal indices exp(c) of series s (float64 from here on):
/// <c>l[0] = y[0]/S[0]</c>, <c>l[t] = alpha y[t]/S[t] + (1 - alpha) l[t-1]</c>, <c>S[t+m] = gamma y[t]/l[t] + (1 - gamma) S[t]</c>
/// (no season: S = 1). Output <c>output</c> (batch, H): the median over members (the middle one, or the mean of the
/// middle two) of <c>exp(net_j(log y[n-L..n-1] - log l[n-1] - log S[n-L..n-1]))[k] x l[n-1] x S[n + k mod m] - shift[s]</c>;
/// the networks run in float32, the rest as Hindsight computes it.
/// </remarks>
public sealed class EsRnnGraph : Module, IOnnxExportable
{
    private readonly EsRnnNet[] _nets;
    private readonly int _lookback, _horizon, _season, _seriesCount;
    private readonly float[] _shift, _alpha, _gamma, _initialSeason;

    /// <summary>The graph of fitted <paramref name="model"/>.</summary>
    /// <exception cref="InvalidOperationException">The model is not fitted.</exception>
    public EsRnnGraph(EsRnnForecaster model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsFitted) throw new InvalidOperationException($"{model.Name}: fit the model before exporting it.");
        if (model.Head.IsProbabilistic)
            throw new NotSupportedException($"{model.Name}: the model predicts {model.Head.Method}; the ONNX graph takes point-forecast esrnn models for now.");
        _nets = [.. model.Nets];
        _lookback = model.Settings.Lookback;
        _horizon = model.Settings.Horizon;
        _season = model.Settings.SeasonalPeriod;
        _shift = [.. model.Shift];
        _seriesCount = _shift.Length;
        int members = _nets.Length, m = _season;
        // Tables by series, then member: row s of (S, N) or (S, N, m) is what a Gather of series s picks.
        _alpha = new float[_seriesCount * members];
        _gamma = new float[_seriesCount * members];
        _initialSeason = new float[m > 1 ? _seriesCount * members * m : 0];
        for (int j = 0; j < members; j++)
        {
            var es = model.Smoothings[j];
            for (int s = 0; s < _seriesCount; s++)
            {
                _alpha[s * members + j] = es.Alpha(s);
                _gamma[s * members + j] = es.Gamma(s);
                if (m > 1) es.InitialSeason!.Data.AsSpan(s * m, m).CopyTo(_initialSeason.AsSpan((s * members + j) * m, m));
            }
        }
        for (int j = 0; j < members; j++) RegisterModule(members == 1 ? "net" : $"member{j}", _nets[j]);
    }

    /// <inheritdoc/>
    public void ExportOnnx(OnnxExportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int l = _lookback, h = _horizon, m = _season, members = _nets.Length, count = _seriesCount;
        var x = context.Input(this, "(batch, history)", "batch", "history");                                       // (B, n)
        if (!x.Shape[1].IsDynamic && x.Shape[1].Value < l)
            throw new ArgumentException($"ONNX export: the esrnn model reads histories of at least its lookback {l}; the input shape given is {x.ShapeString}.", "inputShape");
        var batch = x.Shape[0];
        var series = context.NamedInput("series", [batch], OnnxElementType.Int64);                                  // (B)

        // Positive values as the model makes them (float32): y = max(x + shift, max(1e-6 max|x + shift|, 1e-30)).
        var shift = context.Reshape(context.Gather(context.FloatConstant("shift_table", _shift, count), series, 0, "shift_row"), [-1, 1],
            [batch, OnnxDim.Fixed(1)], "shift");                                                                     // (B, 1)
        var shifted = context.Add(x, shift, "shifted");
        var largest = context.ReduceMax(context.Abs(shifted, "magnitude"), 1, "largest");                            // (B, 1)
        var floor = context.Max(context.Mul(largest, context.FloatConstant("relative_floor", [1e-6f]), "scaled_largest"),
            context.FloatConstant("absolute_floor", [1e-30f]), "floor");
        var y = context.Cast(context.Max(shifted, floor, "positive"), OnnxElementType.Double, "y");                 // (B, n) float64

        // Each member's coefficients of each row's series, (B, N) and (B, N, m).
        OnnxValue Row(float[] table, string name, params long[] trailing) =>
            context.Cast(context.Gather(context.FloatConstant(name + "_table", table, [count, .. trailing]), series, 0, name + "_row"), OnnxElementType.Double, name);
        var one = context.Cast(context.FloatConstant("one", [1f]), OnnxElementType.Double, "one64");
        var alpha = Row(_alpha, "alpha", members);
        var keepLevel = context.Sub(one, alpha, "one_minus_alpha");
        OnnxValue? gamma = null, keepSeason = null, initialSeason = null;
        if (m > 1)
        {
            gamma = Row(_gamma, "gamma", members);
            keepSeason = context.Sub(one, gamma, "one_minus_gamma");
            initialSeason = context.Exp(Row(_initialSeason, "initial_season_log", members, m), "initial_season");    // (B, N, m)
        }

        var (level, seasons, windowSeason) = Smoothing(context, y, alpha, keepLevel, gamma, keepSeason, initialSeason);
        var window = context.Log(context.Last(y, l, "window"), "log_window");                                      // (B, L)
        OnnxValue? futureSeason = null;
        if (seasons is not null)
            futureSeason = context.Gather(seasons, context.Int64Constant("future_season_index", [.. Enumerable.Range(0, h).Select(k => (long)(k % m))], h), 2, "future_season"); // (B, N, H)

        var forecasts = new List<OnnxValue>();
        for (int j = 0; j < members; j++)
        {
            string prefix = members == 1 ? "" : $"member{j}.";
            var lj = context.Narrow(level, j, 1, prefix + "level");                                                  // (B, 1)
            var normalised = context.Sub(window, context.Log(lj, prefix + "log_level"), prefix + "levelled");       // (B, L)
            var scale = lj;
            if (windowSeason is not null && futureSeason is not null)
            {
                normalised = context.Sub(normalised, context.Log(context.Take(windowSeason, 1, j, prefix + "window_season"), prefix + "log_season"), prefix + "deseasonalised");
                scale = context.Mul(lj, context.Take(futureSeason, 1, j, prefix + "forecast_season"), prefix + "scale");   // (B, H)
            }
            var z = _nets[j].EmitOnnx(context, context.Cast(normalised, OnnxElementType.Float, prefix + "normalised"), prefix); // (B, H)
            var forecast = context.Mul(context.Exp(context.Cast(z, OnnxElementType.Double, prefix + "z64"), prefix + "exp"), scale, prefix + "forecast64");
            forecasts.Add(context.Sub(context.Cast(forecast, OnnxElementType.Float, prefix + "shifted_forecast"), shift, prefix + "forecast"));
        }
        context.Output("output", context.Median(forecasts, "median"));
    }

    // The smoothing recursion of every member at once over y (B, n): the last level (B, N), the seasonal indices
    // S[n..n+m-1] (B, N, m) and those of the window, S[n-L..n-1] (B, N, L); the last two null without season.
    private (OnnxValue Level, OnnxValue? Seasons, OnnxValue? WindowSeason) Smoothing(OnnxExportContext context, OnnxValue y,
        OnnxValue alpha, OnnxValue keepLevel, OnnxValue? gamma, OnnxValue? keepSeason, OnnxValue? initialSeason)
    {
        int m = _season, members = _nets.Length;
        var batch = y.Shape[0];
        bool seasonal = initialSeason is not null;
        var levelShape = new[] { batch, OnnxDim.Fixed(members) };
        var zero = context.Cast(context.FloatConstant("zero", [0f]), OnnxElementType.Double, "zero64");
        List<OnnxTypedValue> states =
        [
            new(context.Int64Constant("step_zero", [0]), OnnxElementType.Int64),                                      // t
            new(context.Mul(alpha, zero, "level_start"), OnnxElementType.Double),                                     // l[t-1]: not read at t = 0
        ];
        if (seasonal) states.Add(new(initialSeason!, OnnxElementType.Double));                                      // S[t..t+m-1]
        var (final, stacked) = context.Scan("smoothing", states, new(y, OnnxElementType.Double), sequenceAxis: 1, outputAxis: 2, (body, current, yt) =>
        {
            var t = current[0];
            var previous = current[1];
            var value = body.Reshape(yt, [-1, 1], [batch, OnnxDim.Fixed(1)], "y_t");                                // (B, 1)
            var first = body.Equal(t, body.Int64Constant("first_step", [0]), "is_first");
            OnnxValue? season = seasonal
                ? body.Reshape(body.Narrow(current[2], 0, 1, "season_now"), [0, 0], levelShape, "season_t")         // S[t] (B, N)
                : null;
            // l[0] = y[0] / S[0]; l[t] = alpha y[t] / S[t] + (1 - alpha) l[t-1]   (S = 1 without season: no division)
            var start = season is null ? value : body.Div(value, season, "level_first");
            var weighted = body.Mul(alpha, value, "alpha_y");
            if (season is not null) weighted = body.Div(weighted, season, "alpha_y_over_season");
            var recursion = body.Add(weighted, body.Mul(keepLevel, previous, "kept_level"), "level_recursion");
            var level = body.Where(first, start, recursion, "level");                                               // (B, N)
            List<OnnxValue> next = [body.Add(t, body.Int64Constant("one_step", [1]), "t_next"), level];
            List<OnnxTypedValue> outputs = [];
            if (season is not null)
            {
                // S[t+m] = gamma y[t] / l[t] + (1 - gamma) S[t]
                var fresh = body.Add(body.Div(body.Mul(gamma!, value, "gamma_y"), level, "gamma_y_over_level"), body.Mul(keepSeason!, season, "kept_season"), "season_next");
                var ring = body.Concat([body.Narrow(current[2], 1, m - 1, "season_rest"),
                    body.Reshape(fresh, [0, 0, 1], [batch, OnnxDim.Fixed(members), OnnxDim.Fixed(1)], "season_new")], 2, "seasons_next");
                next.Add(ring);
                outputs.Add(new(season, OnnxElementType.Double));
            }
            return (next, outputs);
        });
        if (!seasonal) return (final[1], null, null);
        return (final[1], final[2], context.Last(stacked[0], _lookback, "window_seasons"));
    }
}
