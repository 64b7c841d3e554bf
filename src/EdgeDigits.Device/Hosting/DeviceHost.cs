using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Mqtt;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeDigits.Device.Hosting;

/// <summary>Builds and runs the device app: configuration (appsettings.json + the chosen profile), validation, services, the page.</summary>
public static class DeviceHost
{
    /// <summary>The profile used when neither <c>--profile</c> nor <c>EDGEDIGITS_PROFILE</c> chooses one.</summary>
    public const string DefaultProfile = "Simulator";

    /// <summary>The profiles shipped beside the app (<c>appsettings.&lt;Profile&gt;.json</c>).</summary>
    public static readonly string[] Profiles = ["Simulator", "Kiosk", "Meter", "Sorter", "KioskFb", "SimulatorMeter"];

    /// <summary>Thrown when the configuration is unusable; <see cref="Exception.Message"/> lists each problem on its own line.</summary>
    public sealed class ConfigException(IReadOnlyList<string> problems) : Exception(string.Join(Environment.NewLine, problems))
    {
        /// <summary>The problems, one per line.</summary>
        public IReadOnlyList<string> Problems { get; } = problems;
    }

    /// <summary>Removes <c>--profile X</c> / <c>--profile=X</c> from <paramref name="args"/> and returns the chosen profile.</summary>
    public static string TakeProfile(ref string[] args)
    {
        var rest = new List<string>();
        string? profile = null;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--profile")
            {
                if (i + 1 >= args.Length) throw new ConfigException(["--profile needs a value (" + string.Join(", ", Profiles) + ")"]);
                profile = args[++i];
            }
            else if (args[i].StartsWith("--profile=", StringComparison.Ordinal)) profile = args[i]["--profile=".Length..];
            else rest.Add(args[i]);
        }
        args = rest.ToArray();
        profile ??= Environment.GetEnvironmentVariable("EDGEDIGITS_PROFILE") is { Length: > 0 } env ? env : DefaultProfile;
        var known = Profiles.FirstOrDefault(p => string.Equals(p, profile, StringComparison.OrdinalIgnoreCase));
        var file = Path.Combine(AppContext.BaseDirectory, $"appsettings.{known ?? profile}.json");
        if (known is null && !File.Exists(file))
            throw new ConfigException([$"unknown profile '{profile}' (known: {string.Join(", ", Profiles)}; or add {file})"]);
        return known ?? profile;
    }

    /// <summary>Builds the app. Throws <see cref="ConfigException"/> when the configuration is invalid.</summary>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? customize = null)
    {
        var profile = TakeProfile(ref args);
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        // Which override file to load can itself come from the command line or the environment (the page writes into it).
        var overridePath = new ConfigurationBuilder().AddEnvironmentVariables("EDGEDIGITS_").AddCommandLine(args).Build()[$"{DeviceOptions.Section}:{nameof(DeviceOptions.ConfigOverride)}"]
            is { Length: > 0 } given ? given : Environment.GetEnvironmentVariable("EDGEDIGITS_CONFIG") ?? "/etc/edgedigits/appsettings.json";
        builder.Configuration.Sources.Clear();
        builder.Configuration
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, "appsettings.json"), optional: false)
            .AddJsonFile(Path.Combine(AppContext.BaseDirectory, $"appsettings.{profile}.json"), optional: true)
            // The device's own edits live outside the release folder so a deploy keeps them.
            .AddJsonFile(overridePath, optional: true)
            .AddEnvironmentVariables("EDGEDIGITS_")
            .AddCommandLine(args);
        builder.Configuration["EdgeDigits:Profile"] = profile;
        builder.Configuration[$"{DeviceOptions.Section}:{nameof(DeviceOptions.ConfigOverride)}"] = Path.GetFullPath(overridePath);
        customize?.Invoke(builder);

        DeviceOptions options;
        // A value of the wrong type (PublishTenth=maybe) is the binder's InvalidOperationException naming the key: one config line, not a crash.
        try { options = builder.Configuration.GetSection(DeviceOptions.Section).Get<DeviceOptions>() ?? new DeviceOptions(); }
        catch (InvalidOperationException ex) { throw new ConfigException([ex.Message.ReplaceLineEndings(" ")]); }
        var paths = new PathResolver();
        var problems = OptionsValidator.Validate(options, paths.Resolve);
        if (problems.Count > 0) throw new ConfigException(problems);

        builder.Host.UseSystemd();
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => { o.SingleLine = true; o.TimestampFormat = "HH:mm:ss "; });
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        // A start-up failure is printed by Run as one line naming the device or bus; the host's own stack dump adds nothing.
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting.Internal.Host", LogLevel.Critical);
        builder.WebHost.UseUrls(options.Http.Url);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = 4 * 1024 * 1024);
        builder.Host.ConfigureHostOptions(h => h.ShutdownTimeout = TimeSpan.FromSeconds(10));

        var s = builder.Services;
        s.Configure<DeviceOptions>(builder.Configuration.GetSection(DeviceOptions.Section));
        // A meter layout file becomes the windows and the alignment (the start-up check above has loaded it once already).
        s.PostConfigure<DeviceOptions>(o => o.Meter.ApplyLayout(paths.Resolve));
        s.AddSingleton(paths);
        s.AddSingleton(new ProfileInfo(profile));
        s.AddSingleton<HealthState>();
        s.AddSingleton(new ReadingHub(options.Http.RecentReadings));
        s.AddSingleton<ISystemdNotifier, SystemdNotifier>();
        s.AddHostedService<SystemdNotifyService>();
        s.AddSingleton(sp => new ModelHost(RecognizerFactory.Load(options.Model.Threads, options.Model.InkModel.Length > 0 ? paths.Resolve(options.Model.InkModel) : null), sp.GetRequiredService<ILogger<ModelHost>>())
        {
            MinAccuracy = options.Model.SelfTestMinAccuracy,
        });
        s.AddHostedService<ModelLoader>();
        s.AddHostedService<ModelWatcher>();
        if (options.Mqtt.Enabled)
        {
            s.AddSingleton<MqttSink>();
            s.AddHostedService(sp => sp.GetRequiredService<MqttSink>());
        }
        s.AddHostedService<ReadingPrinter>();
        ModeRunner.AddServices(builder, options);

        var app = builder.Build();
        PageEndpoints.Map(app, options);
        return app;
    }

    /// <summary>Runs the app until stopped; returns the process exit code.</summary>
    public static int Run(string[] args)
    {
        WebApplication app;
        try { app = Build(args); }
        catch (ConfigException ex)
        {
            foreach (var p in ex.Problems) Console.Error.WriteLine($"edgedigits-device: config: {p}");
            return 2;
        }
        try
        {
            app.Run();
            return Environment.ExitCode;
        }
        catch (Exception ex)
        {
            var inner = ex.GetBaseException();
            var first = inner.Message.Split('\n', 2)[0].Trim();
            var hint = inner is DllNotFoundException && first.Contains("gpiod", StringComparison.Ordinal)
                ? " (no GPIO on this machine: libgpiod is missing; on a PC use --profile Simulator)" : "";
            Console.Error.WriteLine($"edgedigits-device: start-up failed: {first}{hint}");
            return 1;
        }
        finally { (app as IDisposable)?.Dispose(); }
    }
}

/// <summary>The profile the app was started with.</summary>
public sealed record ProfileInfo(string Name);

/// <summary>Loads the configured model at start-up; a failure stops the app with the reason.</summary>
internal sealed class ModelLoader(ModelHost models, IOptions<DeviceOptions> options, PathResolver paths, HealthState health, ILogger<ModelLoader> log) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var o = options.Value.Model;
        var path = paths.Resolve(o.Path);
        var selfTest = o.SelfTestDir is null ? ModelHost.SelfTestDirFor(path, paths.Resolve("samples/selftest")) : paths.Resolve(o.SelfTestDir);
        try
        {
            models.LoadInitial(path, selfTest);
        }
        catch (InvalidOperationException ex)
        {
            log.LogCritical("{Message}", ex.Message);
            health.SetError("model", ex.Message);
            Environment.ExitCode = 3;
            throw;
        }
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Prints each reading on the console (simulator) and forwards it to MQTT when enabled.</summary>
internal sealed class ReadingPrinter(ReadingHub hub, IOptions<DeviceOptions> options, IServiceProvider sp) : IHostedService
{
    private readonly MqttSink? _mqtt = options.Value.Mqtt.Enabled ? sp.GetRequiredService<MqttSink>() : null;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        hub.Added += OnReading;
        return Task.CompletedTask;
    }

    private void OnReading(DeviceReading r)
    {
        if (options.Value.Simulator.PrintReadings)
            Console.WriteLine($"reading {r.Id} [{r.Mode}] {r.Source}: {r.Text} (min confidence {r.MinConfidence:0.00}, {r.LatencyMs:0.0} ms){(r.Outcome is null ? "" : " → " + r.Outcome)}");
        _mqtt?.Publish(r);
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        hub.Added -= OnReading;
        return Task.CompletedTask;
    }
}
