namespace Hindsight.Tensors.Kernels;

/// <summary>
/// A <c>Linear</c> layer's weight W (n = out, k = in) and bias copied once and packed as the packed GEMM packs B = W^T, for
/// <see cref="GemmPrepacked"/>: for each KC-slice of k (the packed GEMM's slices), NR-column panels of kc x NR values,
/// zero-padded past n. Packed for the register tile width of the thread that packs (<see cref="GemmMicroKernel.NR"/>);
/// <see cref="Update"/> re-reads the weights when a bit of them changed or the width changed.
/// </summary>
internal sealed class PrepackedWeights
{
    /// <summary>The packed GEMM's k-slice (<c>GemmPacked</c>'s KC): sums over k are taken per slice, in order.</summary>
    internal const int KC = 256;

    /// <summary>The widest panel (<see cref="PanelWidth"/> with 512-bit vectors).</summary>
    internal const int MaxPanelWidth = GemmMicroKernel.MaxNR;

    private float[] _weight = [];

    /// <summary>
    /// Columns of a panel for the thread's vector width: the packed GEMM's register tile width (32 with 512-bit vectors,
    /// else 16). An 8 x 48 tile (three 512-bit vectors) measured no faster on the Intel host (2026-12-01, under load).
    /// </summary>
    internal static int PanelWidth => GemmMicroKernel.NR;

    /// <summary>Packs <paramref name="weight"/> (n, k) and <paramref name="bias"/> (n, or empty: none).</summary>
    public PrepackedWeights(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias, int n, int k)
    {
        if (weight.Length != n * k) throw new ArgumentException($"PrepackedWeights: weight has {weight.Length} values; {n} x {k} expected.", nameof(weight));
        if (bias.Length != 0 && bias.Length != n) throw new ArgumentException($"PrepackedWeights: bias has {bias.Length} values; {n} expected.", nameof(bias));
        N = n; K = k; HasBias = bias.Length != 0;
        Bias = new float[n];
        Update(weight, bias);
    }

    /// <summary>Output features (columns of the product).</summary>
    public int N { get; }

    /// <summary>Input features (the product's k).</summary>
    public int K { get; }

    /// <summary>Whether the layer has a bias (else <see cref="Bias"/> is zeros, what a cleared C adds).</summary>
    public bool HasBias { get; }

    /// <summary>The weight (n, k) as last read: the operand of the direct products (too few rows for the packed path).</summary>
    public ReadOnlySpan<float> Weight => _weight;

    /// <summary>The bias (n) as last read; zeros when the layer has none.</summary>
    public float[] Bias { get; }

    /// <summary>The register tile width the panels were packed for (<see cref="PanelWidth"/>: 32 or 16).</summary>
    public int Nr { get; private set; }

    /// <summary>
    /// Columns the packed GEMM computes in full register tiles (n rounded down to its tile width <see cref="GemmMicroKernel.NR"/>
    /// at packing time); the columns past it are in its edge tiles.
    /// </summary>
    public int GemmFullColumns { get; private set; }

    /// <summary>n rounded up to <see cref="Nr"/>: the values of one k-row of a slice.</summary>
    public int PaddedN { get; private set; }

    /// <summary>The panels: slice at pc starts at pc * PaddedN; within it the panel of columns jr..jr+Nr at jr * kc.</summary>
    public float[] Panels { get; private set; } = [];

    /// <summary>
    /// Re-reads <paramref name="weight"/> and <paramref name="bias"/> when any bit differs from what was read, or the
    /// thread's register tile width differs from <see cref="Nr"/>; returns whether it re-packed.
    /// </summary>
    public bool Update(ReadOnlySpan<float> weight, ReadOnlySpan<float> bias)
    {
        int nr = PanelWidth;
        bool same = nr == Nr && Same(weight, _weight) && (!HasBias || Same(bias, Bias));
        if (same) return false;
        if (_weight.Length != weight.Length) _weight = new float[weight.Length];
        weight.CopyTo(_weight);
        if (HasBias) bias.CopyTo(Bias);
        Pack(nr);
        return true;
    }

    /// <summary>Re-packs for the thread's current register tile width when it differs from <see cref="Nr"/> (a width cap set after packing).</summary>
    public void MatchWidth()
    {
        if (PanelWidth != Nr) Pack(PanelWidth);
    }

    private static bool Same(ReadOnlySpan<float> a, ReadOnlySpan<float> b) =>
        a.Length == b.Length
        && System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(a).SequenceEqual(System.Runtime.InteropServices.MemoryMarshal.Cast<float, int>(b));

    // panel[p * nr + j] = W[jr + j, pc + p] (0 past n)
    private void Pack(int nr)
    {
        int n = N, k = K, padded = (n + nr - 1) / nr * nr;
        if (Panels.Length != padded * k) Panels = new float[padded * k];
        var w = _weight;
        var panels = Panels;
        for (int pc = 0; pc < k; pc += KC)
        {
            int kc = Math.Min(KC, k - pc);
            int slice = pc * padded;
            for (int jr = 0; jr < padded; jr += nr)
            {
                int panel = slice + jr * kc;
                for (int j = 0; j < nr; j++)
                {
                    int col = jr + j;
                    for (int p = 0; p < kc; p++) panels[panel + p * nr + j] = col < n ? w[col * k + pc + p] : 0f;
                }
            }
        }
        Nr = nr; PaddedN = padded;
        GemmFullColumns = n / GemmMicroKernel.NR * GemmMicroKernel.NR;
    }
}
