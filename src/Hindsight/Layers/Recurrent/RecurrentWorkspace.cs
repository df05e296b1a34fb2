namespace Hindsight.Layers.Recurrent;

/// <summary>
/// What one recurrent forward keeps for its backward (llm.c style activations), reused across calls.
/// Buffers only grow; spans are sliced to the current (T, B). A workspace whose forward was recorded stays
/// reserved until the tape that holds its entry is emptied (<see cref="Tape.Generation"/> moves past the stamp).
/// </summary>
internal sealed class RecurrentWorkspace(RecurrentBase owner) : IRecurrentWorkspace
{
    public readonly RecurrentBase Owner = owner;
    /// <summary>Tape generation at the recorded forward.</summary>
    public long Generation = -1;
    /// <summary>Whether the last forward put an entry on the tape (then the buffers are reserved for its backward).</summary>
    public bool Recorded;

    public int T, B;
    /// <summary>Lengths per batch element (only when <see cref="HasLengths"/>).</summary>
    public int[] Lengths = [];
    public bool HasLengths;
    /// <summary>Whether dropout masks were applied to the inputs of layers 1..L-1.</summary>
    public bool DropoutApplied;

    /// <summary>Layer-0 input, time-first (T,B,I): the user's data when time-first, else <see cref="InputT"/>.</summary>
    public float[] Input0 = [];
    /// <summary>Time-first copy of a batch-first input (T,B,I).</summary>
    public float[] InputT = [];
    /// <summary>[l] for l &gt;= 1: input of layer l (T,B,D*H), after dropout.</summary>
    public readonly float[][] LayerInput = new float[owner.NumLayers][];
    /// <summary>[l] for l &gt;= 1: dropout scale per element of <see cref="LayerInput"/> (0 or 1/(1-p)).</summary>
    public readonly float[][] Mask = new float[owner.NumLayers][];
    /// <summary>[l*D+d]: gates (T,B,G*H), activated (RNN: h; LSTM: i,f,g,o; GRU: r,z,n).</summary>
    public readonly float[][] Gates = new float[owner.NumLayers * owner.NumDirections][];
    /// <summary>[l*D+d]: hidden states (T+2,B,H); slot t+1 is the state after time t; slot 0 (forward) or T+1 (reverse) is h0.</summary>
    public readonly float[][] States = new float[owner.NumLayers * owner.NumDirections][];
    /// <summary>LSTM [l*D+d]: cell states (T+2,B,H), same slots as <see cref="States"/>.</summary>
    public readonly float[][] Cells = new float[owner.NumLayers * owner.NumDirections][];
    /// <summary>LSTM [l*D+d]: tanh(c_t) (T,B,H).</summary>
    public readonly float[][] TanhCells = new float[owner.NumLayers * owner.NumDirections][];
    /// <summary>GRU [l*D+d]: W_hn h_{t-1} + b_hn (T,B,H), the term inside the reset product.</summary>
    public readonly float[][] HiddenN = new float[owner.NumLayers * owner.NumDirections][];
    /// <summary>[l*D+d]: W_ih^T (inF, G*H) and W_hh^T (H, G*H) as of the forward, so the GEMMs run with the long G*H side contiguous.</summary>
    public readonly float[][] WeightIhT = new float[owner.NumLayers * owner.NumDirections][];
    /// <summary>See <see cref="WeightIhT"/>.</summary>
    public readonly float[][] WeightHhT = new float[owner.NumLayers * owner.NumDirections][];
    /// <summary>Last layer's output time-first (T,B,D*H) when the user's layout is batch-first.</summary>
    public float[] OutputT = [];

    /// <summary>Whether the buffers may be overwritten by a new forward.</summary>
    public bool IsFree => !Recorded || Tape.Generation != Generation;

    /// <summary>Sizes every buffer for (T, B) without allocating when it already fits.</summary>
    public void Ensure(int t, int b)
    {
        T = t; B = b;
        var o = Owner;
        int h = o.HiddenSize, dh = o.NumDirections * h, gh = o.GateCount * h;
        if (o.BatchFirst) Grow(ref InputT, t * b * o.InputSize);
        for (int l = 1; l < o.NumLayers; l++)
        {
            Grow(ref LayerInput[l], t * b * dh);
            if (o.Dropout > 0) Grow(ref Mask[l], t * b * dh);
        }
        for (int i = 0; i < Gates.Length; i++)
        {
            Grow(ref Gates[i], t * b * gh);
            Grow(ref WeightIhT[i], (i < o.NumDirections ? o.InputSize : dh) * gh);
            Grow(ref WeightHhT[i], h * gh);
            Grow(ref States[i], (t + 2) * b * h);
            if (o.Kind == CellKind.Lstm) { Grow(ref Cells[i], (t + 2) * b * h); Grow(ref TanhCells[i], t * b * h); }
            if (o.Kind == CellKind.Gru) Grow(ref HiddenN[i], t * b * h);
        }
        if (o.BatchFirst) Grow(ref OutputT, t * b * dh);
    }

    internal static void Grow(ref float[] buffer, int length)
    {
        if (buffer is null || buffer.Length < length) buffer = new float[length];
    }
}
