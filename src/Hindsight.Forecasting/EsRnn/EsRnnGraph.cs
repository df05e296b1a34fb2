using Hindsight.Layers;
using Hindsight.Onnx;

namespace Hindsight.Forecasting.EsRnn;

/// <summary>What <see cref="EsRnnGraph"/>'s inputs hold for one history (one batch row).</summary>
/// <param name="Window">The last L positive values y (L): the history plus <paramref name="Shift"/>, floored as the model does.</param>
/// <param name="Level">Each member's last level l[n-1] (N).</param>
/// <param name="Season">Each member's seasonal indices (N x (L + H), row-major): S[n-L..n-1] of the window, then S[n + k mod m] of forecast step k.</param>
/// <param name="Shift">What was added to the series to make it positive: subtract it from the graph's output.</param>
public sealed record EsRnnGraphInputs(float[] Window, float[] Level, float[] Season, float Shift);

/// <summary>
/// A fitted <see cref="EsRnnForecaster"/> as one ONNX graph for a given forecast origin: the normalisation, every member's
/// network, the re-leveling and re-seasonalising, and the median over members, as <c>EsRnnForecaster.Predict</c>
/// computes them once the per-series smoothing has run over the history. The smoothing itself (a recursion over the whole
/// history with each series' learned coefficients) is not in the graph: its results come in as inputs
/// (<see cref="Inputs"/> computes them; the recursion is in <see cref="SeriesSmoothing"/>'s remarks).
/// </summary>
/// <remarks>
/// Inputs: <c>input</c> (batch, L) the positive values y of the last L periods; <c>level</c> (batch, N) each member's last
/// level; <c>season</c> (batch, N, L + H) each member's seasonal indices of the window and of the forecast steps.
/// Output <c>output</c> (batch, H): the median over members j (the middle one, or the mean of the middle two) of
/// <c>exp(net_j(log y - log level_j - log season_j[..L]))[k] x level_j x season_j[L + k]</c>, in the shifted units
/// (subtract the series' shift). The logs, exps and products run in float64 (Cast), as Hindsight computes them; the
/// networks in float32.
/// </remarks>
public sealed class EsRnnGraph : Module, IOnnxExportable
{
    private readonly EsRnnNet[] _nets;
    private readonly int _lookback, _horizon;

    /// <summary>The graph of fitted <paramref name="model"/>.</summary>
    /// <exception cref="InvalidOperationException">The model is not fitted.</exception>
    public EsRnnGraph(EsRnnForecaster model)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsFitted) throw new InvalidOperationException($"{model.Name}: fit the model before exporting it.");
        _nets = [.. model.Nets];
        _lookback = model.Settings.Lookback;
        _horizon = model.Settings.Horizon;
        for (int j = 0; j < _nets.Length; j++) RegisterModule(_nets.Length == 1 ? "net" : $"member{j}", _nets[j]);
    }

    /// <summary>The graph's inputs for series <paramref name="series"/> of <paramref name="model"/> with <paramref name="history"/> (at least the lookback).</summary>
    /// <exception cref="ArgumentException">The history is shorter than the lookback, or the series is unknown.</exception>
    public static EsRnnGraphInputs Inputs(EsRnnForecaster model, int series, ReadOnlySpan<float> history)
    {
        ArgumentNullException.ThrowIfNull(model);
        if (!model.IsFitted) throw new InvalidOperationException($"{model.Name}: fit the model before computing its inputs.");
        int l = model.Settings.Lookback, h = model.Settings.Horizon, m = model.Settings.SeasonalPeriod, n = history.Length, members = model.Nets.Count;
        if (series < 0 || series >= model.Shift.Count) throw new ArgumentException($"series {series}: the model knows {model.Shift.Count} series.", nameof(series));
        if (n < l) throw new ArgumentException($"history: {n} values, fewer than the lookback {l}.", nameof(history));
        float shift = model.Shift[series];
        var y = EsRnnForecaster.Positive(history, shift);
        var levels = new float[members];
        var seasons = new float[members * (l + h)];
        var level = new double[n];
        var season = new double[n + m];
        for (int j = 0; j < members; j++)
        {
            model.Smoothings[j].Run(series, y, level, season);
            levels[j] = (float)level[n - 1];
            var row = seasons.AsSpan(j * (l + h), l + h);
            for (int k = 0; k < l; k++) row[k] = (float)season[n - l + k];
            for (int k = 0; k < h; k++) row[l + k] = (float)season[n + k % m];
        }
        return new EsRnnGraphInputs(y[(n - l)..], levels, seasons, shift);
    }

    /// <inheritdoc/>
    public void ExportOnnx(OnnxExportContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        int l = _lookback, h = _horizon, members = _nets.Length;
        var x = context.Input(this, "(batch, lookback)", "batch", "lookback");
        if (x.Shape[1].IsDynamic || x.Shape[1].Value != l)
            throw new ArgumentException($"ONNX export: the esrnn model reads windows of its lookback {l}; the input shape given is {x.ShapeString}.", "inputShape");
        var batch = x.Shape[0];
        var level = context.NamedInput("level", [batch, OnnxDim.Fixed(members)]);
        var season = context.NamedInput("season", [batch, OnnxDim.Fixed(members), OnnxDim.Fixed(l + h)]);
        var logY = context.Log(context.Cast(x, OnnxElementType.Double, "y"), "log_y");                                      // (B, L) float64
        var forecasts = new List<OnnxValue>();
        for (int j = 0; j < members; j++)
        {
            string prefix = members == 1 ? "" : $"member{j}.";
            var lj = context.Cast(context.Narrow(level, j, 1, prefix + "level"), OnnxElementType.Double, prefix + "level64");  // (B, 1)
            var sj = context.Cast(context.Take(season, 1, j, prefix + "season"), OnnxElementType.Double, prefix + "season64"); // (B, L + H)
            var normalised = context.Sub(context.Sub(logY, context.Log(lj, prefix + "log_level"), prefix + "levelled"),
                context.Log(context.Narrow(sj, 0, l, prefix + "window_season"), prefix + "log_season"), prefix + "normalised64");
            var z = _nets[j].EmitOnnx(context, context.Cast(normalised, OnnxElementType.Float, prefix + "normalised"), prefix);  // (B, H)
            var scale = context.Mul(lj, context.Narrow(sj, l, h, prefix + "forecast_season"), prefix + "scale");               // (B, H)
            var forecast = context.Mul(context.Exp(context.Cast(z, OnnxElementType.Double, prefix + "z64"), prefix + "exp"), scale, prefix + "forecast64");
            forecasts.Add(context.Cast(forecast, OnnxElementType.Float, prefix + "forecast"));
        }
        context.Output("output", context.Median(forecasts, "median"));
    }
}
