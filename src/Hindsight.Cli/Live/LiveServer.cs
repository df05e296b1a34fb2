using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Hindsight.Cli.Live;

/// <summary>One HTTP response: status, content type, body.</summary>
internal sealed record LiveResponse(int Status, string ContentType, byte[] Body)
{
    public static LiveResponse Text(int status, string text) => new(status, "text/plain; charset=utf-8", Encoding.UTF8.GetBytes(text + "\n"));

    /// <summary>Writes this response (no body for HEAD or 204).</summary>
    public Task WriteTo(HttpContext context)
    {
        var response = context.Response;
        response.StatusCode = Status;
        response.ContentType = ContentType;
        if (Status == StatusCodes.Status204NoContent) return Task.CompletedTask;
        response.ContentLength = Body.Length;
        return HttpMethods.IsHead(context.Request.Method) ? Task.CompletedTask : response.Body.WriteAsync(Body, context.RequestAborted).AsTask();
    }
}

/// <summary>
/// The live view's web server: Kestrel (ASP.NET Core minimal API) bound to 127.0.0.1 only, serving GET and HEAD on the
/// routes a caller maps. Host filtering admits only <c>127.0.0.1</c> and <c>localhost</c> as the request's Host, so a
/// web page elsewhere cannot read the state through DNS rebinding (a foreign Host gets 400). No logging providers: the
/// console stays the command's own, and Ctrl+C stays the command's (no console lifetime).
/// </summary>
internal sealed class LiveServer : IDisposable
{
    private readonly WebApplication _app;
    private int _disposed;

    /// <summary>The port actually bound (the free one picked when 0 was asked for).</summary>
    public int Port { get; }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public Uri Address => new($"http://127.0.0.1:{Port}/");

    private LiveServer(WebApplication app, int port) => (_app, Port) = (app, port);

    /// <summary>
    /// Listens on 127.0.0.1:<paramref name="port"/> (0: a free port) and serves the routes <paramref name="map"/> adds;
    /// any other path is <paramref name="notFound"/>'s answer, any method but GET and HEAD a 405.
    /// </summary>
    /// <exception cref="IOException">The port is taken or not allowed.</exception>
    public static LiveServer Start(int port, Action<IEndpointRouteBuilder> map, Func<string, LiveResponse> notFound)
    {
        if (port is < 0 or > 65535) throw new ArgumentOutOfRangeException(nameof(port), port, "a TCP port is 0..65535.");
        // The empty builder: no configuration files, no environment variables, no logging providers (so nothing is
        // printed on the console), only what is added here.
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(k =>
        {
            k.AddServerHeader = false;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.Limits.MaxRequestBodySize = 64 * 1024;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(5);
            k.Listen(IPAddress.Loopback, port);
        });
        builder.Services.AddRoutingCore();
        builder.Services.AddHostFiltering(o =>
        {
            o.AllowedHosts = ["127.0.0.1", "localhost"]; // compared without the port
            o.AllowEmptyHosts = true;                    // HTTP/1.0 without a Host header cannot be a rebinding attack
            o.IncludeFailureMessage = true;
        });
        // Ctrl+C and SIGTERM belong to the command (it decides when to stop), not to a console lifetime.
        builder.Services.AddSingleton<IHostLifetime, CommandLifetime>();
        var app = builder.Build();
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            headers.CacheControl = "no-store";
            headers.XContentTypeOptions = "nosniff";
            // The page may load nothing from anywhere but this server: it works offline and leaks nothing.
            headers.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:";
            return next(context);
        });
        app.UseHostFiltering();
        app.Use((context, next) => HttpMethods.IsGet(context.Request.Method) || HttpMethods.IsHead(context.Request.Method)
            ? next(context)
            : LiveResponse.Text(StatusCodes.Status405MethodNotAllowed, "only GET and HEAD are served").WriteTo(context));
        map(app);
        app.MapFallback("{**path}", (HttpContext context) => notFound(context.Request.Path.Value ?? "/").WriteTo(context));
        try { app.Start(); }
        catch
        {
            ((IDisposable)app).Dispose();
            throw;
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new LiveServer(app, new Uri(address).Port);
    }

    /// <summary>Stops listening, giving requests in flight up to 2 s to finish.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2)))
        {
            try { _app.StopAsync(timeout.Token).GetAwaiter().GetResult(); }
            catch (OperationCanceledException) { }
        }
        ((IDisposable)_app).Dispose();
    }

    /// <summary>A host lifetime that neither waits for nor reacts to console signals.</summary>
    private sealed class CommandLifetime : IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
