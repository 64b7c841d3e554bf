using System.Net;
using System.Net.Sockets;

namespace EdgeDigits.Training.Tests.TestInfrastructure;

/// <summary>Serves one body to every request on a free loopback port (a stand-in for a data set's public home).</summary>
internal sealed class OneFileServer : IDisposable
{
    private readonly HttpListener _listener = new();

    public OneFileServer(byte[] body)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        int port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        Url = $"http://127.0.0.1:{port}/data.zip";
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _ = Task.Run(async () =>
        {
            while (_listener.IsListening)
            {
                HttpListenerContext ctx;
                try { ctx = await _listener.GetContextAsync(); } catch (Exception) { return; }
                ctx.Response.ContentLength64 = body.Length;
                await ctx.Response.OutputStream.WriteAsync(body);
                ctx.Response.Close();
            }
        });
    }

    public string Url { get; }

    public void Dispose() => _listener.Close();
}
