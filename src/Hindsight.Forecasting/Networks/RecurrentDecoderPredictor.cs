using Hindsight.Inference;

namespace Hindsight.Forecasting.Networks;

/// <summary>
/// Forward-only execution of a <see cref="RecurrentDecoder"/>: the context adapter on [state, head covariates] and the
/// per-step MLP on every step's [context, future covariates, statics] (each one <see cref="SequentialPredictor"/>), the
/// inputs laid side by side on buffers sized once per batch size (a call with a batch size seen before allocates
/// nothing). The same products on the same operands as <see cref="RecurrentDecoder.Forward"/>, so the same bits.
/// The weights are read when the predictor is made and by <see cref="Refresh"/>. One predictor serves one thread at a time.
/// </summary>
public sealed class RecurrentDecoderPredictor
{
    private readonly SequentialPredictor _adapter, _mlp;
    private readonly int _hidden, _steps, _future, _statics;
    // (B, H + O x F + S) the adapter's input; (B, O x C) the contexts; (B x O, C + F + S) the steps' inputs
    private float[] _adapterInput = [], _context = [], _stepInput = [];

    /// <summary>Plans <paramref name="decoder"/>.</summary>
    public RecurrentDecoderPredictor(RecurrentDecoder decoder)
    {
        ArgumentNullException.ThrowIfNull(decoder);
        _hidden = decoder.Hidden; _steps = decoder.Steps; _future = decoder.Future; _statics = decoder.Statics;
        _adapter = new SequentialPredictor([decoder.Adapter]);
        _mlp = new SequentialPredictor(decoder.Mlp);
        OutputSize = _steps * decoder.Width;
    }

    /// <summary>Re-reads the adapter's and the MLP's weights (after training or loading).</summary>
    public void Refresh()
    {
        _adapter.Refresh();
        _mlp.Refresh();
    }

    /// <summary>Values of the state it reads per row (H).</summary>
    public int StateSize => _hidden;

    /// <summary>Head covariates per row (O x F + S, laid out as <see cref="Covariates.CovariateBatch.Head"/>).</summary>
    public int HeadSize => _steps * _future + _statics;

    /// <summary>Raw outputs per row (O x W, the step's W values fastest).</summary>
    public int OutputSize { get; }

    /// <summary>
    /// Decodes the top states <paramref name="state"/> (B, H) with the head covariates <paramref name="head"/> (B, O x F + S)
    /// into <paramref name="output"/> (B, O x W).
    /// </summary>
    public void Run(ReadOnlySpan<float> state, ReadOnlySpan<float> head, int batch, Span<float> output)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), batch, "RecurrentDecoderPredictor: batch must be positive.");
        int B = batch, H = _hidden, O = _steps, F = _future, S = _statics, E = HeadSize, C = RecurrentDecoder.ContextSize, D = C + F + S;
        if (state.Length != B * H)
            throw new ArgumentException($"RecurrentDecoderPredictor: state has {state.Length} values; batch {B} x {H} need {B * H}.", nameof(state));
        if (head.Length != B * E)
            throw new ArgumentException($"RecurrentDecoderPredictor: head has {head.Length} values; batch {B} x {E} need {B * E}.", nameof(head));
        if (output.Length != B * OutputSize)
            throw new ArgumentException($"RecurrentDecoderPredictor: output has {output.Length} values; {B * OutputSize} expected.", nameof(output));
        // [h, head] (B, H + E) -> contexts (B, O x C)
        var adapterInput = Buffer(ref _adapterInput, B * (H + E));
        for (int b = 0; b < B; b++)
        {
            state.Slice(b * H, H).CopyTo(adapterInput.Slice(b * (H + E), H));
            head.Slice(b * E, E).CopyTo(adapterInput.Slice(b * (H + E) + H, E));
        }
        var context = Buffer(ref _context, B * O * C);
        _adapter.Run(adapterInput, B, context);
        // per step [context_t (C), future_t (F), statics (S)] (B x O, D) -> (B x O, W)
        var stepInput = Buffer(ref _stepInput, B * O * D);
        for (int b = 0; b < B; b++)
        {
            var statics = head.Slice(b * E + O * F, S);
            for (int t = 0; t < O; t++)
            {
                var row = stepInput.Slice((b * O + t) * D, D);
                context.Slice((b * O + t) * C, C).CopyTo(row);
                head.Slice(b * E + t * F, F).CopyTo(row[C..]);
                statics.CopyTo(row[(C + F)..]);
            }
        }
        _mlp.Run(stepInput, B * O, output);
    }

    private static Span<float> Buffer(ref float[] buffer, int length)
    {
        if (buffer.Length < length) buffer = new float[length];
        return buffer.AsSpan(0, length);
    }
}
