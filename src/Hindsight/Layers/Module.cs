namespace Hindsight.Layers;

/// <summary>
/// Base of every model part (PyTorch's <c>nn.Module</c>): owns named parameters and child modules, and lists
/// them with PyTorch's state_dict names (<c>0.weight</c>, <c>rnn.weight_ih_l0</c>, ...).
/// </summary>
public abstract class Module
{
    private readonly List<(string Name, Tensor Value)> _parameters = [];
    private readonly List<(string Name, Module Value)> _children = [];

    /// <summary>Training mode (dropout active) or evaluation mode; see <see cref="Train"/> and <see cref="Eval"/>.</summary>
    public bool Training { get; private set; } = true;

    /// <summary>Registers a parameter (sets RequiresGrad) under <paramref name="name"/>.</summary>
    protected Tensor RegisterParameter(string name, Tensor value)
    {
        if (_parameters.Exists(p => p.Name == name)) throw new ArgumentException($"Parameter '{name}' registered twice.");
        value.RequiresGrad = true;
        value.Name ??= name;
        _parameters.Add((name, value));
        return value;
    }

    /// <summary>Registers a child module under <paramref name="name"/>; its parameters are listed as <c>name.param</c>.</summary>
    protected T RegisterModule<T>(string name, T module) where T : Module
    {
        ArgumentNullException.ThrowIfNull(module);
        if (_children.Exists(c => c.Name == name)) throw new ArgumentException($"Module '{name}' registered twice.");
        _children.Add((name, module));
        return module;
    }

    /// <summary>Child modules in registration order.</summary>
    public IEnumerable<(string Name, Module Module)> NamedChildren() => _children.Select(c => (c.Name, c.Value));

    /// <summary>Every parameter with its dotted PyTorch name (PyTorch's <c>named_parameters()</c>).</summary>
    public IEnumerable<(string Name, Tensor Value)> NamedParameters()
    {
        foreach (var p in _parameters) yield return p;
        foreach (var (childName, child) in _children)
            foreach (var (n, v) in child.NamedParameters())
                yield return ($"{childName}.{n}", v);
    }

    /// <summary>Every parameter, in <see cref="NamedParameters"/> order.</summary>
    public IReadOnlyList<Tensor> Parameters() => NamedParameters().Select(p => p.Value).ToList();

    /// <summary>Total number of scalar parameters.</summary>
    public int ParameterCount => NamedParameters().Sum(p => p.Value.Length);

    /// <summary>Zeroes the gradient of every parameter.</summary>
    public void ZeroGrad()
    {
        foreach (var (_, p) in NamedParameters()) p.ZeroGrad();
    }

    /// <summary>Sets training mode on this module and its children (PyTorch's <c>train()</c>).</summary>
    public Module Train(bool training = true)
    {
        Training = training;
        foreach (var (_, c) in _children) c.Train(training);
        return this;
    }

    /// <summary>Sets evaluation mode (PyTorch's <c>eval()</c>).</summary>
    public Module Eval() => Train(false);

    /// <summary>The parameters by name (PyTorch's <c>state_dict()</c>); the tensors are the live parameters.</summary>
    public Dictionary<string, Tensor> StateDict() => NamedParameters().ToDictionary(p => p.Name, p => p.Value);

    /// <summary>
    /// Copies values into the parameters by name (PyTorch's <c>load_state_dict</c>). With <paramref name="strict"/>,
    /// a missing or unexpected name is an error; a shape mismatch always is, naming the tensor and both shapes.
    /// </summary>
    public void LoadStateDict(IReadOnlyDictionary<string, Tensor> state, bool strict = true)
    {
        ArgumentNullException.ThrowIfNull(state);
        var own = StateDict();
        // Every check runs before any parameter changes, so a failed load leaves the model as it was.
        if (strict)
        {
            var missing = own.Where(p => !state.ContainsKey(p.Key)).Select(p => $"{p.Key} {p.Value.ShapeString}").ToList();
            if (missing.Count > 0) throw new KeyNotFoundException($"LoadStateDict: missing tensor(s): {string.Join(", ", missing)}.");
            var extra = state.Keys.Where(k => !own.ContainsKey(k)).ToList();
            if (extra.Count > 0) throw new ArgumentException($"LoadStateDict: unexpected tensor(s): {string.Join(", ", extra)}.");
        }
        foreach (var (name, p) in own)
        {
            if (!state.TryGetValue(name, out var src)) continue;
            if (src is null) throw new ArgumentException($"LoadStateDict: tensor '{name}' is null.");
            if (!p.SameShape(src))
                throw new ArgumentException($"LoadStateDict: tensor '{name}' has shape {src.ShapeString}, expected {p.ShapeString}.");
        }
        foreach (var (name, p) in own)
            if (state.TryGetValue(name, out var src)) p.CopyFrom(src);
    }
}

/// <summary>A module with one input and one output, usable in <see cref="Sequential"/>.</summary>
public abstract class Layer : Module
{
    /// <summary>Applies the layer.</summary>
    public abstract Tensor Forward(Tensor input);
}
