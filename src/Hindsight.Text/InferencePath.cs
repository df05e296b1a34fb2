namespace Hindsight.Text;

/// <summary>Whether the text models predict through the inference path (<see cref="CharModelPredictor"/>, a
/// <see cref="Hindsight.Inference.RecurrentPredictor"/>) or through <c>Forward</c> under <c>Tape.NoGrad()</c>: the same bits
/// either way; the switch is for tests and benchmarks.</summary>
internal static class InferencePath
{
    /// <summary>True on this thread: run <c>Forward</c> instead of the inference path.</summary>
    [ThreadStatic] internal static bool Off;
}
