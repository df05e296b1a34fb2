using Hindsight.Onnx;

namespace Hindsight.Forecasting.Networks;

/// <summary>
/// The basis of an N-BEATS / N-HiTS block: how the block's coefficients theta (B, <see cref="ThetaSize"/>) become its
/// backcast (B, L) and forecast (B, H). The first <see cref="BackcastSize"/> coefficients expand into the backcast, the
/// rest into the forecast, each through a fixed matrix (polynomials, harmonics, an interpolation) or unchanged (the
/// generic basis's linear projection, N-HiTS's backcast). The matrices are constants, not parameters.
/// </summary>
public sealed class BlockBasis
{
    /// <summary>Coefficients of the backcast.</summary>
    public int BackcastSize { get; }
    /// <summary>Coefficients of the forecast.</summary>
    public int ForecastSize { get; }
    /// <summary>All coefficients: the output size of the block's theta layer.</summary>
    public int ThetaSize => BackcastSize + ForecastSize;
    /// <summary>The backcast basis (BackcastSize, L), or null when the coefficients are the backcast.</summary>
    public Tensor? BackcastMatrix { get; }
    /// <summary>The forecast basis (ForecastSize, H), or null when the coefficients are the forecast.</summary>
    public Tensor? ForecastMatrix { get; }
    /// <summary>Short name for messages and ONNX node names (<c>generic</c>, <c>trend</c>, <c>seasonality</c>, <c>interpolation</c>).</summary>
    public string Kind { get; }

    /// <summary>A basis from its two expansions; a null matrix passes its coefficients through.</summary>
    public BlockBasis(string kind, int backcastSize, Tensor? backcastMatrix, int forecastSize, Tensor? forecastMatrix)
    {
        ArgumentNullException.ThrowIfNull(kind);
        if (backcastSize < 1 || forecastSize < 1)
            throw new ArgumentOutOfRangeException(nameof(backcastSize), $"BlockBasis: sizes must be positive, got {backcastSize} and {forecastSize}.");
        if (backcastMatrix is not null && (backcastMatrix.Rank != 2 || backcastMatrix.Dim(0) != backcastSize))
            throw new ArgumentException($"BlockBasis: backcast matrix {backcastMatrix.ShapeString} must have {backcastSize} rows.", nameof(backcastMatrix));
        if (forecastMatrix is not null && (forecastMatrix.Rank != 2 || forecastMatrix.Dim(0) != forecastSize))
            throw new ArgumentException($"BlockBasis: forecast matrix {forecastMatrix.ShapeString} must have {forecastSize} rows.", nameof(forecastMatrix));
        Kind = kind;
        BackcastSize = backcastSize; ForecastSize = forecastSize;
        BackcastMatrix = backcastMatrix; ForecastMatrix = forecastMatrix;
    }

    /// <summary>The generic basis (the paper's linear projections): theta (B, L + H) is the backcast then the forecast.</summary>
    public static BlockBasis Generic(int lookback, int horizon) => new("generic", lookback, null, horizon, null);

    /// <summary>
    /// The forecast basis <paramref name="basis"/> (P, H) for <paramref name="outputs"/> values per step (a quantile or
    /// distribution head's width W): (P W, H W) with <c>[p W + w, t W + w] = basis[p, t]</c>, so each of the W outputs is its
    /// own combination of the same P basis functions and the forecast comes out (B, H W), the outputs fastest (NeuralForecast's
    /// <c>TrendBasis</c>/<c>SeasonalityBasis</c> with <c>out_features</c>: <c>einsum("bpq,pt->btq")</c>). W = 1 returns the basis.
    /// </summary>
    public static Tensor PerOutput(Tensor basis, int outputs)
    {
        ArgumentNullException.ThrowIfNull(basis);
        if (outputs < 1) throw new ArgumentOutOfRangeException(nameof(outputs), $"BlockBasis: outputs per step must be positive, got {outputs}.");
        if (outputs == 1) return basis;
        int p = basis.Dim(0), h = basis.Dim(1), w = outputs;
        var m = new Tensor(p * w, h * w);
        for (int k = 0; k < p; k++)
            for (int t = 0; t < h; t++)
                for (int j = 0; j < w; j++)
                    m.Data[(k * w + j) * (h * w) + t * w + j] = basis.Data[k * h + t];
        return m;
    }

    /// <summary>theta (B, ThetaSize) to backcast (B, L) and forecast (B, H).</summary>
    public (Tensor Backcast, Tensor Forecast) Expand(Tensor theta)
    {
        var backcast = Ops.Slice(theta, 1, 0, BackcastSize);                               // (B, Pb)
        var forecast = Ops.Slice(theta, 1, BackcastSize, ForecastSize);                    // (B, Pf)
        if (BackcastMatrix is not null) backcast = Ops.MatMul(backcast, BackcastMatrix);  // (B, Pb) @ (Pb, L)
        if (ForecastMatrix is not null) forecast = Ops.MatMul(forecast, ForecastMatrix);  // (B, Pf) @ (Pf, H)
        return (backcast, forecast);
    }

    /// <summary>The ONNX graph of <see cref="Expand"/>.</summary>
    public (OnnxValue Backcast, OnnxValue Forecast) ExportOnnx(OnnxExportContext context, OnnxValue theta, string path)
    {
        ArgumentNullException.ThrowIfNull(context);
        var backcast = context.Narrow(theta, 0, BackcastSize, path + ".backcast_theta");
        var forecast = context.Narrow(theta, BackcastSize, ForecastSize, path + ".forecast_theta");
        if (BackcastMatrix is not null) backcast = context.MatMul(backcast, BackcastMatrix, path + ".backcast");
        if (ForecastMatrix is not null) forecast = context.MatMul(forecast, ForecastMatrix, path + ".forecast");
        return (backcast, forecast);
    }
}
