using EdgeDigits.Core;
using System.Diagnostics;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Core.Inks;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Hosting;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Mqtt;
using EdgeDigits.Device.Recognition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeDigits.Device.Web;

/// <summary>The local page and its JSON API: health, readings, LCD mirror, corrections, model activation, simulator inputs.</summary>
public static class PageEndpoints
{
    /// <summary>Maps the token check and every endpoint onto <paramref name="app"/>.</summary>
    public static void Map(WebApplication app, DeviceOptions options)
    {
        var token = options.Http.Token;
        if (!string.IsNullOrEmpty(token))
        {
            var expected = Encoding.UTF8.GetBytes(token);
            app.Use(async (ctx, next) =>
            {
                var given = ctx.Request.Headers.Authorization.ToString() is { } auth && auth.StartsWith("Bearer ", StringComparison.Ordinal)
                    ? auth["Bearer ".Length..] : ctx.Request.Query["token"].ToString();
                if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given ?? ""), expected))
                {
                    ctx.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    ctx.Response.Headers.WWWAuthenticate = "Bearer";
                    await ctx.Response.WriteAsJsonAsync(new ApiError("missing or wrong token (Authorization: Bearer TOKEN or ?token=TOKEN)"), DeviceJsonContext.Default.ApiError);
                    return;
                }
                await next();
            });
        }
        // Anything unexpected in a handler becomes a 500 with a one-line reason, never a crash.
        app.Use(async (ctx, next) =>
        {
            try { await next(); }
            catch (BadHttpRequestException ex) { await Error(ctx, ex.StatusCode, ex.Message); }
            catch (Exception ex) when (!ctx.Response.HasStarted && ex is not OperationCanceledException)
            {
                await Error(ctx, 500, ex.GetBaseException().Message);
            }
        });

        app.MapGet("/", () => Results.Content(PageHtml.Value, "text/html; charset=utf-8"));
        app.MapGet("/api/health", Health);
        app.MapGet("/api/readings", (HttpRequest req, ReadingHub hub) =>
        {
            var n = int.TryParse(req.Query["n"], out var v) ? Math.Clamp(v, 1, 1000) : 20;
            return Results.Json(hub.Recent(n), DeviceJsonContext.Default.IReadOnlyListDeviceReading);
        });
        app.MapGet("/api/lcd.png", (IServiceProvider sp) =>
            sp.GetService<ILcdMirror>() is { } lcd ? Results.File(lcd.SnapshotPng(), "image/png") : ApiJson.Error("no LCD in this profile", StatusCodes.Status404NotFound));
        app.MapGet("/api/lcd/version", (IServiceProvider sp) =>
            sp.GetService<ILcdMirror>() is { } lcd ? ApiJson.Object(new JsonObject { ["version"] = lcd.Version }) : ApiJson.Error("no LCD in this profile", StatusCodes.Status404NotFound));
        app.MapPost("/api/lcd/save", (IServiceProvider sp, PathResolver paths) =>
        {
            if (sp.GetService<ILcdMirror>() is not { } lcd) return ApiJson.Error("no LCD in this profile", StatusCodes.Status404NotFound);
            var dir = paths.Resolve(options.Simulator.LcdPngDir);
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, $"lcd-{DateTime.UtcNow:yyyyMMdd-HHmmss-fff}.png");
            AtomicFile.WriteAllBytes(file, lcd.SnapshotPng());
            return ApiJson.Object(new JsonObject { ["file"] = file });
        });
        app.MapPost("/api/read", ReadUpload);
        app.MapPost("/api/model/activate", ActivateModel);
        app.MapPost("/api/correct", Correct);
        app.MapPost("/api/sim/ink", async (HttpRequest req, IServiceProvider sp) =>
        {
            if (sp.GetService<ISimulatorInputs>() is not { } sim) return ApiJson.Error("no emulated touch panel in this profile", StatusCodes.Status404NotFound);
            var body = await ReadBodyAsync(req);
            if (body is null) return ApiJson.Error("ink body too large (max 1 MB)", StatusCodes.Status400BadRequest);
            try { await sim.PlayInkAsync(body, req.HttpContext.RequestAborted); }
            catch (FormatException ex) { return ApiJson.Error(ex.Message, StatusCodes.Status400BadRequest); }
            catch (ArgumentException ex) { return ApiJson.Error(ex.Message, StatusCodes.Status400BadRequest); }
            return Results.Accepted();
        });
        app.MapGet("/api/sim/inks", (PathResolver paths) =>
        {
            var dir = paths.Resolve(Path.Combine(options.Simulator.SamplesDir, "ink"));
            return Results.Json(Directory.Exists(dir) ? Directory.GetFiles(dir, "*.json").Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray() : [], DeviceJsonContext.Default.StringArray);
        });
        app.MapPost("/api/sim/inks/{name}", async (string name, PathResolver paths, IServiceProvider sp, HttpContext ctx) =>
        {
            if (sp.GetService<ISimulatorInputs>() is not { } sim) return ApiJson.Error("no emulated touch panel in this profile", StatusCodes.Status404NotFound);
            var dir = paths.Resolve(Path.Combine(options.Simulator.SamplesDir, "ink"));
            if (name.Contains('/') || name.Contains("..") || !File.Exists(Path.Combine(dir, name))) return ApiJson.Error($"no sample ink '{name}' in {dir}", StatusCodes.Status404NotFound);
            try { await sim.PlayInkAsync(await File.ReadAllTextAsync(Path.Combine(dir, name)), ctx.RequestAborted); }
            catch (FormatException ex) { return ApiJson.Error($"{name}: {ex.Message}", StatusCodes.Status400BadRequest); }
            return Results.Accepted();
        });
        app.MapPost("/api/sim/trigger", (IServiceProvider sp) =>
        {
            if (sp.GetService<ISimulatorInputs>() is not { } sim) return ApiJson.Error("no emulated trigger in this profile", StatusCodes.Status404NotFound);
            sim.FireTrigger();
            return Results.Accepted();
        });
        app.MapPost("/api/meter/capture", async (IServiceProvider sp, CancellationToken ct) =>
        {
            if (sp.GetService<IMeterControl>() is not { } meter) return ApiJson.Error("meter mode is not running", StatusCodes.Status404NotFound);
            try { return ApiJson.Object(new JsonObject { ["result"] = await meter.CaptureNowAsync(ct) }); }
            catch (Hardware.HardwareException ex) { return ApiJson.Error(ex.Message, StatusCodes.Status503ServiceUnavailable); }
        });
        MeterLayoutEndpoints.Map(app);
        app.MapFallback((HttpContext ctx) => ApiJson.Error($"no such endpoint: {ctx.Request.Method} {ctx.Request.Path}", StatusCodes.Status404NotFound));
    }

    private static readonly Lazy<string> PageHtml = new(() =>
    {
        using var s = Assembly.GetExecutingAssembly().GetManifestResourceStream("EdgeDigits.Device.Web.index.html")
            ?? throw new InvalidOperationException("page resource missing");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    });

    private static JsonObject SelfTest(ActivationResult r) => new() { ["total"] = r.SelfTestTotal, ["correct"] = r.SelfTestCorrect };

    private static Task Error(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        return ctx.Response.WriteAsJsonAsync(new ApiError(message), DeviceJsonContext.Default.ApiError);
    }

    private static async Task<string?> ReadBodyAsync(HttpRequest req, int max = 1 << 20)
    {
        using var ms = new MemoryStream();
        var buf = new byte[16384];
        int n;
        while ((n = await req.Body.ReadAsync(buf, req.HttpContext.RequestAborted)) > 0)
        {
            ms.Write(buf, 0, n);
            if (ms.Length > max) return null;
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static async Task<(JsonObject? Json, IResult? Error)> ReadJsonObjectAsync(HttpRequest req)
    {
        var body = await ReadBodyAsync(req);
        if (body is null) return (null, ApiJson.Error("body too large", StatusCodes.Status400BadRequest));
        try
        {
            return JsonNode.Parse(body) is JsonObject o ? (o, null) : (null, ApiJson.Error("body must be a JSON object", StatusCodes.Status400BadRequest));
        }
        catch (JsonException ex) { return (null, ApiJson.Error($"malformed JSON: {ex.Message}", StatusCodes.Status400BadRequest)); }
    }

    private static IResult Health(ModelHost models, ReadingHub hub, HealthState health, ProfileInfo profile, IEnumerable<IDeviceMode> modes, IServiceProvider sp, IOptions<DeviceOptions> o)
    {
        var mqtt = sp.GetService<MqttSink>();
        var loaded = models.IsLoaded;
        var errors = health.Errors.ToDictionary(e => e.Key, e => e.Value);
        var status = !loaded ? "error" : errors.Count > 0 || (mqtt is not null && !mqtt.Connected) ? "degraded" : "ok";
        var sections = new Dictionary<string, JsonElement>();
        var cameras = new Dictionary<string, CameraHealth>();
        foreach (var m in modes)
        {
            if (m.HealthSection() is { } section) sections[m.Name] = section;
            if (m.Camera is { } c) cameras[m.Name] = new(c.Kind, c.Source, c.ProcessId, c.Restarts, c.Frames, c.LastExitCode, c.LastProblem, c.Error, c.Note);
        }
        var body = new HealthResponse
        {
            Status = status, Device = o.Value.DeviceId, Profile = profile.Name, Modes = o.Value.Modes,
            Model = loaded ? new ModelHealth(models.Current.ModelPath, models.Current.ModelName, models.ActivatedAt, models.LastError) : new ModelHealth(null, null, null, null, models.LastError),
            UptimeSeconds = Math.Round((DateTimeOffset.UtcNow - health.Started).TotalSeconds, 1), Readings = hub.Total, LastReading = hub.Last,
            Mqtt = mqtt is null ? null : new MqttHealth(mqtt.Connected, mqtt.Outbox.Count, mqtt.Outbox.Dropped, mqtt.Delivered, mqtt.LastError),
            Errors = errors, Cameras = cameras, MemoryMb = Math.Round(Process.GetCurrentProcess().WorkingSet64 / 1048576.0, 1),
            ModeSections = sections,
        };
        return Results.Json(body, HealthJsonContext.Default.HealthResponse, statusCode: loaded ? 200 : 503);
    }

    private static async Task<IResult> ReadUpload(HttpRequest req, ModelHost models, ReadingHub hub)
    {
        using var ms = new MemoryStream();
        await req.Body.CopyToAsync(ms, req.HttpContext.RequestAborted);
        if (ms.Length == 0) return ApiJson.Error("empty body: POST an image (PNG/JPEG) or an ink JSON", StatusCodes.Status400BadRequest);
        if (ms.Length > 4 << 20) return ApiJson.Error("body too large", StatusCodes.Status400BadRequest);
        var bytes = ms.ToArray();
        DeviceReading r;
        try
        {
            r = bytes[0] == (byte)'{' ? models.Current.ReadInk(Ink.Parse(bytes, "ink")) : models.Current.ReadImage(bytes);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or InvalidDataException or JsonException or Core.Imaging.ImageFormatException or Core.Inks.InkFormatException)
        {
            return ApiJson.Error(ex.Message, StatusCodes.Status400BadRequest);
        }
        return Results.Json(hub.Add(r with { Mode = "upload", Source = "http", Time = DateTimeOffset.UtcNow }), DeviceJsonContext.Default.DeviceReading);
    }

    private static async Task<IResult> ActivateModel(HttpRequest req, ModelHost models, PathResolver paths, IOptions<DeviceOptions> o)
    {
        var (json, error) = await ReadJsonObjectAsync(req);
        if (error is not null) return error;
        if (json!["path"] is not JsonValue pv || !pv.TryGetValue<string>(out var path) || string.IsNullOrWhiteSpace(path))
            return ApiJson.Error("expected {\"path\": \"/path/to/model.onnx\"}", StatusCodes.Status400BadRequest);
        var full = paths.Resolve(path);
        if (!File.Exists(full)) return ApiJson.Error($"model file '{path}' not found", StatusCodes.Status400BadRequest);
        var selfTest = o.Value.Model.SelfTestDir is null ? ModelHost.SelfTestDirFor(full, paths.Resolve("samples/selftest")) : paths.Resolve(o.Value.Model.SelfTestDir);
        var result = await Task.Run(() => models.Activate(full, selfTest));
        req.HttpContext.RequestServices.GetRequiredService<HealthState>().SetError("model", result.Ok ? null : result.Message + " (the previous model keeps running)");
        return result.Ok
            ? ApiJson.Object(new JsonObject { ["status"] = "active", ["model"] = full, ["selfTest"] = SelfTest(result), ["message"] = result.Message })
            : ApiJson.Object(new JsonObject { ["status"] = "rejected", ["error"] = result.Message, ["selfTest"] = SelfTest(result), ["active"] = models.IsLoaded ? models.Current.ModelPath : null }, StatusCodes.Status422UnprocessableEntity);
    }

    private static async Task<IResult> Correct(HttpRequest req, ReadingHub hub, PathResolver paths, IOptions<DeviceOptions> o)
    {
        var (json, error) = await ReadJsonObjectAsync(req);
        if (error is not null) return error;
        long id;
        string? label;
        try
        {
            id = json!["id"]?.GetValue<long>() ?? 0;
            label = json["label"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is InvalidOperationException or FormatException)
        {
            return ApiJson.Error("expected {\"id\": <reading id>, \"label\": \"<digits>\"}", StatusCodes.Status400BadRequest);
        }
        if (id <= 0 || string.IsNullOrEmpty(label)) return ApiJson.Error("expected {\"id\": <reading id>, \"label\": \"<digits>\"}", StatusCodes.Status400BadRequest);
        if (!label.All(char.IsAsciiDigit)) return ApiJson.Error($"label '{label}' must be digits only", StatusCodes.Status400BadRequest);
        var reading = hub.Find(id);
        if (reading is null) return ApiJson.Error($"reading {id} is not among the recent readings", StatusCodes.Status404NotFound);
        if (reading.Windows.Count > 0) return MeterCorrections.Save(reading, label, paths.Resolve(o.Value.Meter.CorrectionsDir), o.Value.DeviceId);
        // The ink itself is kept whatever the grouping found: an ink the reader split wrongly is what the next model
        // (and the segmenter's choice) should learn from.
        string? inkFile = null;
        if (reading.Ink is { } ink)
        {
            var inkDir = paths.Resolve(o.Value.InkCorrectionsDir);
            Directory.CreateDirectory(inkDir);
            inkFile = Path.Combine(inkDir, $"{o.Value.DeviceId}-{reading.Time:yyyyMMddHHmmssfff}-{id}.json");
            new Ink(ink.Width, ink.Height, ink.Strokes, label).Save(inkFile);
        }
        if (reading.Crops.Count != label.Length)
        {
            if (inkFile is not null) return ApiJson.Object(new JsonObject { ["saved"] = new JsonArray(), ["ink"] = inkFile, ["label"] = label, ["id"] = id, ["note"] = $"the reading found {reading.Crops.Count} digits, the label has {label.Length}: only the ink was saved" });
            if (reading.Crops.Count == 0) return ApiJson.Error($"reading {id} has no digit crops to save", StatusCodes.Status422UnprocessableEntity);
            return ApiJson.Error($"label '{label}' has {label.Length} digits but reading {id} found {reading.Crops.Count}", StatusCodes.Status422UnprocessableEntity);
        }
        var root = paths.Resolve(o.Value.CorrectionsDir);
        var files = new List<string>();
        for (var i = 0; i < label.Length; i++)
        {
            var dir = Path.Combine(root, label[i].ToString());
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, $"{o.Value.DeviceId}-{reading.Time:yyyyMMddHHmmssfff}-{id}-{i}.png");
            CropImages.SaveGray28(reading.Crops[i], file);
            files.Add(file);
        }
        return ApiJson.Object(new JsonObject { ["saved"] = new JsonArray(files.Select(f => (JsonNode)f).ToArray()), ["ink"] = inkFile, ["label"] = label, ["id"] = id });
    }
}
