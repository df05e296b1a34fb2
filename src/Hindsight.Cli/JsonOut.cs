using System.Text.Json;

namespace Hindsight.Cli;

/// <summary>
/// JSON settings shared by every <c>--json</c> output (the records in <c>Json/</c>, listed in docs/json.md): camelCase,
/// NaN written as a string rather than failing.
/// </summary>
internal static class JsonOut
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
        WriteIndented = false,
    };
}
