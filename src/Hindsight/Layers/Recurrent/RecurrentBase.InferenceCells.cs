using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Hindsight.Tensors.Kernels;

namespace Hindsight.Layers.Recurrent;

/// <summary>
/// The inference path's cell steps: the LSTM and GRU formulas of <see cref="Lstm"/> and <see cref="Gru"/> in one pass
/// over 16 lanes at a time (activations, state update and output together, nothing kept for a backward), the same
/// operations in the same order as the training step's separate vector calls, so the same bits. Used when the
/// hidden size is a multiple of the vector width (16 lanes with AVX-512, else 8 with AVX2); otherwise the training step runs.
/// </summary>
public abstract partial class RecurrentBase
{
    /// <summary>Whether <see cref="FusedInferenceStep"/> takes this layer's steps.</summary>
    private bool HasFusedInferenceStep =>
        Kind is CellKind.Lstm or CellKind.Gru && FastPaths.On(FastPath.LstmWholeStep)
        && (Wide ? HiddenSize % 16 == 0 : Vector256.IsHardwareAccelerated && FastPaths.Allows(256) && HiddenSize % 8 == 0);

    /// <summary>Whether the fused steps run 16 lanes wide (else 8).</summary>
    private static bool Wide => RowTimesMatrix.Use512;

    /// <summary>
    /// One step for every row (all valid): LSTM from the pre-activations (B,4H) and c_{t-1} to c_t and h_t; GRU from the
    /// input part (B,3H), the hidden part (B,3H) and h_{t-1} to h_t.
    /// </summary>
    private void FusedInferenceStep(ref StepSpans s)
    {
        int H = s.H;
        if (Kind == CellKind.Lstm)
        {
            if (s.Gates.Length < s.B * 4 * H || s.CPrev.Length < s.B * H || s.CCur.Length < s.B * H || s.HCur.Length < s.B * H)
                throw new ArgumentException("FusedInferenceStep: spans too short.");
            bool wide = Wide;
            for (int b = 0; b < s.B; b++)
            {
                ref float g = ref MemoryMarshal.GetReference(s.Gates.Slice(b * 4 * H));
                ref float cPrev = ref MemoryMarshal.GetReference(s.CPrev.Slice(b * H));
                ref float cCur = ref MemoryMarshal.GetReference(s.CCur.Slice(b * H));
                ref float hCur = ref MemoryMarshal.GetReference(s.HCur.Slice(b * H));
                if (wide) LstmRow(ref g, ref cPrev, ref cCur, ref hCur, H); else LstmRow256(ref g, ref cPrev, ref cCur, ref hCur, H);
            }
        }
        else
        {
            if (s.Gates.Length < s.B * 3 * H || s.HiddenGates.Length < s.B * 3 * H || s.HPrev.Length < s.B * H || s.HCur.Length < s.B * H)
                throw new ArgumentException("FusedInferenceStep: spans too short.");
            bool wide = Wide;
            for (int b = 0; b < s.B; b++)
            {
                ref float g = ref MemoryMarshal.GetReference(s.Gates.Slice(b * 3 * H));
                ref float gh = ref MemoryMarshal.GetReference(s.HiddenGates.Slice(b * 3 * H));
                ref float hPrev = ref MemoryMarshal.GetReference(s.HPrev.Slice(b * H));
                ref float hCur = ref MemoryMarshal.GetReference(s.HCur.Slice(b * H));
                if (wide) GruRow(ref g, ref gh, ref hPrev, ref hCur, H); else GruRow256(ref g, ref gh, ref hPrev, ref hCur, H);
            }
        }
    }

    /// <summary>i, f = σ, g = tanh, o = σ; c = f c_prev + i g (product, then FMA); h = o tanh(c).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LstmRow(ref float gates, ref float cPrev, ref float cCur, ref float hCur, int H)
    {
        for (int j = 0; j < H; j += 16)
        {
            nuint u = (nuint)j;
            var i = Activation.Sigmoid(Vector512.LoadUnsafe(ref gates, u));
            var f = Activation.Sigmoid(Vector512.LoadUnsafe(ref gates, u + (nuint)H));
            var g = Activation.Tanh(Vector512.LoadUnsafe(ref gates, u + (nuint)(2 * H)));
            var o = Activation.Sigmoid(Vector512.LoadUnsafe(ref gates, u + (nuint)(3 * H)));
            var c = Vector512.FusedMultiplyAdd(i, g, f * Vector512.LoadUnsafe(ref cPrev, u));
            c.StoreUnsafe(ref cCur, u);
            (o * Activation.Tanh(c)).StoreUnsafe(ref hCur, u);
        }
    }

    /// <summary>r, z = σ(x-part + h-part); n = tanh(x-part_n + r h-part_n); h = n + z (h_prev - n) (difference, then FMA).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GruRow(ref float gates, ref float hiddenGates, ref float hPrev, ref float hCur, int H)
    {
        for (int j = 0; j < H; j += 16)
        {
            nuint u = (nuint)j;
            var r = Activation.Sigmoid(Vector512.LoadUnsafe(ref gates, u) + Vector512.LoadUnsafe(ref hiddenGates, u));
            var z = Activation.Sigmoid(Vector512.LoadUnsafe(ref gates, u + (nuint)H) + Vector512.LoadUnsafe(ref hiddenGates, u + (nuint)H));
            var n = Activation.Tanh(Vector512.FusedMultiplyAdd(r, Vector512.LoadUnsafe(ref hiddenGates, u + (nuint)(2 * H)),
                Vector512.LoadUnsafe(ref gates, u + (nuint)(2 * H))));
            Vector512.FusedMultiplyAdd(z, Vector512.LoadUnsafe(ref hPrev, u) - n, n).StoreUnsafe(ref hCur, u);
        }
    }

    /// <summary><see cref="LstmRow"/> 8 lanes wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void LstmRow256(ref float gates, ref float cPrev, ref float cCur, ref float hCur, int H)
    {
        for (int j = 0; j < H; j += 8)
        {
            nuint u = (nuint)j;
            var i = Activation.Sigmoid(Vector256.LoadUnsafe(ref gates, u));
            var f = Activation.Sigmoid(Vector256.LoadUnsafe(ref gates, u + (nuint)H));
            var g = Activation.Tanh(Vector256.LoadUnsafe(ref gates, u + (nuint)(2 * H)));
            var o = Activation.Sigmoid(Vector256.LoadUnsafe(ref gates, u + (nuint)(3 * H)));
            var c = Vector256.FusedMultiplyAdd(i, g, f * Vector256.LoadUnsafe(ref cPrev, u));
            c.StoreUnsafe(ref cCur, u);
            (o * Activation.Tanh(c)).StoreUnsafe(ref hCur, u);
        }
    }

    /// <summary><see cref="GruRow"/> 8 lanes wide.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void GruRow256(ref float gates, ref float hiddenGates, ref float hPrev, ref float hCur, int H)
    {
        for (int j = 0; j < H; j += 8)
        {
            nuint u = (nuint)j;
            var r = Activation.Sigmoid(Vector256.LoadUnsafe(ref gates, u) + Vector256.LoadUnsafe(ref hiddenGates, u));
            var z = Activation.Sigmoid(Vector256.LoadUnsafe(ref gates, u + (nuint)H) + Vector256.LoadUnsafe(ref hiddenGates, u + (nuint)H));
            var n = Activation.Tanh(Vector256.FusedMultiplyAdd(r, Vector256.LoadUnsafe(ref hiddenGates, u + (nuint)(2 * H)),
                Vector256.LoadUnsafe(ref gates, u + (nuint)(2 * H))));
            Vector256.FusedMultiplyAdd(z, Vector256.LoadUnsafe(ref hPrev, u) - n, n).StoreUnsafe(ref hCur, u);
        }
    }
}
