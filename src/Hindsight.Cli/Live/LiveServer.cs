using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Hindsight.Cli.Live;

/// <summary>One HTTP response: status, content type, body (written with <c>Connection: close</c>).</summary>
internal sealed record LiveResponse(int Status, string ContentType, byte[] Body)
{
    public static LiveResponse Text(int status, string text) => new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text + "\n"));
}

/// <summary>
/// A minimal HTTP/1.1 server bound to 127.0.0.1 only: GET and HEAD, one request per connection, responses built by a
/// handler from (path, query). Enough for a page and a JSON endpoint on the local machine, with nothing but the BCL.
/// Requests whose Host is not this loopback address are refused (403), so a web page elsewhere cannot read the
/// state through DNS rebinding.
/// </summary>
internal sealed class LiveServer : IDisposable
{
    private const int MaxHeaderBytes = 16 * 1024;
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(5);

    private readonly TcpListener _listener;
    private readonly Func<string, string, LiveResponse> _handle;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private int _disposed;

    /// <summary>The port actually bound (the free one picked when 0 was asked for).</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}/");

    private LiveServer(TcpListener listener, Func<string, string, LiveResponse> handle)
    {
        _listener = listener;
        _handle = handle;
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        _accepting = Task.Run(AcceptLoop);
    }

    /// <summary>Listens on 127.0.0.1:<paramref name="port"/> (0: a free port) and serves <paramref name="handle"/>(path, query) on background tasks.</summary>
    /// <exception cref="SocketException">The port is taken or not allowed.</exception>
    public static LiveServer Start(int port, Func<string, string, LiveResponse> handle)
    {
        if (port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "a TCP port is 0..65535.");
        var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Server.ExclusiveAddressUse = true;
        listener.Start();
        return new LiveServer(listener, handle);
    }

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException) when (_stop.IsCancellationRequested) { return; }
            catch (SocketException) { continue; } // one failed accept (client reset) must not stop the server
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using var _ = client;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
            timeout.CancelAfter(RequestTimeout);
            var stream = client.GetStream();
            string? head = await ReadHead(stream, timeout.Token).ConfigureAwait(false);
            LiveResponse response;
            bool headOnly = false;
            if (head is null) response = LiveResponse.Text(400, "bad request: headers incomplete or over 16 KiB");
            else
            {
                var lines = head.Split("\r\n");
                var parts = lines[0].Split(' ');
                string? host = lines.Skip(1).Select(l => l.Split(':', 2)).Where(kv => kv.Length == 2 && kv[0].Trim().Equals("host", StringComparison.OrdinalIgnoreCase))
                    .Select(kv => kv[1].Trim()).FirstOrDefault();
                if (parts.Length != 3 || !parts[2].StartsWith("HTTP/1.", StringComparison.Ordinal)) response = LiveResponse.Text(400, "bad request line");
                else if (parts[0] is not ("GET" or "HEAD")) response = LiveResponse.Text(405, "only GET and HEAD are served");
                else if (host is not null && host != $"127.0.0.1:{Port}" && host != $"localhost:{Port}") response = LiveResponse.Text(403, $"host '{host}' refused; open {Address}");
                else
                {
                    headOnly = parts[0] == "HEAD";
                    string target = parts[1];
                    int q = target.IndexOf('?');
                    response = _handle(q < 0 ? target : target[..q], q < 0 ? "" : target[(q + 1)..]);
                }
            }
            await Write(stream, response, headOnly, timeout.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser went away or was too slow: nothing to answer.
        }
    }

    /// <summary>Reads up to the blank line after the headers; null if the connection closes first or the headers are too long.</summary>
    private static async Task<string?> ReadHead(NetworkStream stream, CancellationToken token)
    {
        var buffer = new byte[MaxHeaderBytes];
        int filled = 0;
        while (filled < buffer.Length)
        {
            int n = await stream.ReadAsync(buffer.AsMemory(filled), token).ConfigureAwait(false);
            if (n == 0) return null;
            int from = Math.Max(0, filled - 3);
            filled += n;
            int end = buffer.AsSpan(from, filled - from).IndexOf("\r\n\r\n"u8);
            if (end >= 0) return Encoding.ASCII.GetString(buffer, 0, from + end);
        }
        return null;
    }

    private static async Task Write(NetworkStream stream, LiveResponse r, bool headOnly, CancellationToken token)
    {
        string reason = r.Status switch { 200 => "OK", 204 => "No Content", 400 => "Bad Request", 403 => "Forbidden", 404 => "Not Found", 405 => "Method Not Allowed", 503 => "Service Unavailable", _ => "Status" };
        var head = new StringBuilder()
            .Append("HTTP/1.1 ").Append(r.Status).Append(' ').Append(reason).Append("\r\n")
            .Append("Content-Type: ").Append(r.ContentType).Append("\r\n")
            .Append("Content-Length: ").Append(r.Status == 204 ? 0 : r.Body.Length).Append("\r\n")
            .Append("Cache-Control: no-store\r\n")
            .Append("X-Content-Type-Options: nosniff\r\n")
            // The page may load nothing from anywhere but this server: it works offline and leaks nothing.
            .Append("Content-Security-Policy: default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:\r\n")
            .Append("Connection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), token).ConfigureAwait(false);
        if (!headOnly && r.Status != 204) await stream.WriteAsync(r.Body, token).ConfigureAwait(false);
        await stream.FlushAsync(token).ConfigureAwait(false);
    }

    /// <summary>Stops listening; requests in flight end on their own within the request timeout.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        _stop.Cancel();
        _listener.Stop();
        try { _accepting.Wait(TimeSpan.FromSeconds(2)); } catch (AggregateException) { }
        _stop.Dispose();
    }
}
