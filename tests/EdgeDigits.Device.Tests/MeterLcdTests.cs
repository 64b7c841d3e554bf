using System.Globalization;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Display;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Hardware.Ili934x;
using EdgeDigits.Hardware.Simulation.Ili934x;
using Iot.Device.Graphics;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;

namespace EdgeDigits.Device.Tests;

/// <summary>Meter mode on the ILI9341: the real driver's bytes into the emulated panel, its frame memory checked pixel by pixel.</summary>
public class MeterLcdTests
{
    private static readonly DateTimeOffset Noon = new(2026, 12, 3, 12, 34, 56, TimeSpan.Zero);

    private static DeviceOptions SimMeter(bool publishTenth = true) => new()
    {
        Modes = ["Meter"], Hardware = "Simulated", Displays = new DisplayOptions { Ili9341 = true },
        Meter = new MeterOptions { Display = "Ili9341", PublishTenth = publishTenth, Kind = "water" },
    };

    /// <summary>A meter reading of eight windows as meter mode posts it: <paramref name="text"/> with '?' for an uncertain wheel (its guess in <paramref name="guesses"/>).</summary>
    private static DeviceReading Reading(string text, int? tenth, string status, string? reason, DateTimeOffset time, string guesses = "") => new()
    {
        Mode = "meter", Text = text, Tenth = tenth, ShowsTenth = true, Time = time, Status = status, Reason = reason,
        Value = status == "ok" ? decimal.Parse(text.Replace('?', guesses.Length > 0 ? guesses[0] : '0') + "." + tenth, CultureInfo.InvariantCulture) : null,
        Digits = [.. text.Select((c, i) => c == '?'
            ? new DigitResult("?", 0.41f, [i, 0, 1, 1]) { Best = guesses + ".6" }
            : new DigitResult(c.ToString(), 0.9f + i / 100f, [i, 0, 1, 1]))],
    };

    private static DeviceReading Refused(string reason, DateTimeOffset time) => new() { Mode = "meter", Time = time, Status = "refused", Reason = reason };

    /// <summary>What the panel shows at (x, y), as the colour sent (RGB565).</summary>
    private static Rgb565 At(Ili9341Emulator lcd, int x, int y) => lcd.GetPixel(x, y);

    /// <summary>The region of the panel as RGB565 values, row by row (to compare before and after).</summary>
    private static ushort[] Region(Ili9341Emulator lcd, SKRectI r)
    {
        var v = new ushort[r.Width * r.Height];
        for (var y = r.Top; y < r.Bottom; y++)
            for (var x = r.Left; x < r.Right; x++) v[(y - r.Top) * r.Width + x - r.Left] = lcd.GetPixel(x, y).Value;
        return v;
    }

    /// <summary>
    /// Asserts the panel shows <paramref name="text"/> in the 5x8 font at (<paramref name="x"/>, <paramref name="y"/>) enlarged <paramref name="scale"/>
    /// times: every pixel of every glyph cell in <paramref name="color"/> where the font's bit is set and black where it is not. The glyphs
    /// come from Iot.Device.Graphics' Font5x8 itself, not from the display's drawing code.
    /// </summary>
    internal static void AssertText(Ili9341Emulator lcd, string text, int x, int y, int scale, SKColor color)
    {
        var font = new Font5x8();
        var on = Rgb565.FromColor(color);
        for (var i = 0; i < text.Length; i++)
        {
            font.GetCharData(text[i], out ReadOnlySpan<ushort> rows);
            for (var py = 0; py < font.Height * scale; py++)
                for (var px = 0; px < (font.Width + 1) * scale; px++)
                {
                    var col = px / scale;
                    var lit = col < font.Width && ((rows[py / scale] >> (font.Width - 1 - col)) & 1) != 0;
                    var (sx, sy) = (x + (i * (font.Width + 1)) * scale + px, y + py);
                    if (sx >= Ili9341MeterDisplay.Width) continue;
                    Assert.True(At(lcd, sx, sy) == (lit ? on : Rgb565.Black),
                        $"'{text}' char {i} '{text[i]}' pixel ({px},{py}) at ({sx},{sy}): {At(lcd, sx, sy)}, expected {(lit ? on : Rgb565.Black)}");
                }
        }
    }

    /// <summary>Asserts the value band is, pixel for pixel, <paramref name="shown"/> drawn by the 7-segment renderer every display uses.</summary>
    internal static void AssertValueBand(Ili9341Emulator lcd, IReadOnlyList<ShownDigit> shown)
    {
        using var expected = new SKBitmap(new SKImageInfo(Ili9341MeterDisplay.Width, Ili9341MeterDisplay.Height, SKColorType.Rgba8888, SKAlphaType.Premul));
        using (var canvas = new SKCanvas(expected))
        {
            canvas.Clear(SKColors.Black);
            SevenSegmentRenderer.Draw(canvas, shown, Ili9341MeterDisplay.ValueArea, SKColors.White, new SKColor(255, 0, 0));
        }
        var a = Ili9341MeterDisplay.ValueArea;
        var lit = 0;
        for (var y = a.Top; y < a.Bottom; y++)
            for (var x = a.Left; x < a.Right; x++)
            {
                var want = Rgb565.FromColor(expected.GetPixel(x, y));
                Assert.True(At(lcd, x, y) == want, $"value band ({x},{y}): {At(lcd, x, y)}, expected {want}");
                if (want != Rgb565.Black) lit++;
            }
        Assert.True(lit > 2000, $"only {lit} value pixels lit");
    }

    internal static string Clock(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, TimeZoneInfo.Local).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    internal static int StatusY => Ili9341MeterDisplay.StatusArea.Top + Ili9341MeterDisplay.Margin;

    internal static int ReasonY => StatusY + 8 * Ili9341MeterDisplay.LargeText + Ili9341MeterDisplay.Margin;

    /// <summary>What every display shows of 00000458 with the tenth 6: 0000045 8. 6, nothing uncertain.</summary>
    private static ShownDigit[] Shown4586 => [.. "0000045".Select(c => new ShownDigit(c, false, false)), new('8', false, true), new('6', false, false)];

    /// <summary>Asserts the header's right side shows the time of <paramref name="t"/>.</summary>
    private static void AssertClock(Ili9341Emulator lcd, DateTimeOffset t) =>
        AssertText(lcd, Clock(t), Ili9341MeterDisplay.Width - Ili9341MeterDisplay.Margin - 8 * 12 + 2, Ili9341MeterDisplay.Margin, 2, Ili9341MeterDisplay.TextColor);

    /// <summary>Asserts the status band: <paramref name="headline"/> large in <paramref name="color"/>, then the reason's lines small.</summary>
    internal static void AssertStatus(Ili9341Emulator lcd, string headline, SKColor color, params string[] reason)
    {
        AssertText(lcd, headline, Ili9341MeterDisplay.Margin, StatusY, 2, color);
        for (var i = 0; i < reason.Length; i++)
            AssertText(lcd, reason[i], Ili9341MeterDisplay.Margin, ReasonY + 10 * i, 1, Ili9341MeterDisplay.TextColor);
    }

    [Fact]
    public void Show_Meter4586WithTheTenth_ValueAsSevenSegmentCellsWithThePointKindUnitAndTime()
    {
        using var board = DeviceBoard.Open(SimMeter(), NullLogger.Instance);
        var lcd = board.Part<Ili9341Emulator>()!;
        Assert.Contains(board.Part<Ili9341MeterDisplay>()!, board.StatusDisplays);
        AssertStatus(lcd, "WAITING", Ili9341MeterDisplay.TextColor, "for the first reading");

        board.ShowOnStatusDisplays(Reading("00000458", 6, "ok", "wheels 3 settled from the wheel to their right; aligned 0.93", Noon));

        // 0000045 8. 6: nine cells, the point in the gap after the lowest wheel, nothing underlined.
        AssertValueBand(lcd, Shown4586);
        var area = (SKRect)Ili9341MeterDisplay.ValueArea;
        var point = SevenSegmentRenderer.PointRect(SevenSegmentRenderer.Cell(7, 9, area));
        Assert.Equal(Rgb565.White, At(lcd, (int)point.MidX, (int)point.MidY));
        // The header: kind and unit (m³ in the font's ASCII), the time of the value on the right.
        AssertText(lcd, "water m3", Ili9341MeterDisplay.Margin, Ili9341MeterDisplay.Margin, 2, Ili9341MeterDisplay.TextColor);
        AssertClock(lcd, Noon);
        // The status: accepted in green, with what was settled from context.
        AssertStatus(lcd, $"OK {Clock(Noon)}", Ili9341MeterDisplay.OkColor, "wheels 3 settled from the wheel to their right;", "aligned 0.93");
        Assert.Empty(lcd.Violations);
    }

    [Fact]
    public void Show_UncertainWheel_OneUnderlinedRedCellWithItsLowerDigit()
    {
        using var board = DeviceBoard.Open(SimMeter(), NullLogger.Instance);
        var lcd = board.Part<Ili9341Emulator>()!;
        board.ShowOnStatusDisplays(Reading("00000?58", 6, "ok", null, Noon, guesses: "4"));

        var shown = ShownDigits.Of(board.Part<Ili9341MeterDisplay>()!.ShownReading!);
        Assert.Equal(new ShownDigit('4', true, false), shown[5]);
        AssertValueBand(lcd, shown);
        var cell = SevenSegmentRenderer.Cell(5, 9, Ili9341MeterDisplay.ValueArea);
        var red = Rgb565.FromColor(Ili9341MeterDisplay.UncertainColor);
        // The underline: one bar under the cell, as wide as the cell, in red; none under its neighbours.
        var underlineY = (int)(cell.Bottom + cell.Width * 0.2f);
        for (var x = (int)cell.Left + 1; x < (int)cell.Right - 1; x++) Assert.Equal(red, At(lcd, x, underlineY));
        var left = SevenSegmentRenderer.Cell(4, 9, Ili9341MeterDisplay.ValueArea);
        Assert.Equal(Rgb565.Black, At(lcd, (int)left.MidX, underlineY));
        // The digit itself is red too (segment b of a 4 is lit, segment a is not).
        var rects = SevenSegmentRenderer.SegmentRects(cell);
        Assert.Equal(red, At(lcd, (int)rects[1].MidX, (int)rects[1].MidY));
        Assert.Equal(Rgb565.Black, At(lcd, (int)rects[0].MidX, (int)rects[0].MidY));
        // The windows row: the uncertain window is a red '?' with its confidence, 41%.
        var column = 320 / 8;
        var centre = 5 * column + column / 2;
        AssertText(lcd, "?", centre - 5, Ili9341MeterDisplay.WindowsArea.Top + 4, 2, Ili9341MeterDisplay.UncertainColor);
        AssertText(lcd, "41", centre - 5, Ili9341MeterDisplay.WindowsArea.Top + 4 + 16 + 4, 1, Ili9341MeterDisplay.TextColor);
        AssertText(lcd, "5", centre + column - 5, Ili9341MeterDisplay.WindowsArea.Top + 4, 2, Ili9341MeterDisplay.ValueColor);
        AssertText(lcd, "96", centre + column - 5, Ili9341MeterDisplay.WindowsArea.Top + 4 + 16 + 4, 1, Ili9341MeterDisplay.TextColor);
    }

    [Fact]
    public void Show_RefusedFrame_StatusSaysWhyInRedAndTheLastGoodValueStaysOnTheLcd()
    {
        using var board = DeviceBoard.Open(SimMeter(), NullLogger.Instance);
        var lcd = board.Part<Ili9341Emulator>()!;
        board.ShowOnStatusDisplays(Reading("00000458", 6, "ok", null, Noon));
        var header = Region(lcd, Ili9341MeterDisplay.HeaderArea);
        var value = Region(lcd, Ili9341MeterDisplay.ValueArea);
        var windows = Region(lcd, Ili9341MeterDisplay.WindowsArea);
        var sent = lcd.PixelsWritten;

        var later = Noon.AddSeconds(10);
        board.ShowOnStatusDisplays(Refused("frame not aligned: reference mark 1 not found: score 0.41 < 0.60 (the alignment score is too low to cut the windows)", later));

        // Only the status band went over SPI; header, value and windows are as they were.
        Assert.Equal(Ili9341MeterDisplay.StatusArea.Width * Ili9341MeterDisplay.StatusArea.Height, lcd.PixelsWritten - sent);
        Assert.Equal(header, Region(lcd, Ili9341MeterDisplay.HeaderArea));
        Assert.Equal(value, Region(lcd, Ili9341MeterDisplay.ValueArea));
        Assert.Equal(windows, Region(lcd, Ili9341MeterDisplay.WindowsArea));
        AssertValueBand(lcd, Shown4586);
        AssertClock(lcd, Noon);
        // The status: refused in red at its own time, the reason over two lines, cut with "..".
        AssertStatus(lcd, $"REFUSED {Clock(later)}", Ili9341MeterDisplay.UncertainColor,
            "frame not aligned: reference mark 1 not found: score", "0.41 < 0.60 (the alignment score is too low to cut..");
        Assert.Empty(lcd.Violations);
    }

    [Fact]
    public void Show_RejectedByTheRateRule_ValueKeptStatusAmberWindowsShowWhatWasRead()
    {
        using var board = DeviceBoard.Open(SimMeter(), NullLogger.Instance);
        var lcd = board.Part<Ili9341Emulator>()!;
        board.ShowOnStatusDisplays(Reading("00000458", 6, "ok", null, Noon));
        var value = Region(lcd, Ili9341MeterDisplay.ValueArea);
        var sent = lcd.PixelsWritten;

        var later = Noon.AddMinutes(1);
        board.ShowOnStatusDisplays(Reading("00003458", 6, "rejected", "rate 180000/h from 458.6 to 3458.6 exceeds MaxRatePerHour 60", later));

        Assert.Equal(value, Region(lcd, Ili9341MeterDisplay.ValueArea));
        var bands = SKRectI.Union(Ili9341MeterDisplay.StatusArea, Ili9341MeterDisplay.WindowsArea);
        Assert.Equal(bands.Width * bands.Height, lcd.PixelsWritten - sent);
        AssertStatus(lcd, $"REJECTED {Clock(later)}", Ili9341MeterDisplay.RejectedColor, "rate 180000/h from 458.6 to 3458.6 exceeds");
        // The window that jumped shows the 3 it read.
        AssertText(lcd, "3", 4 * 40 + 20 - 5, Ili9341MeterDisplay.WindowsArea.Top + 4, 2, Ili9341MeterDisplay.ValueColor);
        Assert.Equal("00000458", board.Part<Ili9341MeterDisplay>()!.ShownReading!.Text);
    }

    [Fact]
    public void Show_ReadingOfAnotherMode_NothingSentToTheLcd()
    {
        using var board = DeviceBoard.Open(SimMeter(), NullLogger.Instance);
        var lcd = board.Part<Ili9341Emulator>()!;
        var sent = lcd.PixelsWritten;
        board.ShowOnStatusDisplays(new DeviceReading { Mode = "sorter", Text = "12", Digits = [new("1", 0.9f, [0, 0, 1, 1]), new("2", 0.9f, [0, 0, 1, 1])] });
        Assert.Equal(sent, lcd.PixelsWritten);
        AssertStatus(lcd, "WAITING", Ili9341MeterDisplay.TextColor, "for the first reading");
    }

    [Fact]
    public void Open_MeterDisplayNone_NoMeterDisplayOnTheBoard()
    {
        var o = SimMeter();
        o.Meter.Display = "None";
        using var board = DeviceBoard.Open(o, NullLogger.Instance);
        Assert.Null(board.Part<Ili9341MeterDisplay>());
        Assert.NotNull(board.Part<Ili9341>());
    }

    [Fact]
    public void Show_SixteenWindows_RowStillFitsAndTheHeaderWithoutAKindSaysMeter()
    {
        var o = SimMeter();
        o.Meter.Kind = "";
        using var board = DeviceBoard.Open(o, NullLogger.Instance);
        var lcd = board.Part<Ili9341Emulator>()!;
        board.ShowOnStatusDisplays(Reading("0123456789012345", 7, "ok", null, Noon));
        AssertText(lcd, "meter", Ili9341MeterDisplay.Margin, Ili9341MeterDisplay.Margin, 2, Ili9341MeterDisplay.TextColor);
        // 20 px a column: the last window's 5 and its confidence (0.9 + 15/100 clamps to 100%).
        AssertText(lcd, "5", 15 * 20 + 10 - 5, Ili9341MeterDisplay.WindowsArea.Top + 4, 2, Ili9341MeterDisplay.ValueColor);
        AssertText(lcd, "100", 15 * 20 + 10 - 8, Ili9341MeterDisplay.WindowsArea.Top + 24, 1, Ili9341MeterDisplay.TextColor);
    }

    [Theory]
    [InlineData("short reason", 52, 2, new[] { "short reason" })]
    [InlineData("aa bb cc dd", 5, 2, new[] { "aa bb", "cc dd" })]
    [InlineData("aa bb cc dd ee", 5, 2, new[] { "aa bb", "cc.." })]
    [InlineData("abcdefghij", 4, 2, new[] { "abcd", "ef.." })]
    public void Wrap_Reason_BrokenAtSpacesAndCutWithDots(string text, int width, int lines, string[] expected) =>
        Assert.Equal(expected, Ili9341MeterDisplay.Wrap(text, width, lines));
}
