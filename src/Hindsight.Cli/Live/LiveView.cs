using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Hindsight.Cli.Live;

/// <summary>
/// <c>hindsight lesson --live</c>: a <see cref="LiveServer"/> on 127.0.0.1 serving the page (<c>/</c>) and the growing
/// <see cref="LiveState"/> (<c>/state.json</c>). The page polls, so a fast run cannot flood the browser: it gets at
/// most one state per poll, and a 204 when nothing changed.
/// </summary>
internal sealed class LiveView : IDisposable
{
    private static readonly Lazy<byte[]> PageBytes = new(LoadPage);
    private readonly LiveServer _server;
    private volatile LiveState? _state;

    /// <summary>What the page shows (null until <see cref="Show"/>: <c>/state.json</c> answers 503).</summary>
    public LiveState? State => _state;

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address => _server.Address;

    /// <summary>The bound port.</summary>
    public int Port => _server.Port;

    private LiveView(int port) => _server = LiveServer.Start(port, Map, NotFound);

    /// <summary>Serves on 127.0.0.1:<paramref name="port"/> (0: a free port), nothing to show yet.</summary>
    /// <exception cref="IOException">The port is taken.</exception>
    public static LiveView Start(int port) => new(port);

    /// <summary>
    /// The command line's live options: <c>--live [PORT]</c>, <c>--port PORT</c>, <c>--live-exit</c>. Starts the
    /// server and prints <c>live view: http://127.0.0.1:PORT/</c> on <paramref name="stderr"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Inconsistent options, a port out of range, or the port is taken.</exception>
    public static LiveView Start(bool live, int? livePort, int? port, bool liveExit, TextWriter stderr)
    {
        if (!live) throw new ArgumentException(port is not null ? "--port needs --live (or use --live PORT)." : "--live-exit needs --live.");
        if (livePort is not null && port is not null && livePort != port) throw new ArgumentException($"--live {livePort} and --port {port} disagree; give the port once.");
        int p = livePort ?? port ?? 0;
        if (p is < 0 or > 65535) throw new ArgumentException($"--live: port {p} is out of range; expected 1..65535, or 0 or none for a free port.");
        LiveView view;
        try { view = new LiveView(p); }
        catch (IOException ex)
        {
            throw new ArgumentException($"--live: cannot listen on 127.0.0.1:{p}: {ex.Message}; pick another port or leave it out for a free one.", ex);
        }
        stderr.WriteLine($"live view: {view.Address}");
        stderr.Flush();
        return view;
    }

    /// <summary>Starts showing <paramref name="state"/>.</summary>
    public void Show(LiveState state) => _state = state;

    /// <summary>Records one finished epoch (pass as the experiment's <c>epochEnd</c>).</summary>
    public void Add(Hindsight.Lesson.LessonEpoch e) => (_state ?? throw new InvalidOperationException("live view: Add before Show.")).Add(e);

    /// <summary>Training ended with <paramref name="summary"/> (the <c>--json</c> object).</summary>
    public void Finish(object summary) => _state?.Finish(summary);

    /// <summary>Training failed with <paramref name="message"/>.</summary>
    public void Fail(string message) => _state?.Fail(message);

    /// <summary>The page: one self-contained HTML file (inline style and script, nothing fetched but <c>/state.json</c>).</summary>
    public static byte[] Page => PageBytes.Value;

    private static readonly string[] GetOrHead = [HttpMethods.Get, HttpMethods.Head];

    private void Map(IEndpointRouteBuilder routes)
    {
        routes.MapMethods("/", GetOrHead, (HttpContext c) => PageResponse.WriteTo(c));
        routes.MapMethods("/index.html", GetOrHead, (HttpContext c) => PageResponse.WriteTo(c));
        routes.MapMethods("/state.json", GetOrHead, (HttpContext c) => StateResponse(c.Request.Query["since"]).WriteTo(c));
        routes.MapMethods("/favicon.ico", GetOrHead, (HttpContext c) => new LiveResponse(204, "image/x-icon", []).WriteTo(c));
    }

    private static LiveResponse PageResponse => new(200, "text/html; charset=utf-8", Page);

    private static LiveResponse NotFound(string path) => LiveResponse.Text(404, $"not found: {path} (the live view serves / and /state.json)");

    private LiveResponse StateResponse(string? sinceText)
    {
        var state = _state;
        if (state is null) return new LiveResponse(503, "application/json; charset=utf-8", "{\"status\":\"starting\"}"u8.ToArray());
        long since = 0;
        if (sinceText is not null) long.TryParse(sinceText, NumberStyles.Integer, CultureInfo.InvariantCulture, out since);
        return since != 0 && since == state.Version
            ? new LiveResponse(204, "application/json", [])
            : new LiveResponse(200, "application/json; charset=utf-8", state.Json());
    }

    /// <summary>Blocks until Ctrl+C (SIGINT) or SIGTERM, then returns normally so the caller can exit 0.</summary>
    public static void WaitForStop()
    {
        using var stop = new ManualResetEventSlim();
        void Handler(System.Runtime.InteropServices.PosixSignalContext c) { c.Cancel = true; stop.Set(); }
        using var sigint = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGINT, Handler);
        using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, Handler);
        stop.Wait();
    }

    private static byte[] LoadPage()
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream("Hindsight.Cli.Live.page.html")
            ?? throw new InvalidOperationException("the live page resource Hindsight.Cli.Live.page.html is missing from the build.");
        using var m = new MemoryStream();
        s.CopyTo(m);
        return m.ToArray();
    }

    public void Dispose() => _server.Dispose();
}
