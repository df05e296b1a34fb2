using System.Text.Json;
using Hindsight.Data;
using Hindsight.Lesson;

namespace Hindsight.Cli.Live;

/// <summary>
/// What the live page shows, as training goes: every run's loss per epoch so far, and per (model, hidden size) the
/// latest epoch's first batch and first-layer weight; at the end the same summary <c>--json</c> prints. Written by the
/// training thread, read by server threads; serialized at most once per change and, while training, at most once per
/// minimum interval however many pages poll (<see cref="Json"/>).
/// </summary>
internal sealed class LiveState
{
    private sealed class Race(string model, int hidden, int seeds)
    {
        public string Model { get; } = model;
        public int Hidden { get; } = hidden;
        public List<double>[] Losses { get; } = Enumerable.Range(0, seeds).Select(_ => new List<double>()).ToArray();
        public LessonEpoch? Latest { get; set; }
    }

    private readonly object _gate = new();
    private readonly string _data;
    private readonly int _rows, _periods;
    private readonly SeriesScaling _scaling;
    private readonly LessonOptions _options;
    private readonly List<Race> _races = [];
    private string _status = "training";
    private string? _error;
    private object? _summary;
    private long _version = 1;
    private long _jsonVersion;
    private byte[] _json = [];
    private readonly TimeSpan _minInterval;
    private long _jsonStamp;

    /// <param name="minInterval">While training, <see cref="Json"/> re-serializes at most this often (default 250 ms); a finished or failed state is always current.</param>
    public LiveState(string data, int rows, int periods, SeriesScaling scaling, LessonOptions options, TimeSpan? minInterval = null)
    {
        (_data, _rows, _periods, _scaling, _options) = (data, rows, periods, scaling, options);
        _minInterval = minInterval ?? TimeSpan.FromMilliseconds(250);
        foreach (int h in options.Hidden)
            foreach (var m in options.Models)
                _races.Add(new Race(m, h, options.Seeds));
    }

    /// <summary>Changes with every update; the page asks <c>/state.json?since=V</c> and gets 204 while it is still V.</summary>
    public long Version { get { lock (_gate) return _version; } }

    /// <summary>Records one finished epoch (the experiment's <c>epochEnd</c> callback).</summary>
    public void Add(LessonEpoch e)
    {
        lock (_gate)
        {
            var race = _races.FirstOrDefault(r => r.Model == e.Model && r.Hidden == e.Hidden)
                ?? throw new InvalidOperationException($"live view: epoch of unexpected model '{e.Model}' (hidden {e.Hidden}).");
            var losses = race.Losses[e.Run];
            if (losses.Count != e.Epoch - 1) throw new InvalidOperationException($"live view: epoch {e.Epoch} of '{e.Model}' run {e.Run} after {losses.Count} epochs.");
            losses.Add(e.Loss);
            race.Latest = e;
            _version++;
        }
    }

    /// <summary>Training ended; <paramref name="summary"/> is the object <c>--json</c> prints.</summary>
    public void Finish(object summary)
    {
        lock (_gate) { _status = "done"; _summary = summary; _version++; }
    }

    /// <summary>Training stopped with an error (shown on the page).</summary>
    public void Fail(string message)
    {
        lock (_gate) { _status = "failed"; _error = message; _version++; }
    }

    /// <summary>
    /// The state as UTF-8 JSON (camelCase, as <c>--json</c>), re-serialized only when it changed, and during training
    /// not within the minimum interval of the last serialization (it may then lag by up to that interval).
    /// </summary>
    public byte[] Json()
    {
        lock (_gate)
        {
            if (_jsonVersion == _version) return _json;
            if (_jsonVersion != 0 && _status == "training" && System.Diagnostics.Stopwatch.GetElapsedTime(_jsonStamp) < _minInterval) return _json;
            var o = _options;
            _json = JsonSerializer.SerializeToUtf8Bytes(new LiveStateJson(
                Version: _version,
                Status: _status,
                Error: _error,
                Data: _data,
                Rows: _rows,
                Periods: _periods,
                Scale: _scaling.ToString().ToLowerInvariant(),
                Settings: new LessonSettingsJson(o.Models, o.Hidden, o.Epochs, o.LearningRate, o.SeqLength, o.BatchRows, o.Seeds, o.Seed),
                Races: _races.Select(r => new LiveRaceJson(
                    r.Model,
                    r.Hidden,
                    r.Losses,
                    r.Latest is not { } e ? null : new LiveEpochJson(
                        e.Run, e.Seed, e.Epoch, e.Loss, e.Rows, e.Snapshot.Outputs, e.Snapshot.Labels, e.Snapshot.Inputs,
                        e.WeightName, e.Weight, e.WeightShape))).ToArray(),
                Summary: _summary), JsonOut.Options);
            _jsonVersion = _version;
            _jsonStamp = System.Diagnostics.Stopwatch.GetTimestamp();
            return _json;
        }
    }
}
