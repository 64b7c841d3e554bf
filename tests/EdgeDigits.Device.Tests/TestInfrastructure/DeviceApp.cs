using System.Diagnostics;
using EdgeDigits.Device.Hosting;
using Microsoft.AspNetCore.Builder;

namespace EdgeDigits.Device.Tests.TestInfrastructure;

/// <summary>The real device app (Kestrel, hosted services, emulated board) started in-process on a free loopback port.</summary>
internal sealed class DeviceApp : IAsyncDisposable
{
    private DeviceApp(WebApplication app, string url, string dataDir)
    {
        App = app;
        Url = url;
        DataDir = dataDir;
        Client = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    }

    public WebApplication App { get; }
    public string Url { get; }
    public string DataDir { get; }
    public HttpClient Client { get; }

    public T Service<T>() where T : notnull => (T)App.Services.GetService(typeof(T))!;

    /// <summary>The shipped int8 model, else the shipped fp32 one.</summary>
    public static string ModelPath
    {
        get
        {
            foreach (var p in new[] { Path.Combine(RepoPaths.Models, "digits-int8.onnx"), Path.Combine(RepoPaths.Models, "digits-fp32.onnx") })
                if (File.Exists(p)) return p;
            throw new InvalidOperationException("no model: expected models/digits-int8.onnx");
        }
    }

    /// <summary>Starts the simulator profile with test folders; <paramref name="args"/> override settings (<c>--EdgeDigits:X=Y</c>).</summary>
    public static async Task<DeviceApp> StartAsync(params string[] args)
    {
        var data = RepoPaths.NewTempDir("device-app");
        var port = MosquittoBroker.FreePort();
        var url = args.FirstOrDefault(a => a.StartsWith("--EdgeDigits:Http:Url=", StringComparison.Ordinal))?.Split('=', 2)[1] ?? $"http://127.0.0.1:{port}";
        var all = new List<string>
        {
            "--profile", "Simulator",
            $"--EdgeDigits:Http:Url={url}",
            $"--EdgeDigits:Model:Path={ModelPath}",
            $"--EdgeDigits:Model:SelfTestDir={Path.Combine(RepoPaths.Samples, "selftest")}",
            $"--EdgeDigits:Mqtt:OutboxDir={Path.Combine(data, "outbox")}",
            $"--EdgeDigits:CorrectionsDir={Path.Combine(data, "corrections")}",
            $"--EdgeDigits:InkCorrectionsDir={Path.Combine(data, "ink-corrections")}",
            $"--EdgeDigits:Simulator:LcdPngDir={Path.Combine(data, "lcd")}",
            "--EdgeDigits:Simulator:PrintReadings=false",
            // Tests replay frames of their own: free-form numbers unless a test sets a layout (the profile's sample meter) again.
            "--EdgeDigits:Meter:Layout=",
        };
        all.AddRange(args.Where(a => !a.StartsWith("--EdgeDigits:Http:Url=", StringComparison.Ordinal)));
        var app = DeviceHost.Build(all.ToArray());
        await app.StartAsync();
        return new DeviceApp(app, url.Replace("0.0.0.0", "127.0.0.1"), data);
    }

    public async Task<T> WaitForAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what) where T : class
    {
        var sw = Stopwatch.StartNew();
        while (sw.Elapsed < timeout)
        {
            if (await probe() is { } v) return v;
            await Task.Delay(50);
        }
        throw new TimeoutException($"timed out after {timeout.TotalSeconds} s waiting for {what}");
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }
}
