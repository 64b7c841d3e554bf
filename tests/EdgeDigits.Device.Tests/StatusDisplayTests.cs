using EdgeDigits.Hardware.Simulation.Tm16xx;
using EdgeDigits.Hardware.Simulation.Ssd13xx;
using EdgeDigits.Hardware.Tm16xx;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Display;
using EdgeDigits.Device.Recognition;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;

namespace EdgeDigits.Device.Tests;

public class StatusDisplayTests
{
    [Fact]
    public void ShowOnStatusDisplays_Reading_Tm1637AndOledShowTheNumber()
    {
        var o = new DeviceOptions { Hardware = "Simulated", Displays = new DisplayOptions { Ssd1306 = true, Tm1637 = true } };
        var board = DeviceBoard.Open(o, NullLogger.Instance);
        var r = new DeviceReading { Text = "3?1", Digits = [new("3", 0.9f, [0, 0, 1, 1]), new("?", 0.2f, [0, 0, 1, 1]) { Best = "8" }, new("1", 0.9f, [0, 0, 1, 1])] };
        board.ShowOnStatusDisplays(r);
        Assert.Equal(" 3-1", board.Part<Tm1637Emulator>()!.Text);
        var oled = board.Part<Ssd1306Emulator>()!;
        for (var i = 0; i < 3; i++)
        {
            var cell = SevenSegmentRenderer.Cell(i, 3, new SKRect(0, 0, 128, 58));
            var rects = SevenSegmentRenderer.SegmentRects(cell);
            var bits = SevenSegmentRenderer.SegmentsFor("381"[i]);
            for (var s = 0; s < 7; s++)
                Assert.Equal((bits & (1 << s)) != 0, oled.IsLit((int)rects[s].MidX, (int)rects[s].MidY));
        }
        Assert.Empty(board.Part<Tm1637Emulator>()!.Violations);
        Assert.Empty(oled.Violations);
        var emu = board.Part<Tm1637Emulator>()!;
        board.Dispose();
        Assert.True(string.IsNullOrWhiteSpace(emu.Text), $"TM1637 still shows '{emu.Text}'");
        Assert.False(oled.DisplayOn);
    }

    /// <summary>A published meter reading (<c>ok</c>) of <paramref name="text"/>, every digit certain, with the lowest wheel's <paramref name="tenth"/>.</summary>
    private static DeviceReading MeterReading(string text, bool showsTenth, int? tenth) => new()
    {
        Mode = "meter", Text = text, Tenth = tenth, ShowsTenth = showsTenth, Status = "ok",
        Digits = [.. text.Select(c => new DigitResult(c.ToString(), 0.99f, [0, 0, 1, 1]))],
    };

    private static DeviceReading Meter0796(bool showsTenth, int? tenth) => MeterReading("0796", showsTenth, tenth);

    /// <summary>Whether the OLED shows exactly the segments of <paramref name="shown"/> (and its decimal points) in its cells.</summary>
    private static void AssertOledShows(Ssd1306Emulator oled, IReadOnlyList<ShownDigit> shown, SKRect? digitsArea = null)
    {
        var area = digitsArea ?? new SKRect(0, 0, 128, 58);
        for (var i = 0; i < shown.Count; i++)
        {
            var cell = SevenSegmentRenderer.Cell(i, shown.Count, area);
            var rects = SevenSegmentRenderer.SegmentRects(cell);
            var bits = SevenSegmentRenderer.SegmentsFor(shown[i].Digit);
            for (var s = 0; s < 7; s++)
                Assert.True((bits & (1 << s)) != 0 == oled.IsLit((int)rects[s].MidX, (int)rects[s].MidY), $"cell {i} ('{shown[i].Digit}') segment {"abcdefg"[s]}");
            var point = SevenSegmentRenderer.PointRect(cell);
            Assert.True(shown[i].PointAfter == oled.IsLit((int)point.MidX, (int)point.MidY), $"cell {i}: decimal point {(shown[i].PointAfter ? "dark" : "lit")}");
            var underline = new SKPoint(cell.MidX, cell.Bottom + cell.Width * 0.2f);
            Assert.True(shown[i].Uncertain == oled.IsLit((int)underline.X, (int)underline.Y), $"cell {i}: underline");
        }
    }

    [Fact]
    public void ShowOnStatusDisplays_MeterReadingShowingItsTenth_PointLitAfterTheLowestWheelOnTm1637AndOled()
    {
        var o = new DeviceOptions { Hardware = "Simulated", Displays = new DisplayOptions { Ssd1306 = true, Tm1637 = true } };
        using var board = DeviceBoard.Open(o, NullLogger.Instance);
        var tm = board.Part<Tm1637Emulator>()!;
        var oled = board.Part<Ssd1306Emulator>()!;

        board.ShowOnStatusDisplays(Meter0796(showsTenth: true, tenth: 4));
        // Four digits: the last four of 0796.4, the point on the third digit's bit 7 (the chip's decimal point).
        Assert.Equal("796.4", tm.Text);
        Assert.Equal(new byte[] { 0x07, 0x6F, 0x7D | SevenSegment.PointOrColon, 0x66 }, tm.Segments);
        AssertOledShows(oled, [new('0', false, false), new('7', false, false), new('9', false, false), new('6', false, true), new('4', false, false)]);

        // The lowest wheel's tenth not read: the tenth is marked, never guessed.
        board.ShowOnStatusDisplays(Meter0796(showsTenth: true, tenth: null));
        Assert.Equal("796.-", tm.Text);
        AssertOledShows(oled, [new('0', false, false), new('7', false, false), new('9', false, false), new('6', false, true), new('?', true, false)]);

        // Without PublishTenth the tenth read is not shown: the digits as before, no point.
        board.ShowOnStatusDisplays(Meter0796(showsTenth: false, tenth: 4));
        Assert.Equal("0796", tm.Text);
        Assert.All(tm.Segments, b => Assert.Equal(0, b & SevenSegment.PointOrColon));
        AssertOledShows(oled, [new('0', false, false), new('7', false, false), new('9', false, false), new('6', false, false)]);
        Assert.Empty(tm.Violations);
        Assert.Empty(oled.Violations);
    }

    [Fact]
    public void ShowOnStatusDisplays_LongMeterWithTenth_Tm1637ShowsTheLastFourDigitsAndOledAllOfThem()
    {
        var o = new DeviceOptions { Hardware = "Simulated", Displays = new DisplayOptions { Ssd1306 = true, Tm1637 = true } };
        using var board = DeviceBoard.Open(o, NullLogger.Instance);
        board.ShowOnStatusDisplays(MeterReading("00371458", showsTenth: true, tenth: 6));
        Assert.Equal("458.6", board.Part<Tm1637Emulator>()!.Text);
        AssertOledShows(board.Part<Ssd1306Emulator>()!, [.. "0037145".Select(c => new ShownDigit(c, false, false)), new('8', false, true), new('6', false, false)]);
    }

    [Fact]
    public void ShowOnStatusDisplays_RollingWindowWhoseGuessIsAPosition_OledDrawsOneUnderlinedDigitForIt()
    {
        // A meter window's best guess is its wheel position ("9.5"), a kiosk digit's may be the class "none": one cell each, underlined.
        var o = new DeviceOptions { Hardware = "Simulated", Displays = new DisplayOptions { Ssd1306 = true, Tm1637 = true } };
        using var board = DeviceBoard.Open(o, NullLogger.Instance);
        var r = new DeviceReading
        {
            Mode = "meter", Text = "07?6", Tenth = 2, ShowsTenth = true, Status = "ok",
            Digits = [new("0", 0.99f, [0, 0, 1, 1]), new("7", 0.99f, [0, 0, 1, 1]), new("?", 0.4f, [0, 0, 1, 1]) { Best = "9.5" }, new("6", 0.99f, [0, 0, 1, 1])],
        };
        board.ShowOnStatusDisplays(r);
        Assert.Equal("7-6.2", board.Part<Tm1637Emulator>()!.Text);
        AssertOledShows(board.Part<Ssd1306Emulator>()!, [new('0', false, false), new('7', false, false), new('9', true, false), new('6', false, true), new('2', false, false)]);

        board.ShowOnStatusDisplays(new DeviceReading { Mode = "kiosk", Text = "?", Digits = [new("?", 0.3f, [0, 0, 1, 1]) { Best = "none" }] });
        AssertOledShows(board.Part<Ssd1306Emulator>()!, [new('?', true, false)]);
    }

    /// <summary>Whether the OLED's bottom line (rows 56…63) holds exactly the pixels of <paramref name="mark"/> centred, or is dark when it is null.</summary>
    private static void AssertOledMark(Ssd1306Emulator oled, string? mark)
    {
        using var expected = new SKBitmap(new SKImageInfo(128, 64, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(expected))
        {
            canvas.Clear(SKColors.Black);
            if (mark is not null) Ili9341MeterDisplay.DrawText(canvas, mark, Ssd1306StatusDisplay.MarkLeft(128, mark), 56, 1, SKColors.White);
        }
        var lit = 0;
        for (var y = 56; y < 64; y++)
            for (var x = 0; x < 128; x++)
            {
                var want = expected.GetPixel(x, y).Red > 127;
                Assert.True(want == oled.IsLit(x, y), $"mark '{mark}': pixel ({x},{y}) {(want ? "dark" : "lit")}");
                if (want) lit++;
            }
        Assert.True(mark is null || lit > 5 * mark.Count(c => c != ' '), $"mark '{mark}' drew only {lit} pixels");
    }

    /// <summary>The OLED's digits area while the value shown is stale: a mark's line less (128x64: rows 0…49).</summary>
    private static readonly SKRect StaleArea = new(0, 0, 128, 50);

    /// <summary>458.6 on the TM1637: '4' '5' '8' with the point (bit 7), '6'.</summary>
    private static readonly byte[] Segments458point6 = [0x66, 0x6D, 0x7F | SevenSegment.PointOrColon, 0x7D];

    private static readonly IReadOnlyList<ShownDigit> Oled00371458point6 = [.. "0037145".Select(c => new ShownDigit(c, false, false)), new('8', false, true), new('6', false, false)];

    private static DeviceReading Refused() => new() { Mode = "meter", Status = "refused", Reason = "frame not aligned: reference mark 1 not found: score 0.41 < 0.60" };

    /// <summary>A simulated board with the OLED and the TM1637, and their emulators.</summary>
    private static (DeviceBoard Board, Tm1637Emulator Tm, Ssd1306Emulator Oled) OledAndTm1637()
    {
        var board = DeviceBoard.Open(new DeviceOptions { Hardware = "Simulated", Displays = new DisplayOptions { Ssd1306 = true, Tm1637 = true } }, NullLogger.Instance);
        return (board, board.Part<Tm1637Emulator>()!, board.Part<Ssd1306Emulator>()!);
    }

    [Fact]
    public void ShowOnStatusDisplays_RefusedFrameAfterAGoodValue_Tm1637KeepsTheValueOledKeepsItAboveRefused()
    {
        var (board, tm, oled) = OledAndTm1637();
        using var _ = board;
        board.ShowOnStatusDisplays(MeterReading("00371458", showsTenth: true, tenth: 6));
        Assert.Equal(Segments458point6, tm.Segments);
        AssertOledShows(oled, Oled00371458point6);
        AssertOledMark(oled, null);

        board.ShowOnStatusDisplays(Refused());
        Assert.Equal("458.6", tm.Text);
        Assert.Equal(Segments458point6, tm.Segments);
        AssertOledShows(oled, Oled00371458point6, StaleArea);
        AssertOledMark(oled, "! REFUSED");
        Assert.Empty(tm.Violations);
        Assert.Empty(oled.Violations);
    }

    [Fact]
    public void ShowOnStatusDisplays_RejectedReadingAfterAGoodValue_PublishedValueKeptNotTheOneRead_UntilTheNextGoodOne()
    {
        var (board, tm, oled) = OledAndTm1637();
        using var _ = board;
        board.ShowOnStatusDisplays(MeterReading("00371458", showsTenth: true, tenth: 6));

        // Read 3458.6: the rate rule rejected it, the value published stays 458.6.
        board.ShowOnStatusDisplays(MeterReading("00373458", showsTenth: true, tenth: 6) with { Status = "rejected", Reason = "rate 180000/h exceeds MaxRatePerHour 60" });
        Assert.Equal(Segments458point6, tm.Segments);
        AssertOledShows(oled, Oled00371458point6, StaleArea);
        AssertOledMark(oled, "! REJECTED");

        // The next accepted reading is shown at full size, the mark gone.
        board.ShowOnStatusDisplays(MeterReading("00371459", showsTenth: true, tenth: 0));
        Assert.Equal("459.0", tm.Text);
        AssertOledShows(oled, [.. "0037145".Select(c => new ShownDigit(c, false, false)), new('9', false, true), new('0', false, false)]);
        AssertOledMark(oled, null);
    }

    [Fact]
    public void ShowOnStatusDisplays_BadMeterReadingsBeforeTheFirstGoodValue_Tm1637BlankOledOnlyTheMark()
    {
        var (board, tm, oled) = OledAndTm1637();
        using var _ = board;
        board.ShowOnStatusDisplays(Refused());
        Assert.Equal(new byte[4], tm.Segments);
        AssertOledShows(oled, [], StaleArea);
        Assert.False(Enumerable.Range(0, 56).Any(y => Enumerable.Range(0, 128).Any(x => oled.IsLit(x, y))), "OLED shows a value before the first");
        AssertOledMark(oled, "! REFUSED");

        // A rejected reading before any value was published: what was read is not shown either.
        board.ShowOnStatusDisplays(MeterReading("00371458", showsTenth: true, tenth: 6) with { Status = "rejected", Reason = "digit 6 uncertain" });
        Assert.Equal(new byte[4], tm.Segments);
        Assert.False(Enumerable.Range(0, 56).Any(y => Enumerable.Range(0, 128).Any(x => oled.IsLit(x, y))), "OLED shows a value that was not published");
        AssertOledMark(oled, "! REJECTED");
    }

    [Fact]
    public void ShowOnStatusDisplays_KioskReading_ShownAsItIsNoMark_AlsoBetweenMeterReadings()
    {
        var (board, tm, oled) = OledAndTm1637();
        using var _ = board;
        var kiosk = new DeviceReading { Mode = "kiosk", Text = "42", Digits = [new("4", 0.9f, [0, 0, 1, 1]), new("2", 0.9f, [0, 0, 1, 1])] };
        board.ShowOnStatusDisplays(kiosk);
        Assert.Equal("  42", tm.Text);
        AssertOledShows(oled, [new('4', false, false), new('2', false, false)]);
        AssertOledMark(oled, null);

        // A refused meter frame keeps no kiosk number (it is not the meter's value) and a kiosk reading after it is shown as it is.
        board.ShowOnStatusDisplays(Refused());
        Assert.Equal(new byte[4], tm.Segments);
        board.ShowOnStatusDisplays(kiosk);
        Assert.Equal("  42", tm.Text);
        AssertOledShows(oled, [new('4', false, false), new('2', false, false)]);
        AssertOledMark(oled, null);
    }

    [Theory]
    [InlineData(true, 4, "0796.4")]
    [InlineData(true, null, "0796.?")]
    [InlineData(false, 4, "0796")]
    public void Shown_MeterReading_TextWithTheTenthOnlyWhenShown(bool showsTenth, int? tenth, string expected)
    {
        var r = Meter0796(showsTenth, tenth);
        Assert.Equal(expected, r.Shown);
        var json = System.Text.Json.JsonSerializer.Serialize(r, Web.DeviceJsonContext.Default.DeviceReading);
        Assert.Equal(expected, System.Text.Json.JsonDocument.Parse(json).RootElement.GetProperty("shown").GetString());
        // A reading without digits (a refused frame) shows nothing, tenth or not.
        Assert.Equal("", (r with { Text = "", Digits = [] }).Shown);
    }
}
