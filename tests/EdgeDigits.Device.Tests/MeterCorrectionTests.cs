using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Tests.TestInfrastructure;
using EdgeDigits.Training.Data.Meters;

namespace EdgeDigits.Device.Tests;

/// <summary>Correcting a meter reading on the page (<c>POST /api/correct</c>): the corrected windows saved in the meterdigits layout.</summary>
public sealed class MeterCorrectionTests
{
    /// <summary>Meter mode reading the sample meter's reference frame through its layout, corrections going to <paramref name="corrections"/>.</summary>
    private static async Task<(DeviceApp App, DeviceReading Reading)> StartAsync(string corrections)
    {
        var frames = RepoPaths.NewTempDir("meter-correct-frames");
        File.Copy(SampleMeter.Reference, Path.Combine(frames, "frame-0.jpg"));
        var app = await DeviceApp.StartAsync("--EdgeDigits:Meter:IntervalSeconds=3600", "--EdgeDigits:Meter:Camera:Kind=Replay",
            $"--EdgeDigits:Meter:Camera:ReplayDir={frames}", $"--EdgeDigits:Sorter:Camera:ReplayDir={TestFrames.Folder("1")}",
            $"--EdgeDigits:Meter:Layout={Path.Combine(SampleMeter.Dir, "meter.json")}", "--EdgeDigits:Meter:Burst=1",
            $"--EdgeDigits:Meter:CorrectionsDir={corrections}");
        var reading = await app.WaitForAsync(() => Task.FromResult(app.Service<ReadingHub>().Recent(10).FirstOrDefault(r => r.Mode == "meter" && r.Windows.Count > 0)),
            TimeSpan.FromSeconds(30), "a meter reading");
        return (app, reading);
    }

    private static string Changed(string text, params int[] positions)
    {
        var c = text.ToCharArray();
        foreach (var p in positions) c[p] = c[p] == '5' ? '6' : '5';
        return new string(c);
    }

    [Fact]
    public async Task Correct_MeterReading_SavesTheCorrectedWindowsWhereTheMeterDigitsLoaderReadsTheirLabels()
    {
        var corrections = RepoPaths.NewTempDir("meter-corrections");
        var (app, reading) = await StartAsync(corrections);
        await using var _ = app;
        Assert.Equal(8, reading.Windows.Count);
        var label = Changed(reading.Text, 2, 7);

        var response = await app.Client.PostAsJsonAsync("/api/correct", new { id = reading.Id, label });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var saved = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("saved").EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal(2, saved.Length);
        Assert.Equal(Path.Combine(corrections, $"{label[2]}.0"), Path.GetDirectoryName(saved[0]));
        Assert.Equal(Path.Combine(corrections, $"{label[7]}.0"), Path.GetDirectoryName(saved[1]));
        // The window as it was cut, pixel for pixel (PNG), at the window's own size.
        var window = GrayImageCodec.Decode(saved[1]);
        var layoutWindow = SampleMeter.Layout.Windows[7];
        Assert.Equal((layoutWindow.Width, layoutWindow.Height), (window.Width, window.Height));
        for (var y = 0; y < window.Height; y++)
            for (var x = 0; x < window.Width; x++)
                Assert.Equal(reading.Windows[7][x, y], window[x, y]);

        var set = MeterDigitSet.Load(corrections);
        Assert.Equal(2, set.Count);
        var labels = set.Files.Select((f, i) => (File: f, Label: set.Windows.ClassNames[set.Windows.Labels[i]])).ToDictionary(x => x.File, x => x.Label);
        Assert.Equal($"{label[2]}.0", labels[saved[0]]);
        Assert.Equal($"{label[7]}.0", labels[saved[1]]);
    }

    [Fact]
    public async Task Correct_MeterReadingBadLabels_FourHundredsAndNothingSaved()
    {
        var corrections = RepoPaths.NewTempDir("meter-corrections");
        var (app, reading) = await StartAsync(corrections);
        await using var _ = app;

        var shorter = await app.Client.PostAsJsonAsync("/api/correct", new { id = reading.Id, label = "123" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, shorter.StatusCode);
        Assert.Equal($"label '123' has 3 digits but reading {reading.Id} has 8 meter windows", (await shorter.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString());
        var letters = await app.Client.PostAsJsonAsync("/api/correct", new { id = reading.Id, label = "0037145x" });
        Assert.Equal(HttpStatusCode.BadRequest, letters.StatusCode);
        var unknown = await app.Client.PostAsJsonAsync("/api/correct", new { id = reading.Id + 1000, label = reading.Text });
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Empty(Directory.GetFileSystemEntries(corrections));

        // The label the meter read: nothing to learn, nothing saved, said so.
        var same = await app.Client.PostAsJsonAsync("/api/correct", new { id = reading.Id, label = reading.Text });
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
        var body = await same.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, body.GetProperty("saved").GetArrayLength());
        Assert.Contains("no window to save", body.GetProperty("note").GetString());
    }
}
