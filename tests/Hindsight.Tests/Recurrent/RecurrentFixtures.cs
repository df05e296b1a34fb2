using System.Collections.Concurrent;
using System.Text.Json;
using Hindsight.Layers.Recurrent;
using Hindsight.Serialization;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Recurrent;

/// <summary>One parity case of tests/fixtures/recurrent_&lt;kind&gt;.safetensors (written by tools/reference/recurrent_fixtures.py).</summary>
public sealed record RecurrentCase(string Kind, string Name, int Layers, bool Bidirectional, bool BatchFirst, int Hidden, int T,
    int Batch, int Input, bool Init, bool Bias, int[]? Lengths);

/// <summary>Loads the recurrent parity fixtures (cached) and builds the matching layer.</summary>
public static class RecurrentFixtures
{
    private static readonly ConcurrentDictionary<string, SafeTensorsFile> Files = new();

    public static SafeTensorsFile File(string kind) =>
        Files.GetOrAdd(kind, k => SafeTensors.Load(Repo.Fixture($"recurrent_{k}.safetensors")));

    public static TheoryData<string> CaseNames(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var name in File(kind).Metadata.Keys.Order(StringComparer.Ordinal)) data.Add(name);
        return data;
    }

    public static RecurrentCase Case(string kind, string name)
    {
        using var doc = JsonDocument.Parse(File(kind).Metadata[name]);
        var r = doc.RootElement;
        int[]? lengths = r.GetProperty("lengths").ValueKind == JsonValueKind.Null ? null
            : r.GetProperty("lengths").EnumerateArray().Select(e => e.GetInt32()).ToArray();
        return new RecurrentCase(kind, name, r.GetProperty("layers").GetInt32(), r.GetProperty("bidirectional").GetBoolean(),
            r.GetProperty("batch_first").GetBoolean(), r.GetProperty("hidden").GetInt32(), r.GetProperty("T").GetInt32(),
            r.GetProperty("batch").GetInt32(), r.GetProperty("input").GetInt32(), r.GetProperty("init").GetBoolean(),
            r.GetProperty("bias").GetBoolean(), lengths);
    }

    public static Tensor Get(string kind, string name, string tensor) => File(kind).Tensors[$"{name}/{tensor}"];

    public static bool Has(string kind, string name, string tensor) => File(kind).Tensors.ContainsKey($"{name}/{tensor}");

    /// <summary>The layer of the case with the fixture's weights loaded.</summary>
    public static RecurrentBase Build(RecurrentCase c)
    {
        // recurrent_small_<kind> files (tools/reference/small_magnitude_fixtures.py) hold the same layer kinds
        string layerKind = c.Kind.StartsWith("small_", StringComparison.Ordinal) ? c.Kind["small_".Length..] : c.Kind;
        RecurrentBase layer = layerKind switch
        {
            "rnn_tanh" => new Rnn(c.Input, c.Hidden, c.Layers, RnnNonlinearity.Tanh, c.Bias, c.BatchFirst, 0, c.Bidirectional),
            "rnn_relu" => new Rnn(c.Input, c.Hidden, c.Layers, RnnNonlinearity.Relu, c.Bias, c.BatchFirst, 0, c.Bidirectional),
            "lstm" => new Lstm(c.Input, c.Hidden, c.Layers, c.Bias, c.BatchFirst, 0, c.Bidirectional),
            "gru" => new Gru(c.Input, c.Hidden, c.Layers, c.Bias, c.BatchFirst, 0, c.Bidirectional),
            _ => throw new ArgumentException(c.Kind),
        };
        var state = layer.StateDict().Keys.ToDictionary(k => k, k => Get(c.Kind, c.Name, k));
        layer.LoadStateDict(state);
        return layer;
    }

    /// <summary>Runs any of the three layer types (one call for all): (output, h_n, c_n or null).</summary>
    public static (Tensor Output, Tensor H, Tensor? C) Run(RecurrentBase layer, Tensor x, Tensor? h0, Tensor? c0, int[]? lengths)
    {
        if (h0 is null && c0 is not null) throw new ArgumentException("a cell state needs a hidden state", nameof(h0));
        var (y, h, c) = layer.Forward(x, h0 is null ? null : new HiddenState(h0, c0), lengths);
        return (y, h, c);
    }

    /// <summary>
    /// Runs case <paramref name="name"/> of <paramref name="kind"/>'s file with PyTorch's upstream gradients
    /// (loss = sum(output*g_out) + sum(h_n*g_h) [+ sum(c_n*g_c)]) and compares the output, final states and every
    /// gradient within <paramref name="tolerance"/> of each tensor's scale.
    /// </summary>
    public static void CheckParity(string kind, string name, Xunit.Abstractions.ITestOutputHelper output, double tolerance)
    {
        var c = Case(kind, name);
        var layer = Build(c);
        Tensor Fx(string t) => Get(kind, name, t);
        var x = Fx("input").Clone(); x.RequiresGrad = true;
        Tensor? h0 = null, c0 = null;
        if (c.Init) { h0 = Fx("h0").Clone(); h0.RequiresGrad = true; }
        if (c.Init && Has(kind, name, "c0")) { c0 = Fx("c0").Clone(); c0.RequiresGrad = true; }

        var (y, hn, cn) = Run(layer, x, h0, c0, c.Lengths);
        var loss = Ops.Add(Ops.Sum(Ops.Mul(y, Fx("grad_output"))), Ops.Sum(Ops.Mul(hn, Fx("grad_h_n"))));
        if (cn is not null) loss = Ops.Add(loss, Ops.Sum(Ops.Mul(cn, Fx("grad_c_n"))));
        loss.Backward();

        Compare.Close(Fx("output"), y, "output", output, tolerance);
        Compare.Close(Fx("h_n"), hn, "h_n", output, tolerance);
        if (cn is not null) Compare.Close(Fx("c_n"), cn, "c_n", output, tolerance);
        Compare.Close(Fx("grad/input"), x.Grad!, "grad/input", output, tolerance);
        if (h0 is not null) Compare.Close(Fx("grad/h0"), h0.Grad!, "grad/h0", output, tolerance);
        if (c0 is not null) Compare.Close(Fx("grad/c0"), c0.Grad!, "grad/c0", output, tolerance);
        foreach (var (pn, p) in layer.NamedParameters())
            Compare.Close(Fx("grad/" + pn), p.Grad!, "grad/" + pn, output, tolerance);
    }
}
