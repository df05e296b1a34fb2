using System.Text.Json;
using Hindsight.Layers;
using Hindsight.Optimizers;
using Hindsight.Tests.Support;
using Xunit.Abstractions;

namespace Hindsight.Tests.Engine;

/// <summary>
/// Every optimizer configuration against PyTorch (tests/fixtures/engine_optimizers.safetensors): Linear(5,8)-Tanh-Linear(8,3)
/// from PyTorch's initial weights, trained 10 full-batch steps with MSE; the loss of each step and the final parameters.
/// Also clip_grad_norm_ on its own (returned total norm and clipped gradients).
/// </summary>
public class OptimizerParityTests(ITestOutputHelper output)
{
    private const string File = "engine_optimizers";

    public static TheoryData<string> CaseNames => ParityFixture.CaseNames(File);
    public static TheoryData<string> ClipCaseNames => ParityFixture.CaseNames(File, "clip_cases");

    private static Sequential Model(ParityFixture f)
    {
        var model = new Sequential(new Linear(5, 8), new Tanh(), new Linear(8, 3));
        model.LoadStateDict(f.Group("init/"));
        return model;
    }

    /// <summary>The optimizer described by the fixture's JSON (the arguments of tools/reference/engine_fixtures.py make_optimizer).</summary>
    private static Optimizer Create(IEnumerable<Tensor> parameters, JsonElement cfg)
    {
        float Get(string key, float fallback) => cfg.TryGetProperty(key, out var v) ? v.GetSingle() : fallback;
        bool Flag(string key) => cfg.TryGetProperty(key, out var v) && v.GetBoolean();
        float lr = Get("lr", float.NaN);
        string type = cfg.GetProperty("type").GetString()!;
        (float b1, float b2) = cfg.TryGetProperty("betas", out var betas) ? (betas[0].GetSingle(), betas[1].GetSingle()) : (0.9f, 0.999f);
        return type switch
        {
            "sgd" => new Sgd(parameters, lr, Get("momentum", 0f), Get("dampening", 0f), Get("weight_decay", 0f), Flag("nesterov")),
            "adam" => new Adam(parameters, lr, b1, b2, Get("eps", 1e-8f), Get("weight_decay", 0f), Flag("amsgrad")),
            "adamw" => new AdamW(parameters, lr, b1, b2, Get("eps", 1e-8f), Get("weight_decay", 0.01f), Flag("amsgrad")),
            "rmsprop" => new RmsProp(parameters, lr, Get("alpha", 0.99f), Get("eps", 1e-8f), Get("weight_decay", 0f), Get("momentum", 0f), Flag("centered")),
            _ => throw new ArgumentException($"unknown optimizer type '{type}'"),
        };
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public void TenStepsMatchPyTorch(string name)
    {
        var f = new ParityFixture(File);
        Tape.Clear();
        using var cfgDoc = JsonDocument.Parse(f.Meta(name));
        var cfg = cfgDoc.RootElement;
        output.WriteLine($"{name}: {f.Meta(name)}");
        var model = Model(f);
        var optimizer = Create(model.Parameters(), cfg);
        float? clip = cfg.TryGetProperty("clip", out var c) ? c.GetSingle() : null;
        Tensor x = f.Get("data/x"), target = f.Get("data/y");

        var losses = new float[10];
        for (int step = 0; step < losses.Length; step++)
        {
            optimizer.ZeroGrad();
            var loss = Ops.MseLoss(model.Forward(x), target);
            loss.Backward();
            if (clip is float maxNorm) GradClip.ClipGradNorm(model.Parameters(), maxNorm);
            optimizer.Step();
            losses[step] = loss.Item();
        }
        var expectedLosses = f.Get($"{name}/losses");
        Assert.True(expectedLosses.Data[^1] < expectedLosses.Data[0], "the PyTorch run should make progress");
        Compare.Close(expectedLosses, losses, $"{name} losses", output);
        foreach (var (pName, p) in model.NamedParameters())
            Compare.Close(f.Get($"{name}/final/{pName}"), p, $"{name} final {pName}", output);
    }

    [Theory]
    [MemberData(nameof(ClipCaseNames))]
    public void ClipGradNormMatchesPyTorch(string name)
    {
        var f = new ParityFixture(File);
        Tape.Clear();
        using var cfg = JsonDocument.Parse(f.Meta(name));
        float maxNorm = cfg.RootElement.GetProperty("max_norm").GetSingle();
        var model = Model(f);
        Ops.MseLoss(model.Forward(f.Get("data/x")), f.Get("data/y")).Backward();
        foreach (var (pName, p) in model.NamedParameters())
            Compare.Close(f.Get($"{name}/grad/{pName}"), p.Grad!, $"{name} grad {pName}", output);

        float total = GradClip.ClipGradNorm(model.Parameters(), maxNorm);
        Compare.Close(f.Get($"{name}/total_norm"), [total], $"{name} total norm", output);
        foreach (var (pName, p) in model.NamedParameters())
            Compare.Close(f.Get($"{name}/clipped/{pName}"), p.Grad!, $"{name} clipped {pName}", output);
    }
}
