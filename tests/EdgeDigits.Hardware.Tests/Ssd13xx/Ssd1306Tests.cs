using EdgeDigits.Hardware.Simulation.Ssd13xx;
using EdgeDigits.Hardware.Ssd13xx;
using SkiaSharp;

namespace EdgeDigits.Hardware.Tests.Ssd13xx;

public class Ssd1306Tests
{
    [Fact]
    public void Initialize_EmulatedPanel_OnUprightPageModeClear()
    {
        var panel = new Ssd1306Emulator();
        using var oled = new Ssd1306(panel, shouldDispose: false);
        oled.Initialize();
        Assert.Empty(panel.Violations);
        Assert.True(panel.DisplayOn);
        Assert.True(panel.ChargePumpOn);
        Assert.Equal(2, panel.AddressingMode);
        Assert.True(panel.SegmentRemap && panel.ComScanReversed);
        Assert.Equal(1024, panel.DataBytes);
        Assert.False(panel.IsLit(0, 0));
    }

    [Fact]
    public void DrawBitmap_Rectangle_LitExactlyWhereDrawnAndOnlyChangedPagesSent()
    {
        var panel = new Ssd1306Emulator();
        using var oled = new Ssd1306(panel, shouldDispose: false);
        oled.Initialize();
        using var bmp = new SKBitmap(128, 64);
        using (var c = new SKCanvas(bmp))
        {
            c.Clear(SKColors.Black);
            using var white = new SKPaint { Color = SKColors.White };
            c.DrawRect(10, 20, 30, 10, white); // rows 20..29: pages 2 and 3
        }
        var before = panel.DataBytes;
        var pages = oled.DrawBitmap(bmp);

        Assert.Equal(2, pages);
        Assert.Equal(2 * 128, panel.DataBytes - before);
        for (var y = 0; y < 64; y++)
            for (var x = 0; x < 128; x++)
                Assert.True((x is >= 10 and < 40 && y is >= 20 and < 30) == panel.IsLit(x, y), $"pixel ({x},{y})");
        Assert.Equal(0, oled.DrawBitmap(bmp)); // nothing changed: nothing sent
        Assert.Empty(panel.Violations);
    }

    [Fact]
    public void SetInverted_InvertsGlass()
    {
        var panel = new Ssd1306Emulator();
        using var oled = new Ssd1306(panel, shouldDispose: false);
        oled.Initialize();
        oled.SetInverted(true);
        Assert.True(panel.IsLit(64, 32));
    }

    [Fact]
    public void Update_BeforeInitialize_Throws()
    {
        using var oled = new Ssd1306(new Ssd1306Emulator());
        var ex = Assert.Throws<InvalidOperationException>(() => oled.Update(new byte[1024]));
        Assert.Contains("SSD1306 on /dev/i2c-1 at 0x3C", ex.Message);
    }

    [Fact]
    public void Initialize_OneNak_IsRetried_PersistentNak_ThrowsNamingBus()
    {
        var panel = new Ssd1306Emulator();
        using var oled = new Ssd1306(panel, shouldDispose: false);
        panel.InjectFailures(1);
        oled.Initialize();
        Assert.True(panel.DisplayOn);
        panel.InjectFailures(5);
        var ex = Assert.Throws<HardwareFaultException>(() => oled.SetContrast(10));
        Assert.StartsWith("SSD1306 on /dev/i2c-1 at 0x3C: transfer failed 3 times", ex.Message);
    }

    [Fact]
    public void Emulator_DataBeforeInit_IsFlagged()
    {
        var panel = new Ssd1306Emulator();
        panel.Write([0x40, 0xFF]);
        Assert.Contains(panel.Violations, v => v.Contains("before init"));
    }
}

public class Ssd1306SizeTests
{
    [Fact]
    public void Initialize_128x32_UsesFourPagesAndMultiplex31()
    {
        var panel = new Ssd1306Emulator();
        using var oled = new Ssd1306(panel, 128, 32, shouldDispose: false);
        oled.Initialize();
        Assert.Equal(4, oled.Pages);
        Assert.Equal(512, panel.DataBytes);
        Assert.Empty(panel.Violations);
    }

    [Fact]
    public void Constructor_UnsupportedSize_ThrowsNamingSize()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new Ssd1306(new Ssd1306Emulator(), 96, 16));
        Assert.Contains("96x16 is not 128x64 or 128x32", ex.Message);
    }
}
