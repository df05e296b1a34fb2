using Hindsight.Lesson.Digits;

namespace Hindsight.Cli.Json;

/// <summary><c>hindsight digits --json</c> (fields in docs/json.md).</summary>
/// <param name="Data">The digits file.</param>
/// <param name="Classification">Linear + softmax classifier, held-out results.</param>
/// <param name="Regression">Linear regression on the digit value, held-out results.</param>
internal sealed record DigitsJson(string Data, VectorModelResult Classification, VectorModelResult Regression);
