using System.Device.Gpio;
using EdgeDigits.Hardware.Ili934x;
using EdgeDigits.Hardware.Simulation.Ili934x;
using EdgeDigits.Hardware.Tests.TestInfrastructure;
using EdgeDigits.Tests.Shared;
using SkiaSharp;

namespace EdgeDigits.Hardware.Tests.Ili934x;

public class Ili9341Tests
{
    private sealed class Rig : IDisposable
    {
        public Board Board { get; } = new();
        public Ili9341Emulator Panel { get; }
        public Ili9341 Lcd { get; }

        public Rig(int driverTransfer = 4096, int panelTransfer = 4096)
        {
            Panel = new Ili9341Emulator(Board.Chip, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset, PinMap.Ili9341Backlight, maxTransferSize: panelTransfer);
            Lcd = new Ili9341(Panel, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset, PinMap.Ili9341Backlight, driverTransfer, Board.Gpio, shouldDispose: false, time: Board.Clock);
        }

        public void Dispose()
        {
            Lcd.Dispose();
            Board.Dispose();
        }
    }

    [Fact]
    public void Initialize_OnEmulatedPanel_FollowsDatasheetSequenceWithoutViolations()
    {
        using var rig = new Rig();
        rig.Lcd.Initialize(Ili9341Rotation.Landscape);

        Assert.Empty(rig.Panel.Violations);
        Assert.True(rig.Panel.HasBeenReset);
        Assert.False(rig.Panel.Sleeping);
        Assert.True(rig.Panel.DisplayOn);
        Assert.True(rig.Panel.BacklightOn);
        Assert.Equal((byte)0x55, rig.Panel.PixelFormat);
        Assert.Equal(MemoryAccess.MV | MemoryAccess.Bgr, rig.Panel.MemoryAccess);
        Assert.Equal((byte)Ili9341Command.SoftwareReset, rig.Panel.CommandLog[0]);
        Assert.Equal((byte)Ili9341Command.DisplayOn, rig.Panel.CommandLog[^1]);
        // RESET pulse low for >= 10 us, measured on the emulated pin.
        var reset = rig.Board.Chip.TransitionsOf(PinMap.Ili9341Reset);
        var low = reset.First(t => t.Value == PinValue.Low);
        var high = reset.First(t => t.Value == PinValue.High && t.Time > low.Time);
        Assert.True(high.Time - low.Time >= TimeSpan.FromMicroseconds(10));
        // Sleep Out then 120 ms wait before Display On: total init takes at least 245 ms of virtual time.
        Assert.True(rig.Board.Clock.Elapsed >= TimeSpan.FromMilliseconds(245));
    }

    [Fact]
    public void Clear_FullFrame_SendsExactBytesInSpidevSizedTransfers()
    {
        using var rig = new Rig();
        rig.Lcd.Initialize();
        var bytesBefore = rig.Panel.BytesWritten;
        var transfersBefore = rig.Panel.Transfers;

        rig.Lcd.Clear(Rgb565.FromRgb(0, 0, 255));

        Assert.Equal(320 * 240 * 2 + 11, rig.Panel.BytesWritten - bytesBefore);
        Assert.Equal(5 + (int)Math.Ceiling(320 * 240 * 2 / 4096.0), rig.Panel.Transfers - transfersBefore);
        Assert.Equal(320 * 240, rig.Panel.PixelsWritten);
        Assert.Equal(new SKColor(0, 0, 255), rig.Panel.GetPixel(319, 239).ToColor());
        Assert.Empty(rig.Panel.Violations);
    }

    [Fact]
    public void DrawBitmap_Region_UpdatesOnlyThatWindowWithTheRightPixels()
    {
        using var rig = new Rig();
        rig.Lcd.Initialize();
        rig.Lcd.Clear(Rgb565.Black);
        using var bmp = new SKBitmap(320, 240);
        using (var canvas = new SKCanvas(bmp))
        {
            canvas.Clear(SKColors.White);
            using var red = new SKPaint { Color = SKColors.Red };
            canvas.DrawRect(100, 50, 20, 30, red); // the "digit" that changed
        }
        var before = rig.Panel.BytesWritten;

        rig.Lcd.DrawBitmap(bmp, new SKRectI(96, 46, 96 + 64, 46 + 96), 96, 46);

        Assert.Equal(64 * 96 * 2 + 11, rig.Panel.BytesWritten - before);
        Assert.Equal(new SKColor(255, 0, 0), rig.Panel.GetPixel(100, 50).ToColor());
        Assert.Equal(new SKColor(255, 0, 0), rig.Panel.GetPixel(119, 79).ToColor());
        Assert.Equal(SKColors.White, rig.Panel.GetPixel(96, 46).ToColor());
        Assert.Equal(SKColors.White, rig.Panel.GetPixel(159, 141).ToColor());
        Assert.Equal(SKColors.Black, rig.Panel.GetPixel(95, 46).ToColor()); // outside the window: untouched
        Assert.Equal(SKColors.Black, rig.Panel.GetPixel(160, 141).ToColor());
        Assert.Equal(SKColors.Black, rig.Panel.GetPixel(96, 142).ToColor());
        Assert.Empty(rig.Panel.Violations);
    }

    [Fact]
    public void DrawBitmap_PortraitRotation_LandsInPortraitAddressSpace()
    {
        using var rig = new Rig();
        rig.Lcd.Initialize(Ili9341Rotation.Portrait);
        Assert.Equal((240, 320), (rig.Lcd.Width, rig.Lcd.Height));
        Assert.Equal(MemoryAccess.MX | MemoryAccess.Bgr, rig.Panel.MemoryAccess);
        using var bmp = new SKBitmap(240, 320);
        bmp.Erase(SKColors.Black);
        bmp.SetPixel(10, 300, SKColors.Lime);
        rig.Lcd.DrawBitmap(bmp);
        Assert.Equal(new SKColor(0, 255, 0), rig.Panel.GetPixel(10, 300).ToColor());
        Assert.Empty(rig.Panel.Violations);
    }

    [Fact]
    public void SendCommand_BeforeInitialize_IsFlaggedByThePanel()
    {
        using var rig = new Rig();
        rig.Lcd.SendCommand(Ili9341Command.MemoryWrite);
        Assert.Contains(rig.Panel.Violations, v => v.Contains("command 0x2C before any reset"));
        Assert.Contains(rig.Panel.Violations, v => v.Contains("Memory Write before init"));
        Assert.Throws<InvalidOperationException>(() => rig.Lcd.Clear(Rgb565.Black));
    }

    [Fact]
    public void SendCommand_ColumnWindowBeyondPortraitWidth_IsFlaggedAndNotWritten()
    {
        using var rig = new Rig();
        rig.Lcd.Initialize(Ili9341Rotation.Portrait);
        rig.Lcd.SendCommand(Ili9341Command.ColumnAddressSet, 0, 0, 0x01, 0x3F); // 0..319 but portrait is 240 wide
        rig.Lcd.SendCommand(Ili9341Command.PageAddressSet, 0, 0, 0, 0);
        rig.Lcd.SendCommand(Ili9341Command.MemoryWrite, 0xFF, 0xFF);
        Assert.Contains(rig.Panel.Violations, v => v.Contains("column window 0..319 is outside the panel (0..239"));
        Assert.Equal(0, rig.Panel.PixelsWritten);
    }

    [Fact]
    public void FillRect_OutsidePanel_ThrowsNamingDevice()
    {
        using var rig = new Rig();
        rig.Lcd.Initialize();
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => rig.Lcd.FillRect(300, 0, 40, 10, Rgb565.White));
        Assert.Contains("ILI9341 on /dev/spidev0.0: window 40x10 at (300,0) is outside the 320x240 panel", ex.Message);
    }

    [Fact]
    public void Initialize_SpiGlitchOnCommand_IsRetried()
    {
        using var rig = new Rig();
        rig.Panel.InjectFailures(1);
        rig.Lcd.Initialize();
        Assert.Empty(rig.Panel.Violations);
        Assert.True(rig.Panel.DisplayOn);
    }

    [Fact]
    public void WritePixels_TransferLargerThanSpidevBuffer_FailsWithClearError()
    {
        using var rig = new Rig(driverTransfer: 65536, panelTransfer: 4096);
        rig.Lcd.Initialize();
        var ex = Assert.Throws<HardwareFaultException>(() => rig.Lcd.Clear(Rgb565.White));
        Assert.Contains("ILI9341 on /dev/spidev0.0", ex.Message);
        Assert.Contains("Message too long", ex.Message);
    }

    [Fact]
    public void Dispose_SwitchesBacklightOff()
    {
        var rig = new Rig();
        rig.Lcd.Initialize();
        Assert.Equal(PinValue.High, rig.Board.Chip.GetLevel(PinMap.Ili9341Backlight));
        rig.Lcd.Dispose();
        Assert.Equal(PinValue.Low, rig.Board.Chip.GetLevel(PinMap.Ili9341Backlight));
        rig.Board.Dispose();
    }

    [Fact]
    public void SavePng_AfterDraw_WritesDecodablePngOfTheScreen()
    {
        using var rig = new Rig();
        rig.Lcd.Initialize();
        rig.Lcd.Clear(Rgb565.FromRgb(255, 255, 0));
        var dir = RepoPaths.NewTempDir();
        var path = Path.Combine(dir, "panel.png");
        rig.Panel.SavePng(path);
        using var png = SKBitmap.Decode(path);
        Assert.Equal((320, 240), (png.Width, png.Height));
        Assert.Equal(new SKColor(255, 255, 0), png.GetPixel(160, 120));
        Directory.Delete(dir, true);
    }

    [Theory]
    [InlineData(320, 240, 32_000_000, 153_611, 38.40)]
    [InlineData(64, 96, 32_000_000, 12_299, 3.07)]
    [InlineData(320, 240, 16_000_000, 153_611, 76.81)]
    public void EstimateTransferTime_Window_GivesBytesAndBusTime(int w, int h, int clock, long bytes, double ms)
    {
        var e = Ili9341.EstimateTransferTime(w, h, clock);
        Assert.Equal(bytes, e.Bytes);
        Assert.Equal(ms, e.Time.TotalMilliseconds, 2);
    }

    [Fact]
    public void Constructor_GpioChipWithoutResetPin_ThrowsNamingPin()
    {
        using var board = new Board();
        board.Chip.MarkMissing(PinMap.Ili9341Reset);
        var panel = new Ili9341Emulator(board.Chip, PinMap.Ili9341DataCommand);
        var ex = Assert.Throws<HardwareUnavailableException>(() => new Ili9341(panel, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset, gpio: board.Gpio, shouldDispose: false, time: board.Clock));
        Assert.Contains("ILI9341 on /dev/spidev0.0 RESET pin GPIO24", ex.Message);
    }
}

public class Ili9341ColorTypeTests
{
    [Theory]
    [InlineData(SKColorType.Rgba8888)]
    [InlineData(SKColorType.Bgra8888)]
    [InlineData(SKColorType.Rgb565)]
    [InlineData(SKColorType.Gray8)]
    public void DrawBitmap_AnyColorType_SamePanelPixels(SKColorType type)
    {
        using var board = new Board();
        var panel = new Ili9341Emulator(board.Chip, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset);
        using var lcd = new Ili9341(panel, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset, gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        lcd.Initialize();
        using var bmp = new SKBitmap(new SKImageInfo(50, 40, type, SKAlphaType.Opaque));
        using (var c = new SKCanvas(bmp))
        {
            c.Clear(SKColors.Black);
            using var p = new SKPaint { Color = type == SKColorType.Gray8 ? SKColors.White : SKColors.Blue };
            c.DrawRect(20, 10, 5, 5, p);
        }
        lcd.DrawBitmap(bmp, new SKRectI(10, 5, 40, 30), 200, 100);
        var expected = type == SKColorType.Gray8 ? SKColors.White : SKColors.Blue;
        Assert.Equal(expected, panel.GetPixel(210, 105).ToColor());
        Assert.Equal(expected, panel.GetPixel(214, 109).ToColor());
        Assert.Equal(SKColors.Black, panel.GetPixel(209, 105).ToColor());
        Assert.Equal(SKColors.Black, panel.GetPixel(215, 110).ToColor());
        Assert.Empty(panel.Violations);
    }
}

public class Ili9341EmulatorRulesTests
{
    [Fact]
    public void MemoryWrite_WindowFromLandscapeAfterSwitchToPortrait_IsFlaggedNotCrashing()
    {
        using var board = new Board();
        var panel = new Ili9341Emulator(board.Chip, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset);
        using var lcd = new Ili9341(panel, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset, gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        lcd.Initialize(Ili9341Rotation.Landscape);
        lcd.SendCommand(Ili9341Command.ColumnAddressSet, 0x01, 0x00, 0x01, 0x3F); // 256..319: fine in landscape
        lcd.SendCommand(Ili9341Command.PageAddressSet, 0, 0, 0, 9);
        lcd.SendCommand(Ili9341Command.MemoryAccessControl, (byte)Ili9341.MemoryAccessFor(Ili9341Rotation.Portrait));
        lcd.SendCommand(Ili9341Command.MemoryWrite, 0xFF, 0xFF);
        Assert.Contains(panel.Violations, v => v.Contains("Memory Write into an invalid window (columns 256..319"));
        Assert.Equal(0, panel.PixelsWritten);
    }

    [Fact]
    public void ResetPulse_ShorterThanTenMicroseconds_IsFlagged()
    {
        using var board = new Board();
        var panel = new Ili9341Emulator(board.Chip, PinMap.Ili9341DataCommand, PinMap.Ili9341Reset);
        board.Gpio.OpenPin(PinMap.Ili9341Reset, System.Device.Gpio.PinMode.Output, System.Device.Gpio.PinValue.High);
        board.Gpio.Write(PinMap.Ili9341Reset, System.Device.Gpio.PinValue.Low);
        board.Clock.Advance(TimeSpan.FromMicroseconds(3));
        board.Gpio.Write(PinMap.Ili9341Reset, System.Device.Gpio.PinValue.High);
        Assert.Contains(panel.Violations, v => v.Contains("RESET pulse 3.0 us is shorter than 10 us"));
        Assert.False(panel.HasBeenReset);
    }

    [Fact]
    public void SleepOut_SoonerThan120MsAfterReset_IsFlagged()
    {
        using var board = new Board();
        var panel = new Ili9341Emulator(board.Chip, PinMap.Ili9341DataCommand);
        using var lcd = new Ili9341(panel, PinMap.Ili9341DataCommand, gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        lcd.SendCommand(Ili9341Command.SoftwareReset);
        board.Advance(10);
        lcd.SendCommand(Ili9341Command.SleepOut);
        Assert.Contains(panel.Violations, v => v.Contains("Sleep Out 10.00 ms after reset (datasheet: wait 120 ms)"));
    }
}
