using EdgeDigits.Core;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Device.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace EdgeDigits.Device.Web;

/// <summary>
/// The meter's setup on the page: <c>GET /api/meter/layout</c> (the digit windows, reference marks and alignment, as a
/// <see cref="MeterLayout"/>), <c>GET /api/meter/reference.jpg</c> (the reference frame they are drawn on) and
/// <c>PUT /api/meter/layout</c>, which checks the boxes against the reference (400 with the one-line reason) and saves them:
/// the layout as <c>meter-layout.json</c> beside the device's config override file, and <c>Meter:Layout</c> pointing at it in
/// that file, each written to a temporary file and renamed, so a crash leaves the old or the new file, never half of one.
/// The saved layout applies at once: the next frame is read with it (<see cref="IMeterControl.ApplyLayoutAsync"/>).
/// </summary>
public static class MeterLayoutEndpoints
{
    /// <summary>Largest layout body accepted, bytes.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    /// <summary>The layout file's name beside the config override file.</summary>
    public const string LayoutFileName = "meter-layout.json";

    /// <summary>Maps the three endpoints.</summary>
    public static void Map(WebApplication app)
    {
        app.MapGet("/api/meter/layout", (IOptions<DeviceOptions> o, IServiceProvider sp) =>
            Current(o.Value, sp) is { } layout
                ? Results.Text(layout.ToJson(), "application/json; charset=utf-8")
                : ApiJson.Error("meter mode is not running with digit windows (Meter:Windows or Meter:Layout)", StatusCodes.Status404NotFound));
        app.MapGet("/api/meter/reference.jpg", (IOptions<DeviceOptions> o, IServiceProvider sp) =>
            Current(o.Value, sp) is { Reference: { } r } && File.Exists(r)
                ? Results.File(File.ReadAllBytes(r), "image/jpeg")
                : ApiJson.Error("no reference image (Meter:Alignment:Reference)", StatusCodes.Status404NotFound));
        app.MapPut("/api/meter/layout", SaveAsync);
    }

    private static MeterLayout? Current(DeviceOptions o, IServiceProvider sp)
    {
        if (sp.GetService<IMeterControl>() is null || o.Meter.Windows.Count == 0) return null;
        var paths = sp.GetRequiredService<PathResolver>();
        var reference = o.Meter.Alignment.Reference.Length > 0 ? paths.Resolve(o.Meter.Alignment.Reference) : "";
        return o.Meter.Alignment.ToLayout(o.Meter.Windows, reference) with { Reference = reference.Length > 0 ? reference : null };
    }

    private static async Task<IResult> SaveAsync(HttpRequest req, IOptions<DeviceOptions> o, IServiceProvider sp)
    {
        if (Current(o.Value, sp) is not { } current) return ApiJson.Error("meter mode is not running with digit windows (Meter:Windows or Meter:Layout)", StatusCodes.Status404NotFound);
        string body;
        using (var reader = new StreamReader(req.Body, Encoding.UTF8))
        {
            var buffer = new char[MaxBodyBytes + 1];
            var n = await reader.ReadBlockAsync(buffer, 0, buffer.Length).ConfigureAwait(false);
            if (n > MaxBodyBytes) return ApiJson.Error($"layout larger than {MaxBodyBytes} bytes", StatusCodes.Status413PayloadTooLarge);
            body = new string(buffer, 0, n);
        }
        MeterLayout layout;
        try
        {
            layout = MeterLayout.Parse(body);
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            return ApiJson.Error($"layout: {e.Message.ReplaceLineEndings(" ")}", StatusCodes.Status400BadRequest);
        }
        // The boxes are drawn on the current reference frame unless the body names another one.
        var paths = sp.GetRequiredService<PathResolver>();
        var referencePath = layout.Reference is { } named ? paths.Resolve(named) : current.Reference;
        layout = layout with { Reference = referencePath };
        if (referencePath is null)
        {
            if (layout.Mode != Core.Meters.Alignment.AlignmentMode.None) return ApiJson.Error("layout: alignment needs a Reference image", StatusCodes.Status400BadRequest);
        }
        else
        {
            try
            {
                layout.CreateAligner(GrayImageCodec.Decode(referencePath));
            }
            catch (ImageFormatException e) { return ApiJson.Error($"layout: Reference: {e.Message}", StatusCodes.Status400BadRequest); }
            catch (ArgumentException e) { return ApiJson.Error($"layout: {e.Message.ReplaceLineEndings(" ")}", StatusCodes.Status400BadRequest); }
        }

        var configPath = o.Value.ConfigOverride;
        var layoutPath = Path.Combine(Path.GetDirectoryName(configPath)!, LayoutFileName);
        JsonObject config;
        try
        {
            config = File.Exists(configPath) ? JsonNode.Parse(File.ReadAllText(configPath)) as JsonObject ?? new JsonObject() : new JsonObject();
        }
        catch (JsonException e)
        {
            return ApiJson.Error($"{configPath}: the config override is not JSON ({e.Message}); not overwritten", StatusCodes.Status409Conflict);
        }
        var root = config["EdgeDigits"] as JsonObject ?? (JsonObject)(config["EdgeDigits"] = new JsonObject());
        var meter = root["Meter"] as JsonObject ?? (JsonObject)(root["Meter"] = new JsonObject());
        // The layout file replaces windows and alignment given inline in this file (both would be a start-up error).
        meter.Remove("Windows");
        meter.Remove("Alignment");
        meter["Layout"] = layoutPath;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(configPath)!);
            AtomicFile.WriteAllText(layoutPath, layout.ToJson() + "\n");
            AtomicFile.WriteAllText(configPath, config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return ApiJson.Error($"cannot save the layout: {e.Message}", StatusCodes.Status500InternalServerError);
        }
        var problem = await sp.GetRequiredService<IMeterControl>().ApplyLayoutAsync(layoutPath, req.HttpContext.RequestAborted).ConfigureAwait(false);
        return ApiJson.Object(new JsonObject
        {
            ["layout"] = layoutPath, ["config"] = configPath, ["applied"] = problem is null,
            ["note"] = problem is null ? "saved; the next frame is read with it" : $"saved; applies at the next start (not now: {problem})",
        });
    }
}
