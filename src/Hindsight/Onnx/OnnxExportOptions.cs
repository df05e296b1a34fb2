namespace Hindsight.Onnx;

/// <summary>Choices for <see cref="OnnxExporter"/>.</summary>
public sealed record OnnxExportOptions
{
    /// <summary>
    /// Adds graph inputs <c>h0</c> (and <c>c0</c> for an LSTM) of shape (num_layers*num_directions, batch, hidden_size)
    /// holding the initial state, as PyTorch's <c>forward(input, h0)</c>; without them the state starts at zero.
    /// For <c>Rnn</c>, <c>Lstm</c>, <c>Gru</c> and the generate command's <c>CharLanguageModel</c> (carry <c>h_n</c>,
    /// <c>c_n</c> of one call into the next to sample letter by letter).
    /// </summary>
    public bool InitialState { get; init; }

    /// <summary>
    /// Adds an int32 graph input <c>lengths</c> (batch) for padded batches of <c>Rnn</c>, <c>Lstm</c> and <c>Gru</c>, as
    /// <c>Forward(input, lengths: ...)</c>: outputs past a row's length are zero and <c>h_n</c> (<c>c_n</c>) hold each
    /// row's state at its own last step (the reverse direction starts there). Every length must be 1..sequence.
    /// </summary>
    public bool Lengths { get; init; }

    /// <summary>
    /// Exports an <c>RnnCell</c> as the seed's loop over a whole input (sequence, batch, input_size) from a zero hidden
    /// state (a <c>Scan</c>): outputs the last step's <c>output</c> (batch, output_size) and <c>hidden_out</c>, as the
    /// langid cell model reads a word. Without it the cell exports as one step with inputs <c>input</c> and <c>hidden</c>.
    /// </summary>
    public bool RnnCellOverSequence { get; init; }

    /// <summary>Key/value pairs written to the model's <c>metadata_props</c> (ONNX Runtime: <c>ModelMetadata.CustomMetadataMap</c>).</summary>
    public IReadOnlyDictionary<string, string>? Metadata { get; init; }
}
