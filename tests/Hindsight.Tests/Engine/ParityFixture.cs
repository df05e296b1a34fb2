using Hindsight.Serialization;
using Hindsight.Tests.Support;

namespace Hindsight.Tests.Engine;

/// <summary>
/// One engine parity fixture written by tools/reference/engine_fixtures.py: tensors named <c>case/tensor</c> and
/// metadata (<c>cases</c> lists the case names in order). Loaded fresh per use, so tests never share mutable tensors.
/// </summary>
internal sealed class ParityFixture
{
    private readonly SafeTensorsFile _file;
    private readonly string _path;

    public ParityFixture(string name)
    {
        _path = Repo.Fixture(name + ".safetensors");
        _file = SafeTensors.Load(_path);
    }

    /// <summary>The case names of a fixture, as xunit theory data (one test per case).</summary>
    public static TheoryData<string> CaseNames(string fixture, string key = "cases") => new(Names(fixture, key));

    /// <summary>The case names of a fixture.</summary>
    public static string[] Names(string fixture, string key = "cases") => new ParityFixture(fixture).Meta(key).Split(',');

    public string Meta(string key) =>
        _file.Metadata.TryGetValue(key, out var v) ? v : throw new InvalidDataException($"{_path}: no metadata '{key}'.");

    public bool Has(string name) => _file.Tensors.ContainsKey(name);

    /// <summary>A fixture tensor (the stored object; use <see cref="Leaf"/> for inputs that get gradients).</summary>
    public Tensor Get(string name) => _file.Get(name, _path);

    /// <summary>A copy of a fixture tensor that requires gradients.</summary>
    public Tensor Leaf(string name) => new((float[])Get(name).Data.Clone(), Get(name).Shape.ToArray()) { RequiresGrad = true };

    /// <summary>Class indices stored as floats.</summary>
    public int[] Indices(string name) => Get(name).Data.Select(v => (int)v).ToArray();

    /// <summary>Tensors whose names start with <paramref name="prefix"/>, keyed by the rest of the name.</summary>
    public Dictionary<string, Tensor> Group(string prefix) =>
        _file.Tensors.Where(kv => kv.Key.StartsWith(prefix, StringComparison.Ordinal))
            .ToDictionary(kv => kv.Key[prefix.Length..], kv => kv.Value);
}
