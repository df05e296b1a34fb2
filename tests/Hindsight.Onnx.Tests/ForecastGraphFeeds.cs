using Hindsight.Forecasting;
using Hindsight.Forecasting.Covariates;
using Microsoft.ML.OnnxRuntime;

namespace Hindsight.Onnx.Tests;

/// <summary>
/// The documented inputs of an exported forecaster graph (<see cref="NeuralEnsembleGraph"/>) for a batch of forecast inputs,
/// built from the raw histories: the scaled window of the longest lookback minus its last value (left-aligned, with
/// <c>lengths</c> when asked), the encoded covariates <c>past</c> (B, L, P), <c>future</c> (B, L + H, F) and <c>static</c>
/// (B, S), and for a negbin head <c>count_scale</c> (B, members); and the way back from the graph's units to the data's.
/// </summary>
internal sealed class ForecastGraphFeeds
{
    /// <summary>The scaled window minus its last value (B, L).</summary>
    public Tensor Input { get; }
    /// <summary>Valid values per row.</summary>
    public int[] Lengths { get; }
    /// <summary>The further float inputs by name.</summary>
    public Dictionary<string, Tensor> More { get; } = [];
    private readonly float[] _lastZ;
    private readonly int[] _series;
    private readonly NeuralForecaster _model;

    public ForecastGraphFeeds(NeuralForecaster model, IReadOnlyList<ForecastInput> inputs, int lookback, int horizon)
    {
        _model = model;
        int b = inputs.Count;
        Input = new Tensor(b, lookback);
        Lengths = new int[b];
        _lastZ = new float[b];
        _series = inputs.Select(i => i.Series).ToArray();
        var encoder = model.CovariateEncoder;
        Tensor? past = encoder is { PastWidth: > 0 } ? new Tensor(b, lookback, encoder.PastWidth) : null;
        Tensor? future = encoder is { FutureWidth: > 0 } ? new Tensor(b, lookback + horizon, encoder.FutureWidth) : null;
        Tensor? statics = encoder is { StaticWidth: > 0 } ? new Tensor(b, encoder.StaticWidth) : null;
        bool counts = model.Config.Head.Kind == Hindsight.Forecasting.Probabilistic.HeadKind.NegativeBinomial;
        var lookbacks = model.Members.Select(m => m.Config.Lookback).ToArray();
        Tensor? countScale = counts ? new Tensor(b, lookbacks.Length) : null;
        for (int i = 0; i < b; i++)
        {
            var history = inputs[i].History.Span;
            int n = history.Length, m = Math.Min(lookback, n), s = inputs[i].Series;
            var z = model.Scaler!.Transform(s, history[(n - m)..]);
            _lastZ[i] = z[^1];
            Lengths[i] = m;
            for (int k = 0; k < m; k++) Input.Data[i * lookback + k] = z[k] - _lastZ[i];
            if (encoder is not null)
            {
                var e = encoder.Encode(inputs[i].Covariates!);
                int p = encoder.PastWidth, f = encoder.FutureWidth;
                for (int k = 0; k < m; k++)
                {
                    for (int j = 0; j < p; j++) past!.Data[(i * lookback + k) * p + j] = e.Past[j][n - m + k];
                    for (int j = 0; j < f; j++) future!.Data[(i * (lookback + horizon) + k) * f + j] = e.Future[j][n - m + k];
                }
                for (int k = 0; k < horizon; k++)
                    for (int j = 0; j < f; j++) future!.Data[(i * (lookback + horizon) + lookback + k) * f + j] = e.Future[j][n + k];
                if (statics is not null) e.Static.CopyTo(statics.Data, i * e.Static.Length);
            }
            for (int j = 0; countScale is not null && j < lookbacks.Length; j++)
            {
                int l = Math.Min(lookbacks[j], n);
                double sum = 0;
                for (int k = n - l; k < n; k++) sum += Math.Abs(history[k]);
                countScale.Data[i * lookbacks.Length + j] = (float)(1 + sum / l);
            }
        }
        if (past is not null) More["past"] = past;
        if (future is not null) More["future"] = future;
        if (statics is not null) More["static"] = statics;
        if (countScale is not null) More["count_scale"] = countScale;
    }

    /// <summary>Runs the graph at both optimisation levels (as written, and as a deployment runs it).</summary>
    public IEnumerable<(string Level, Dictionary<string, Tensor> Outputs)> Run(byte[] model, bool lengths)
    {
        foreach (var level in new[] { GraphOptimizationLevel.ORT_DISABLE_ALL, GraphOptimizationLevel.ORT_ENABLE_ALL })
            yield return (level == GraphOptimizationLevel.ORT_ENABLE_ALL ? " (optimized)" : "", OrtRunner.Run(model, Input, lengths ? Lengths : null, More, level));
    }

    /// <summary>A value of row <paramref name="row"/> in the graph's units (a change of the scaled series from the window's last value) in the data's units.</summary>
    public float ToData(int row, float change) => _model.Scaler!.Inverse(_series[row], change + _lastZ[row]);

    /// <summary>A spread (scale) of row <paramref name="row"/> in the data's units.</summary>
    public float SpreadToData(int row, float spread) => spread * _model.Scaler!.Std[_series[row]];
}
