namespace Hindsight.Lesson;

/// <summary>Settings of the lesson (defaults are the seed's: 30 epochs, hidden 2, SGD lr 0.01, windows of 10, batches of 10 rows).</summary>
public sealed record LessonOptions
{
    /// <summary>Models to race, by name (see <see cref="LessonModels.Available"/>).</summary>
    public IReadOnlyList<string> Models { get; init; } = ["fc", "rnn"];
    /// <summary>Passes over the rows (the seed's <c>n_epochs</c>).</summary>
    public int Epochs { get; init; } = 30;
    /// <summary>Hidden sizes; more than one runs the race once per size (a sweep).</summary>
    public IReadOnlyList<int> Hidden { get; init; } = [2];
    /// <summary>SGD learning rate.</summary>
    public float LearningRate { get; init; } = 0.01f;
    /// <summary>Window length: x is this many values, y the same values one step later (the seed's <c>seq_length</c>).</summary>
    public int SeqLength { get; init; } = 10;
    /// <summary>Rows (series) per batch; the seed uses <c>batch_size = seq_length</c> for its DataLoader.</summary>
    public int BatchRows { get; init; } = 10;
    /// <summary>Number of runs per model, each with its own seed (<see cref="Seed"/> + run).</summary>
    public int Seeds { get; init; } = 1;
    /// <summary>Seed of the first run.</summary>
    public ulong Seed { get; init; } = 0;

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting out of range.</summary>
    public void Validate()
    {
        if (Models.Count == 0) throw new ArgumentException("no models given; expected some of " + string.Join(",", LessonModels.Available) + ".");
        foreach (var m in Models)
            if (!LessonModels.Available.Contains(m))
                throw new ArgumentException($"unknown model '{m}'; available: {string.Join(",", LessonModels.Available)}.");
        if (Models.Distinct().Count() != Models.Count) throw new ArgumentException("a model is listed twice in --models.");
        if (Epochs <= 0) throw new ArgumentException($"--epochs must be positive, got {Epochs}.");
        if (Hidden.Count == 0 || Hidden.Any(h => h <= 0)) throw new ArgumentException($"--hidden must be positive sizes, got '{string.Join(",", Hidden)}'.");
        if (!(LearningRate > 0) || !float.IsFinite(LearningRate)) throw new ArgumentException($"--lr must be a positive number, got {LearningRate}.");
        if (SeqLength <= 0) throw new ArgumentException($"--seq-length must be positive, got {SeqLength}.");
        if (BatchRows <= 0) throw new ArgumentException($"--batch-rows must be positive, got {BatchRows}.");
        if (Seeds <= 0) throw new ArgumentException($"--seeds must be positive, got {Seeds}.");
    }
}
