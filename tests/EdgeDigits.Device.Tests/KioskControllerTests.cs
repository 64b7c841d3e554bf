using EdgeDigits.Hardware.Simulation.Xpt204x;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Display;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Tests.TestInfrastructure;
using EdgeDigits.Hardware.Simulation.Ili934x;
using Microsoft.Extensions.Logging.Abstractions;
using SkiaSharp;

namespace EdgeDigits.Device.Tests;

public class KioskControllerTests
{
    internal static DeviceOptions SimKiosk() => new() { Modes = ["Kiosk"], Hardware = "Simulated", Displays = new DisplayOptions { Ili9341 = true }, Kiosk = new KioskOptions { PenUpMs = 100 } };

    /// <summary>True when the emulated panel shows <paramref name="text"/> as the kiosk draws it: every lit segment lit, every dark one dark.</summary>
    internal static bool PanelShows(Ili9341Emulator lcd, string text, out string why)
    {
        using var screen = lcd.RenderScreen();
        return PanelShows(screen, text, out why);
    }

    /// <summary>The same check on any screen image; the kiosk's 320x240 panel sits there enlarged <paramref name="scale"/> times at (<paramref name="offsetX"/>, <paramref name="offsetY"/>).</summary>
    internal static bool PanelShows(SKBitmap screen, string text, out string why, int scale = 1, int offsetX = 0, int offsetY = 0)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var cell = SevenSegmentRenderer.Cell(i, text.Length, KioskController.ResultArea);
            var rects = SevenSegmentRenderer.SegmentRects(cell);
            var bits = SevenSegmentRenderer.SegmentsFor(text[i]);
            for (var s = 0; s < 7; s++)
            {
                var px = screen.GetPixel(offsetX + (int)rects[s].MidX * scale, offsetY + (int)rects[s].MidY * scale);
                var lit = px.Red > 200;
                if (lit != ((bits & (1 << s)) != 0)) { why = $"digit {i} '{text[i]}' segment {"abcdefg"[s]} is {(lit ? "lit" : "dark")}"; return false; }
            }
        }
        why = "";
        return true;
    }

    private static void Stroke(DeviceBoard b, KioskController k, params (double X, double Y)[] pts)
    {
        foreach (var (x, y) in pts)
        {
            b.Part<Xpt2046Emulator>()!.Touch(x, y);
            k.Step();
            k.Step();
        }
        b.Part<Xpt2046Emulator>()!.Lift();
        k.Step();
    }

    [Fact]
    public void Step_PenMoves_InkAppearsOnEmulatedPanelAlongStroke()
    {
        using var board = DeviceBoard.Open(SimKiosk(), NullLogger.Instance);
        var stub = new RecognizerStub(new DeviceReading());
        using var k = new KioskController(board, SimKiosk().Kiosk, stub.ReadInk, _ => { }, NullLogger.Instance);
        var sentBefore = board.Part<Ili9341Emulator>()!.BytesWritten;
        Stroke(board, k, (100, 100), (110, 100), (120, 100), (130, 100), (140, 100));
        using var screen = board.Part<Ili9341Emulator>()!.RenderScreen();
        for (var x = 102; x <= 138; x += 4) Assert.True(screen.GetPixel(x, 100).Red > 200, $"no ink at ({x},100)");
        Assert.True(screen.GetPixel(120, 130).Red < 50, "ink where the pen never was");
        // Each segment is a small window write, far below a full frame per point.
        Assert.True(board.Part<Ili9341Emulator>()!.BytesWritten - sentBefore < 5 * 2000, $"sent {board.Part<Ili9341Emulator>()!.BytesWritten - sentBefore} bytes for a short stroke");
        Assert.Empty(board.Part<Ili9341Emulator>()!.Violations);
    }

    [Fact]
    public void Step_AfterPenUpPause_RecognizesAndShowsNumberWithUncertainDigitInRed()
    {
        using var board = DeviceBoard.Open(SimKiosk(), NullLogger.Instance);
        var answer = new DeviceReading
        {
            Text = "4?",
            Digits = [new DigitResult("4", 0.99f, [0, 0, 1, 1]), new DigitResult("?", 0.3f, [0, 0, 1, 1]) { Best = "7" }],
        };
        var stub = new RecognizerStub(answer);
        var shown = new List<DeviceReading>();
        using var k = new KioskController(board, SimKiosk().Kiosk, stub.ReadInk, shown.Add, NullLogger.Instance);
        Stroke(board, k, (60, 80), (60, 120), (90, 120));
        Assert.Empty(shown);
        Thread.Sleep(120);
        k.Step();
        Assert.Single(shown);
        var first = stub.Inks.Single().Strokes[0][0];
        Assert.Equal((60f, 80f), (first.X, first.Y));
        Assert.True(PanelShows(board.Part<Ili9341Emulator>()!, "47", out var why), why);
        // An uncertain digit lights the error LED, not the ok one.
        Assert.Equal(System.Device.Gpio.PinValue.High, board.SimGpio!.GetLevel(27));
        Assert.Equal(System.Device.Gpio.PinValue.Low, board.SimGpio.GetLevel(22));
        Assert.Equal(System.Device.Gpio.PinValue.Low, board.SimGpio.GetLevel(23));
        using var screen = board.Part<Ili9341Emulator>()!.RenderScreen();
        var cell = SevenSegmentRenderer.Cell(1, 2, KioskController.ResultArea);
        var a = SevenSegmentRenderer.SegmentRects(cell)[0];
        var px = screen.GetPixel((int)a.MidX, (int)a.MidY);
        Assert.True(px.Red > 200 && px.Green < 50, $"uncertain digit is not red: {px}");
        Assert.Equal(SKColors.White.Red, screen.GetPixel((int)SevenSegmentRenderer.SegmentRects(SevenSegmentRenderer.Cell(0, 2, KioskController.ResultArea))[1].MidX, (int)SevenSegmentRenderer.SegmentRects(SevenSegmentRenderer.Cell(0, 2, KioskController.ResultArea))[1].MidY).Red);
    }

    [Fact]
    public void Step_TouchInClearArea_ErasesInkWithoutRecognizing()
    {
        using var board = DeviceBoard.Open(SimKiosk(), NullLogger.Instance);
        var stub = new RecognizerStub(new DeviceReading());
        using var k = new KioskController(board, SimKiosk().Kiosk, stub.ReadInk, _ => { }, NullLogger.Instance);
        Stroke(board, k, (100, 100), (140, 140));
        Stroke(board, k, (300, 15));
        Thread.Sleep(120);
        k.Step();
        Assert.Empty(stub.Inks);
        using var screen = board.Part<Ili9341Emulator>()!.RenderScreen();
        Assert.True(screen.GetPixel(120, 120).Red < 50, "ink not erased");
    }

    [Fact]
    public void Dispose_Board_LeavesLcdClearedAndDark()
    {
        var board = DeviceBoard.Open(SimKiosk(), NullLogger.Instance);
        var lcd = board.Part<Ili9341Emulator>()!;
        var gpio = board.SimGpio!;
        using (var k = new KioskController(board, SimKiosk().Kiosk, new RecognizerStub(new DeviceReading()).ReadInk, _ => { }, NullLogger.Instance))
            Stroke(board, k, (100, 100), (140, 140));
        board.Dispose();
        using var screen = lcd.RenderScreen();
        Assert.True(screen.GetPixel(120, 120).Red < 10);
        Assert.Equal(System.Device.Gpio.PinValue.Low, gpio.TransitionsOf(18).Last().Value);
    }
}
