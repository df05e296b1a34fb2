using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Hindsight.Cli.Commands;
using Hindsight.Cli.Live;
using Hindsight.Data;
using Hindsight.Forecasting.Data;
using Hindsight.Lesson;
using Hindsight.Tests.Lesson;

namespace Hindsight.Tests.Live;

public class LiveViewTests
{
    private static readonly LessonOptions Tiny = new() { Models = ["fc", "rnn"], Epochs = 3, Seeds = 2, Seed = 5, SeqLength = 5, BatchRows = 4 };

    private static HttpClient Client(LiveView view) => new() { BaseAddress = view.Address, Timeout = TimeSpan.FromSeconds(10) };

    // Synchronous HTTP (HttpClient.Send): the state is also fetched from inside the training callback.
    private static HttpResponseMessage Get(HttpClient http, string path) => http.Send(new HttpRequestMessage(HttpMethod.Get, path));

    private static string Body(HttpResponseMessage response) => new StreamReader(response.Content.ReadAsStream()).ReadToEnd();

    private static JsonElement GetState(HttpClient http)
    {
        using var response = Get(http, "state.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        return JsonDocument.Parse(Body(response)).RootElement.Clone();
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();
    private static float[] Floats(JsonElement array) => array.EnumerateArray().Select(e => e.GetSingle()).ToArray();

    [Fact]
    public void StateGrowsPerEpochHoldsEveryModelAndEpochAndMatchesTheRunWithoutLive()
    {
        using var files = new LessonFiles();
        var table = WideSeries.Load(files.WriteSeries("s.csv", 9, 16));
        var plain = LessonExperiment.Run(table, SeriesScaling.Mean, Tiny);

        using var view = LiveView.Start(0);
        view.Show(new LiveState(table.Source, table.Rows, table.PeriodCount, SeriesScaling.Mean, Tiny, minInterval: TimeSpan.Zero));
        using var http = Client(view);
        int seen = 0;
        JsonElement? midway = null;
        var watched = LessonExperiment.Run(table, SeriesScaling.Mean, Tiny, null, e =>
        {
            view.Add(e);
            seen++;
            if (e.Model == "rnn" && e.Run == 0 && e.Epoch == 2) midway = GetState(http); // fetched while training
        });
        view.Finish(new { done = true });

        Assert.Equal(2 * 2 * 3, seen); // models x seeds x epochs
        // Watching changes no number.
        for (int i = 0; i < plain.Races.Count; i++)
        {
            Assert.Equal(plain.Races[i].EpochLosses, watched.Races[i].EpochLosses);
            Assert.Equal(plain.Races[i].Snapshots.Select(s => s.Outputs), watched.Races[i].Snapshots.Select(s => s.Outputs));
        }

        var mid = midway!.Value;
        Assert.Equal("training", mid.GetProperty("status").GetString());
        var midRnn = mid.GetProperty("races")[1];
        Assert.Equal("rnn", midRnn.GetProperty("name").GetString());
        Assert.Equal(2, midRnn.GetProperty("losses")[0].GetArrayLength());  // two epochs of run 0 so far
        Assert.Equal(0, midRnn.GetProperty("losses")[1].GetArrayLength());  // run 1 not started
        Assert.Equal(3, mid.GetProperty("races")[0].GetProperty("losses")[1].GetArrayLength()); // fc finished before

        var state = GetState(http);
        Assert.Equal("done", state.GetProperty("status").GetString());
        Assert.True(state.GetProperty("summary").GetProperty("done").GetBoolean());
        var races = state.GetProperty("races");
        Assert.Equal(plain.Races.Count, races.GetArrayLength());
        for (int i = 0; i < plain.Races.Count; i++)
        {
            var race = races[i];
            var expected = plain.Races[i];
            Assert.Equal(expected.Model, race.GetProperty("name").GetString());
            Assert.Equal(expected.Hidden, race.GetProperty("hidden").GetInt32());
            var losses = race.GetProperty("losses");
            Assert.Equal(Tiny.Seeds, losses.GetArrayLength());
            for (int run = 0; run < Tiny.Seeds; run++)
                Assert.Equal(expected.EpochLosses[run], Doubles(losses[run])); // every epoch, exactly (JSON doubles round-trip)
            var latest = race.GetProperty("latest");
            Assert.Equal(Tiny.Seeds - 1, latest.GetProperty("run").GetInt32());
            Assert.Equal(Tiny.Epochs, latest.GetProperty("epoch").GetInt32());
            Assert.Equal(4, latest.GetProperty("rows").GetInt32());
            Assert.Equal(4 * Tiny.SeqLength, latest.GetProperty("outputs").GetArrayLength());
            Assert.Equal(expected.FirstWeightName, latest.GetProperty("weightName").GetString());
            Assert.Equal(expected.InitialWeightShape, latest.GetProperty("weightShape").EnumerateArray().Select(e => e.GetInt32()));
            Assert.NotEqual(expected.InitialWeight, Floats(latest.GetProperty("weight"))); // trained, not the initial weights
        }
    }

    [Fact]
    public void LatestSnapshotIsTheLastEpochsFirstBatch()
    {
        using var files = new LessonFiles();
        var table = WideSeries.Load(files.WriteSeries("s.csv", 9, 16));
        var options = Tiny with { Seeds = 1, Models = ["gru"] };
        using var view = LiveView.Start(0);
        view.Show(new LiveState(table.Source, table.Rows, table.PeriodCount, SeriesScaling.Mean, options));
        var result = LessonExperiment.Run(table, SeriesScaling.Mean, options, null, view.Add);
        using var http = Client(view);
        var latest = GetState(http).GetProperty("races")[0].GetProperty("latest");
        var last = result.Races[0].Snapshots[^1];
        Assert.Equal(last.Outputs, Floats(latest.GetProperty("outputs")));
        Assert.Equal(last.Labels, Floats(latest.GetProperty("labels")));
        Assert.Equal(last.Inputs, Floats(latest.GetProperty("inputs")));
    }

    [Fact]
    public void PageIsSelfContainedHtml()
    {
        using var view = LiveView.Start(0);
        using var http = Client(view);
        using var response = Get(http, "/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType!.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType.CharSet);
        Assert.Contains("default-src 'none'", string.Join(" ", response.Headers.GetValues("Content-Security-Policy")));
        string html = Body(response);
        Assert.StartsWith("<!DOCTYPE html>", html);
        Assert.Contains("state.json", html);
        Assert.Contains("<canvas", html);
        // Nothing fetched from elsewhere: no absolute or protocol-relative URL, no external script/style/image.
        foreach (var banned in new[] { "http:", "https:", "src=", "href=", "@import", "url(", "\"//", "'//" })
            Assert.DoesNotContain(banned, html, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void BoundToLoopbackOnly()
    {
        using var view = LiveView.Start(0);
        Assert.Equal("127.0.0.1", view.Address.Host);
        var addresses = NetworkInterface.GetAllNetworkInterfaces()
            .Where(n => n.OperationalStatus == OperationalStatus.Up)
            .SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address)
            .Where(a => a.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(a)).ToList();
        using (var loop = new TcpClient()) loop.Connect(IPAddress.Loopback, view.Port); // reachable on loopback
        foreach (var address in addresses)
        {
            using var other = new TcpClient();
            var error = Assert.Throws<SocketException>(() => other.Connect(address, view.Port));
            Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
        }
    }

    [Fact]
    public void UnchangedStateIsA204AndOtherRequestsAreRefused()
    {
        using var view = LiveView.Start(0);
        using var http = Client(view);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, Get(http, "state.json").StatusCode); // nothing shown yet
        view.Show(new LiveState("d.csv", 1, 20, SeriesScaling.Mean, Tiny));
        long version = GetState(http).GetProperty("version").GetInt64();
        Assert.Equal(HttpStatusCode.NoContent, Get(http, $"state.json?since={version}").StatusCode);
        view.Fail("diverged");
        var failed = GetState(http);
        Assert.Equal("failed", failed.GetProperty("status").GetString());
        Assert.Equal("diverged", failed.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.OK, Get(http, $"state.json?since={version}").StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, Get(http, "secret").StatusCode);
        Assert.Equal(HttpStatusCode.MethodNotAllowed, http.Send(new HttpRequestMessage(HttpMethod.Post, "state.json") { Content = new StringContent("x") }).StatusCode);
        // Raw garbage gets a 400, and the server keeps serving.
        using (var raw = new TcpClient())
        {
            raw.Connect(IPAddress.Loopback, view.Port);
            var s = raw.GetStream();
            s.Write("NONSENSE\r\n\r\n"u8);
            var reply = new StreamReader(s, Encoding.ASCII).ReadLine();
            Assert.Equal("HTTP/1.1 400 Bad Request", reply);
        }
        Assert.Equal(HttpStatusCode.OK, Get(http, "/").StatusCode);
    }

    [Fact]
    public void HostFilteringRefusesForeignHostsAndServesLoopbackNames()
    {
        using var view = LiveView.Start(0);
        view.Show(new LiveState("d.csv", 1, 20, SeriesScaling.Mean, Tiny));
        using var http = Client(view);
        HttpStatusCode StatusWithHost(string path, string host)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.Host = host;
            using var response = http.Send(request);
            return response.StatusCode;
        }
        // DNS rebinding: a page on attacker.example whose name now resolves to 127.0.0.1 sends its own Host.
        foreach (var foreign in new[] { $"attacker.example:{view.Port}", "attacker.example", $"192.168.1.2:{view.Port}", $"127.0.0.1.attacker.example:{view.Port}" })
            foreach (var path in new[] { "state.json", "/" })
                Assert.Equal(HttpStatusCode.BadRequest, StatusWithHost(path, foreign));
        foreach (var loopback in new[] { $"127.0.0.1:{view.Port}", $"localhost:{view.Port}", "localhost", "LOCALHOST" })
            Assert.Equal(HttpStatusCode.OK, StatusWithHost("state.json", loopback));
    }

    [Fact]
    public void SerializationIsThrottledWhileTrainingAndCurrentOnceDone()
    {
        var options = Tiny with { Models = ["fc"], Seeds = 1 };
        var state = new LiveState("d.csv", 4, 20, SeriesScaling.Mean, options, minInterval: TimeSpan.FromHours(1));
        LessonEpoch Epoch(int epoch) => new("fc", 2, 0, 5, epoch, 3, 0.5 / epoch, new BatchSnapshot(epoch, new float[20], new float[20], new float[20]), 4,
            "linear_with_tanh.0.weight", new float[10], [2, 5]);
        string Losses() => JsonDocument.Parse(state.Json()).RootElement.GetProperty("races")[0].GetProperty("losses")[0].GetRawText();
        state.Add(Epoch(1));
        Assert.Equal("[0.5]", Losses());
        state.Add(Epoch(2));
        Assert.Equal("[0.5]", Losses());                 // within the interval: the last serialization is reused
        Assert.Equal(3, state.Version);                  // though the state itself moved on
        state.Finish(new { done = true });
        Assert.Equal("[0.5,0.25]", Losses());            // finished: always current
        var late = Assert.Throws<InvalidOperationException>(() => state.Add(Epoch(2)));
        Assert.Contains("epoch 2 of 'fc' run 0 after 2 epochs", late.Message);
    }

    private static (int Code, string Out, string Err) RunCli(LessonArgs args)
    {
        var stdout = new StringWriter();
        var stderr = new StringWriter();
        int code = LessonCommand.Run(args, stdout, stderr, interactive: false);
        return (code, stdout.ToString(), stderr.ToString());
    }

    [Fact]
    public void CliLiveExitPrintsTheAddressAndTheSameNumbers()
    {
        using var files = new LessonFiles();
        var data = files.WriteSeries("s.csv", 9, 16);
        var args = new LessonArgs { Data = data, Models = "fc,rnn", Epochs = 3, Seeds = 2, Seed = 3, SeqLength = 5, BatchRows = 4, Json = true, Out = files.PathOf("plain") };
        var (code, plain, err) = RunCli(args);
        Assert.Equal(0, code);
        Assert.Equal("", err);
        var (liveCode, live, liveErr) = RunCli(args with { Out = files.PathOf("live"), Live = true, LiveExit = true });
        Assert.Equal(0, liveCode);
        Assert.Matches(@"^live view: http://127\.0\.0\.1:[1-9][0-9]*/\r?\n$", liveErr); // exactly one line on stderr
        int port = int.Parse(liveErr.Trim().Split(':')[^1].TrimEnd('/'), System.Globalization.CultureInfo.InvariantCulture);
        using (var doc = JsonDocument.Parse(live))
        using (var reference = JsonDocument.Parse(plain))
        {
            var models = doc.RootElement.GetProperty("models");
            var expected = reference.RootElement.GetProperty("models");
            Assert.Equal(expected.GetArrayLength(), models.GetArrayLength());
            for (int i = 0; i < models.GetArrayLength(); i++)
                foreach (var field in new[] { "epochMean", "epochSd", "finalLosses" })
                    Assert.Equal(Doubles(expected[i].GetProperty(field)), Doubles(models[i].GetProperty(field)));
        }
        // --live-exit: the server is gone once the command returns.
        using var probe = new TcpClient();
        Assert.Throws<SocketException>(() => probe.Connect(IPAddress.Loopback, port));
    }

    [Theory]
    [InlineData(new[] { "--live", "--epochs", "2" }, true, null)]
    [InlineData(new[] { "--epochs", "2", "--live" }, true, null)]
    [InlineData(new[] { "--live", "8080" }, true, 8080)]
    [InlineData(new[] { "--epochs", "2" }, false, null)]
    public void LiveTakesAnOptionalPort(string[] args, bool live, int? port)
    {
        var parse = LessonCommand.Create().Parse(args);
        Assert.Empty(parse.Errors);
        Assert.Equal(live, parse.GetResult("--live") is not null);
        Assert.Equal(port, parse.GetValue<int?>("--live"));
    }

    [Fact]
    public void CliRejectsBadLiveOptions()
    {
        using var files = new LessonFiles();
        var args = new LessonArgs { Data = files.WriteSeries("s.csv", 9, 16), Epochs = 1, SeqLength = 5, BatchRows = 4, Json = true, Out = files.PathOf("o") };
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        int busy = ((IPEndPoint)taken.LocalEndpoint).Port;
        foreach (var (bad, message) in new (LessonArgs, string)[]
        {
            (args with { Port = 8080 }, "--port needs --live"),
            (args with { LiveExit = true }, "--live-exit needs --live"),
            (args with { Live = true, LivePort = 70000 }, "out of range"),
            (args with { Live = true, LivePort = 8080, Port = 8081 }, "disagree"),
            (args with { Live = true, LivePort = busy, LiveExit = true }, $"cannot listen on 127.0.0.1:{busy}"),
        })
        {
            var (code, stdout, stderr) = RunCli(bad);
            Assert.Equal(2, code);
            Assert.Equal("", stdout);
            Assert.StartsWith("error: ", stderr);
            Assert.Contains(message, stderr);
        }
        Assert.False(Directory.Exists(files.PathOf("o"))); // nothing written on bad options
    }
}
