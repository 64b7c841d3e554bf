using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Tests.TestInfrastructure;
using Microsoft.Playwright;

namespace EdgeDigits.Device.Tests;

/// <summary>The local page in real headless Chromium (Debian's /usr/bin/chromium driven by Playwright; no browser download).</summary>
public class PageBrowserTests
{
    internal static Task<IBrowser> LaunchAsync(IPlaywright pw) => pw.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = "/usr/bin/chromium",
        Headless = true,
        Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"],
    });

    [Fact]
    public async Task Canvas_DrawDigit_ReadingAppearsAndLcdMirrorUpdates()
    {
        var frames = TestFrames.Folder("1");
        await using var app = await DeviceApp.StartAsync(["--EdgeDigits:Meter:IntervalSeconds=3600", "--EdgeDigits:Kiosk:PenUpMs=1500",
            $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={frames}"]);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        var posted = new List<string>(); // the inks the page sent, for the failure message
        page.Request += (_, r) => { if (r.Url.Contains("/api/sim/ink")) lock (posted) posted.Add(r.PostData ?? ""); };
        await page.GotoAsync(app.Url + "/");
        await page.WaitForFunctionAsync("() => document.getElementById('lcd').src.includes('/api/lcd.png')");
        var srcBefore = await page.GetAttributeAsync("#lcd", "src");

        // Write "7" with the mouse: the bar, then the down stroke, in one stroke. The pen-up pause is long
        // (1.5 s) so that mouse events delayed on a loaded machine do not end the number mid-stroke.
        var box = (await page.Locator("#pad").BoundingBoxAsync())!;
        async Task Path((double X, double Y)[] pts)
        {
            await page.Mouse.MoveAsync((float)(box.X + pts[0].X), (float)(box.Y + pts[0].Y));
            await page.Mouse.DownAsync();
            foreach (var (x, y) in pts.Skip(1))
            {
                await page.Mouse.MoveAsync((float)(box.X + x), (float)(box.Y + y));
                await page.WaitForTimeoutAsync(8);
            }
            await page.Mouse.UpAsync();
        }
        // The shipped sample ink of a 7 (traced from an MNIST test digit), scaled onto the canvas.
        var ink = System.Text.Json.JsonDocument.Parse(File.ReadAllText(System.IO.Path.Combine(RepoPaths.Samples, "ink", "7.json"))).RootElement;
        foreach (var stroke in ink.GetProperty("strokes").EnumerateArray())
            await Path(stroke.EnumerateArray().Select(p => (p[0].GetDouble() * 1.2 + 100, p[1].GetDouble() * 1.2 + 20)).ToArray());

        // A bound on liveness, not a speed figure: on a loaded CI machine (qemu tests beside it) the strokes, the 1.5 s
        // pen-up pause and the read took over 15 s once.
        var reading = await app.WaitForAsync(() => Task.FromResult(app.Service<ReadingHub>().Recent(10).FirstOrDefault(r => r.Mode == "kiosk")), TimeSpan.FromSeconds(30), "a kiosk reading");
        Assert.True(reading.Text == "7", $"read '{reading.Text}'; the page sent {string.Join(" then ", posted)}; the kiosk collected {reading.Ink}");
        await page.WaitForFunctionAsync($"() => document.getElementById('last').textContent === '{reading.Text}'", null, new() { Timeout = 5000 });
        await page.WaitForFunctionAsync($"() => document.getElementById('lcd').src !== '{srcBefore}'", null, new() { Timeout = 5000 });
        // The mirror the page shows is the emulated panel's framebuffer: it shows the number.
        var png = await page.EvaluateAsync<string>("async () => { const r = await fetch(document.getElementById('lcd').src); const b = new Uint8Array(await r.arrayBuffer()); return btoa(String.fromCharCode(...b)); }");
        using var bmp = SkiaSharp.SKBitmap.Decode(Convert.FromBase64String(png));
        var cell = Display.SevenSegmentRenderer.Cell(0, 1, Modes.KioskController.ResultArea);
        var seg = Display.SevenSegmentRenderer.SegmentRects(cell);
        Assert.True(bmp.GetPixel((int)seg[0].MidX, (int)seg[0].MidY).Red > 200, "segment a of 7 not lit in the mirror");
        Assert.True(bmp.GetPixel((int)seg[3].MidX, (int)seg[3].MidY).Red < 50, "segment d lit in the mirror of a 7");
        Assert.Contains("7", await page.TextContentAsync("#readings"));
        Assert.Empty(errors);
    }

    [Fact]
    public async Task LastReading_MeterPublishingItsTenth_BigNumberShowsThePointAndTheTenth()
    {
        var (started, _) = await DeviceEndToEndTests.StartRollingMeterAsync(null, "--EdgeDigits:Meter:PublishTenth=true");
        await using var app = started;
        var hub = app.Service<ReadingHub>();
        var first = await app.WaitForAsync(() => Task.FromResult(hub.Recent(10).FirstOrDefault(r => r.Mode == "meter")), TimeSpan.FromSeconds(30), "a meter reading");
        Assert.Matches(@"^0791\.\d$", first.Shown);
        using var pw = await Playwright.CreateAsync();
        await using var browser = await LaunchAsync(pw);
        var page = await browser.NewPageAsync();
        var errors = new List<string>();
        page.PageError += (_, e) => errors.Add(e);
        await page.GotoAsync(app.Url + "/");
        await page.WaitForFunctionAsync($"() => document.getElementById('last').textContent === '{first.Shown}'", null, new() { Timeout = 10000 });

        // The next reading (the units wheel rolling, 0796.x) replaces it.
        await app.Service<Web.IMeterControl>().CaptureNowAsync(CancellationToken.None);
        var second = hub.Recent(1)[0];
        Assert.Matches(@"^0796\.\d$", second.Shown);
        await page.WaitForFunctionAsync($"() => document.getElementById('last').textContent === '{second.Shown}'", null, new() { Timeout = 10000 });
        Assert.Empty(errors);
    }
}
