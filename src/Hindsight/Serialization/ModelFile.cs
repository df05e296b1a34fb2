using Hindsight.Layers;

namespace Hindsight.Serialization;

/// <summary>
/// A module's weights in a safetensors file under PyTorch state_dict names (<c>i2h.weight</c>, <c>0.bias</c>,
/// <c>rnn.weight_ih_l0</c>, ...), so a file written here loads into PyTorch with
/// <c>model.load_state_dict({k: torch.from_numpy(...)})</c> and a PyTorch <c>state_dict</c> saved as safetensors loads here.
/// </summary>
public static class ModelFile
{
    /// <summary>Writes every parameter of <paramref name="module"/> (atomically) with optional string metadata.</summary>
    public static void SaveSafeTensors(this Module module, string path, IReadOnlyDictionary<string, string>? metadata = null)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        SafeTensors.Save(path, module.NamedParameters().Select(p => KeyValuePair.Create(p.Name, p.Value)), metadata);
    }

    /// <summary>
    /// Loads parameters from a safetensors file by name and returns the file's metadata. Every check runs before any
    /// parameter changes: a shape mismatch, with <paramref name="strict"/> a missing or unexpected tensor, and unless
    /// <paramref name="allowNonFinite"/> a NaN or infinite weight, is an <see cref="InvalidDataException"/> naming the
    /// file, the tensor and what is wrong.
    /// </summary>
    public static IReadOnlyDictionary<string, string> LoadSafeTensors(this Module module, string path, bool strict = true, bool allowNonFinite = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentException.ThrowIfNullOrEmpty(path);
        return module.LoadSafeTensors(SafeTensors.Load(path), path, strict, allowNonFinite);
    }

    /// <summary>Loads parameters from an already read file (see the path overload); <paramref name="path"/> names it in errors.</summary>
    public static IReadOnlyDictionary<string, string> LoadSafeTensors(this Module module, SafeTensorsFile file, string path, bool strict = true,
        bool allowNonFinite = false)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(file);
        if (!allowNonFinite) RequireFinite(file, path);
        var own = module.StateDict();
        var problems = new List<string>();
        foreach (var (name, p) in own)
        {
            if (!file.Tensors.TryGetValue(name, out var t))
            {
                if (strict) problems.Add($"missing tensor '{name}' (expected shape {p.ShapeString})");
            }
            else if (!p.SameShape(t)) problems.Add($"tensor '{name}' has shape {t.ShapeString}, expected {p.ShapeString}");
        }
        if (strict)
            foreach (var (name, t) in file.Tensors)
                if (!own.ContainsKey(name)) problems.Add($"unexpected tensor '{name}' {t.ShapeString} (the model has no parameter of that name)");
        if (problems.Count > 0)
            throw new InvalidDataException($"{path}: cannot load into {module.GetType().Name}: {string.Join("; ", problems)}.");
        foreach (var (name, p) in own)
            if (file.Tensors.TryGetValue(name, out var t)) p.CopyFrom(t);
        return file.Metadata;
    }

    /// <summary>Throws <see cref="InvalidDataException"/> naming the first tensor of <paramref name="file"/> holding a NaN or infinity.</summary>
    public static void RequireFinite(SafeTensorsFile file, string path)
    {
        ArgumentNullException.ThrowIfNull(file);
        foreach (var (name, t) in file.Tensors)
        {
            int at = Array.FindIndex(t.Data, v => !float.IsFinite(v));
            if (at >= 0)
                throw new InvalidDataException($"{path}: tensor '{name}' holds {t.Data[at]} at index {at}; a model file's weights must be finite numbers.");
        }
    }
}
