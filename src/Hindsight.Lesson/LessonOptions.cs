using Hindsight.Settings;

namespace Hindsight.Lesson;

/// <summary>
/// Settings of the lesson (defaults are the seed's: 30 epochs, hidden 2, SGD lr 0.01, windows of 10, batches of 10 rows).
/// Help, range and default of each are declared here once; <c>hindsight lesson</c> builds its options from them.
/// </summary>
public sealed record LessonOptions
{
    /// <summary>How each row of the table is scaled before windows are cut (the seed divides by the row's mean).</summary>
    [Setting("Per-row scaling: mean (divide by the row's mean), none, standard")]
    public SeriesScaling Scale { get; init; } = SeriesScaling.Mean;
    /// <summary>Models to race, by name (see <see cref="LessonModels.Available"/>).</summary>
    [Setting("Models to race, comma-separated: fc,rnn,jordan,lstm,gru")]
    public IReadOnlyList<string> Models { get; init; } = ["fc", "rnn"];
    /// <summary>Passes over the rows (the seed's <c>n_epochs</c>).</summary>
    [Setting("Epochs (passes over the rows)", Min = 1, Max = SizeLimits.Epochs)]
    public int Epochs { get; init; } = 30;
    /// <summary>Hidden sizes; more than one runs the race once per size (a sweep).</summary>
    [Setting("Hidden size, or several comma-separated for a sweep (e.g. 2,4,8,16)", Min = 1, Max = SizeLimits.Hidden)]
    public IReadOnlyList<int> Hidden { get; init; } = [2];
    /// <summary>SGD learning rate.</summary>
    [Setting("SGD learning rate", Min = 0, MinExclusive = true)]
    public float LearningRate { get; init; } = 0.01f;
    /// <summary>Window length: x is this many values, y the same values one step later (the seed's <c>seq_length</c>).</summary>
    [Setting("Window length (x: this many values, y: the same one step later)", Min = 1, Max = SizeLimits.Length)]
    public int SeqLength { get; init; } = 10;
    /// <summary>Rows (series) per batch; the seed uses <c>batch_size = seq_length</c> for its DataLoader.</summary>
    [Setting("Rows (series) per batch", Min = 1, Max = SizeLimits.Batch)]
    public int BatchRows { get; init; } = 10;
    /// <summary>Number of runs per model, each with its own seed (<see cref="Seed"/> + run).</summary>
    [Setting("Runs per model with different seeds (mean and sd per epoch)", Min = 1, Max = SizeLimits.Seeds)]
    public int Seeds { get; init; } = 1;
    /// <summary>Seed of the first run.</summary>
    [Setting("Seed of the first run")]
    public ulong Seed { get; init; } = 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range (its <see cref="ArgumentException.ParamName"/>).</summary>
    public void Validate()
    {
        if (Models.Count == 0) throw new ArgumentException("models: none given; expected some of " + string.Join(",", LessonModels.Available) + ".", "models");
        foreach (var m in Models)
            if (!LessonModels.Available.Contains(m))
                throw new ArgumentException($"models: unknown model '{m}'; available: {string.Join(",", LessonModels.Available)}.", "models");
        if (Models.Distinct().Count() != Models.Count) throw new ArgumentException("models: a model is listed twice.", "models");
        if (Hidden.Count == 0) throw new ArgumentException("hidden: no sizes given.", "hidden");
        SettingTable.Check(this);
    }
}
