using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Tests.TestInfrastructure;
using EdgeDigits.Device.Web;

namespace EdgeDigits.Device.Tests;

/// <summary>The page's meter setup over the real HTTP endpoints: the layout and reference frame, and saving moved boxes to the config override.</summary>
public sealed class MeterLayoutEndpointTests
{
    private static async Task<(DeviceApp App, string Config)> StartAsync()
    {
        var config = Path.Combine(RepoPaths.NewTempDir("override"), "appsettings.json");
        File.WriteAllText(config, """{ "EdgeDigits": { "Meter": { "MaxRatePerHour": 60 } } }""");
        var app = await DeviceApp.StartAsync("--EdgeDigits:Meter:IntervalSeconds=3600", "--EdgeDigits:Meter:Camera:Kind=Replay",
            $"--EdgeDigits:Meter:Camera:ReplayDir={SampleMeter.Dir}", $"--EdgeDigits:Sorter:Camera:ReplayDir={TestFrames.Folder("1")}",
            $"--EdgeDigits:Meter:Layout={Path.Combine(SampleMeter.Dir, "meter.json")}", $"--EdgeDigits:ConfigOverride={config}");
        return (app, config);
    }

    private static StringContent Json(string text) => new(text, Encoding.UTF8, "application/json");

    [Fact]
    public async Task Layout_GetThenPutMovedWindows_SavedToTheOverrideFileAndReadable()
    {
        var (app, config) = await StartAsync();
        await using var _ = app;
        var layout = MeterLayout.Parse(await app.Client.GetStringAsync("/api/meter/layout"));
        Assert.Equal(SampleMeter.Layout.Windows, layout.Windows);
        Assert.Equal(SampleMeter.Layout.Marks, layout.Marks);
        var reference = GrayImageCodec.Decode(await app.Client.GetByteArrayAsync("/api/meter/reference.jpg"), "reference");
        Assert.Equal((640, 480), (reference.Width, reference.Height));

        // A person moves every window 2 px right and adds nothing else.
        var moved = layout with { Windows = [.. layout.Windows.Select(w => w with { X = w.X + 2 })] };
        var put = await app.Client.PutAsync("/api/meter/layout", Json(moved.ToJson()));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var saved = JsonNode.Parse(File.ReadAllText(config))!;
        Assert.Equal(60, saved["EdgeDigits"]!["Meter"]!["MaxRatePerHour"]!.GetValue<int>());
        var layoutFile = saved["EdgeDigits"]!["Meter"]!["Layout"]!.GetValue<string>();
        Assert.Equal(Path.Combine(Path.GetDirectoryName(config)!, "meter-layout.json"), layoutFile);
        var reloaded = MeterLayout.Load(layoutFile);
        Assert.Equal(moved.Windows, reloaded.Windows);
        Assert.Equal(Path.Combine(SampleMeter.Dir, "frame-0.jpg"), reloaded.Reference);
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(config)!, "*.tmp"));
    }

    [Fact]
    public async Task Layout_PutSevenWindows_TheNextFrameIsReadWithThem()
    {
        var (app, _) = await StartAsync();
        await using var _a = app;
        var meter = app.Service<IMeterControl>();
        DeviceReading Newest() => app.Service<ReadingHub>().Recent(10).First(r => r.Mode == "meter" && r.Digits.Count > 0);
        await meter.CaptureNowAsync(CancellationToken.None);
        Assert.Equal(8, Newest().Digits.Count);

        // The leading wheel left out (a person decides the meter has seven).
        var layout = MeterLayout.Parse(await app.Client.GetStringAsync("/api/meter/layout"));
        var seven = layout with { Windows = [.. layout.Windows.Skip(1)] };
        var put = await app.Client.PutAsync("/api/meter/layout", Json(seven.ToJson()));
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var body = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(body.GetProperty("applied").GetBoolean());
        Assert.Equal("saved; the next frame is read with it", body.GetProperty("note").GetString());
        Assert.Equal(seven.Windows, MeterLayout.Parse(await app.Client.GetStringAsync("/api/meter/layout")).Windows);

        var id = Newest().Id;
        await meter.CaptureNowAsync(CancellationToken.None);
        var next = Newest();
        Assert.True(next.Id > id);
        Assert.Equal(7, next.Digits.Count);
        Assert.Equal(7, next.Windows.Count);
        Assert.Equal((seven.Windows[0].Width, seven.Windows[0].Height), (next.Windows[0].Width, next.Windows[0].Height));
    }

    [Theory]
    [InlineData(0, "layout: Windows:0 (")]
    [InlineData(1, "layout: Windows:0 (")]
    [InlineData(2, "layout: reference mark 1 (300,420,32,32) is flat")]
    public async Task Layout_PutBadBoxes_400WithTheReasonAndNothingSaved(int kind, string expected)
    {
        var (app, config) = await StartAsync();
        await using var _ = app;
        var layout = MeterLayout.Parse(await app.Client.GetStringAsync("/api/meter/layout"));
        var w = layout.Windows.ToArray();
        var bad = kind switch
        {
            0 => layout with { Windows = [w[0], w[0] with { X = w[0].X + 10 }] },     // overlapping windows
            1 => layout with { Windows = [w[0] with { Y = w[0].Y + 400 }] },           // a window off the reference
            _ => layout with { Marks = [new PixelRect(300, 420, 32, 32), layout.Marks[1]] }, // a mark on the plain face
        };
        var before = File.ReadAllText(config);
        var put = await app.Client.PutAsync("/api/meter/layout", Json(bad.ToJson()));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        var error = (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;
        Assert.StartsWith(expected, error);
        Assert.Equal(before, File.ReadAllText(config));
        Assert.False(File.Exists(Path.Combine(Path.GetDirectoryName(config)!, "meter-layout.json")));
    }

    [Fact]
    public async Task Layout_PutNotJson_400()
    {
        var (app, _) = await StartAsync();
        await using var __ = app;
        var put = await app.Client.PutAsync("/api/meter/layout", Json("{ \"Windows\": [ {\"X\": 1, "));
        Assert.Equal(HttpStatusCode.BadRequest, put.StatusCode);
        Assert.StartsWith("layout: ", (await put.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
    }

    [Fact]
    public async Task Page_DragWindowAndSave_LayoutFileHasTheMovedWindowAndReadingBoxesShown()
    {
        var (app, config) = await StartAsync();
        await using var _ = app;
        using var pw = await Microsoft.Playwright.Playwright.CreateAsync();
        await using var browser = await PageBrowserTests.LaunchAsync(pw);
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(app.Url + "/");
        await page.WaitForFunctionAsync("() => document.getElementById('meterref').dataset.windows === '8' && document.getElementById('meterref').width === 640");
        // The start-up reading of the sample meter is drawn over the reference: eight boxes with digit and confidence.
        await page.WaitForFunctionAsync("() => lastMeter !== null && lastMeter.digits.length === 8", null, new() { Timeout = 10_000 });

        await page.Locator("#meterref").ScrollIntoViewIfNeededAsync();
        var box = (await page.Locator("#meterref").BoundingBoxAsync())!;
        var w = SampleMeter.Layout.Windows[0];
        float sx = box.Width / 640f, sy = box.Height / 480f;
        await page.Mouse.MoveAsync(box.X + (w.X + 10) * sx, box.Y + (w.Y + 10) * sy);
        await page.Mouse.DownAsync();
        await page.Mouse.MoveAsync(box.X + (w.X + 13) * sx, box.Y + (w.Y + 12) * sy, new() { Steps = 3 });
        await page.Mouse.MoveAsync(box.X + (w.X + 16) * sx, box.Y + (w.Y + 14) * sy, new() { Steps = 3 });
        await page.Mouse.UpAsync();
        Assert.Equal($"{w.X + 6},{w.Y + 4}", await page.EvaluateAsync<string>("() => layout.Windows[0].X + ',' + layout.Windows[0].Y"));
        await page.ClickAsync("#savelayout");
        await page.WaitForFunctionAsync("() => document.getElementById('layoutmsg').textContent.startsWith('saved to ')");

        var saved = MeterLayout.Load(Path.Combine(Path.GetDirectoryName(config)!, "meter-layout.json"));
        Assert.Equal(w with { X = w.X + 6, Y = w.Y + 4 }, saved.Windows[0]);
        Assert.Equal(SampleMeter.Layout.Windows.Skip(1), saved.Windows.Skip(1));
        Assert.Empty(errors);
    }
}
