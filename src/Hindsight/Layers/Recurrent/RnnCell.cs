namespace Hindsight.Layers.Recurrent;

/// <summary>
/// The seed tutorial's recurrent network written from scratch (not <c>nn.RNN</c>): two linear maps on the
/// concatenation of the input and the hidden state,
/// <code>
/// combined = cat(input, hidden)            // (B, I + H)
/// output   = log_softmax(i2o(combined), 1) // (B, O)
/// hidden'  = i2h(combined)                 // (B, H), no activation, exactly as the seed
/// </code>
/// Built from <see cref="Ops"/> on the tape, so a user loop over the letters of a word back-propagates
/// through every step. Parameters (PyTorch state_dict names): <c>i2h.weight</c> (H, I+H), <c>i2h.bias</c> (H),
/// <c>i2o.weight</c> (O, I+H), <c>i2o.bias</c> (O), initialised as <c>nn.Linear</c>.
/// </summary>
public sealed class RnnCell : Module
{
    /// <summary>Input size I (e.g. the alphabet size for one-hot letters).</summary>
    public int InputSize { get; }
    /// <summary>Hidden size H.</summary>
    public int HiddenSize { get; }
    /// <summary>Output size O (e.g. the number of categories).</summary>
    public int OutputSize { get; }
    /// <summary><c>i2h = Linear(I + H, H)</c>: the next hidden state.</summary>
    public Linear I2H { get; }
    /// <summary><c>i2o = Linear(I + H, O)</c>: the output logits.</summary>
    public Linear I2O { get; }

    /// <summary>Creates the cell; <paramref name="rng"/> defaults to the thread's <see cref="Rng.Default"/>.</summary>
    public RnnCell(int inputSize, int hiddenSize, int outputSize, Rng? rng = null)
    {
        if (inputSize <= 0 || hiddenSize <= 0 || outputSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize),
                $"RnnCell: sizes must be positive, got input={inputSize}, hidden={hiddenSize}, output={outputSize}.");
        InputSize = inputSize; HiddenSize = hiddenSize; OutputSize = outputSize;
        I2H = RegisterModule("i2h", new Linear(inputSize + hiddenSize, hiddenSize, rng: rng));
        I2O = RegisterModule("i2o", new Linear(inputSize + hiddenSize, outputSize, rng: rng));
    }

    /// <summary>
    /// One step: input (B, I) and hidden (B, H) give the log-probabilities (B, O) and the next hidden state (B, H).
    /// </summary>
    public (Tensor Output, Tensor Hidden) Forward(Tensor input, Tensor hidden)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(hidden);
        if (input.Rank != 2 || input.Dim(1) != InputSize)
            throw new ArgumentException($"RnnCell: input has shape {input.ShapeString}, expected (batch, {InputSize}).");
        if (hidden.Rank != 2 || hidden.Dim(1) != HiddenSize || hidden.Dim(0) != input.Dim(0))
            throw new ArgumentException($"RnnCell: hidden has shape {hidden.ShapeString}, expected ({input.Dim(0)}, {HiddenSize}).");
        var combined = Ops.Concat(1, input, hidden);
        var output = Ops.LogSoftmax(I2O.Forward(combined), 1);
        var next = I2H.Forward(combined);
        return (output, next);
    }

    /// <summary>A zero hidden state (B, H) (the seed's <c>init_hidden()</c>).</summary>
    public Tensor InitHidden(int batch = 1)
    {
        if (batch <= 0) throw new ArgumentOutOfRangeException(nameof(batch), $"RnnCell.InitHidden: batch must be positive, got {batch}.");
        return Tensor.Zeros(batch, HiddenSize);
    }
}
