using EdgeDigits.Hardware.Simulation.Ssd13xx;
using EdgeDigits.Hardware.Ssd13xx;

namespace EdgeDigits.Hardware.Tests.Ssd13xx;

/// <summary>Why our <see cref="Ssd1306"/> stays ours: the Iot.Device.Bindings 4.2.0 SSD1306 on the same emulated panel. If a later binding passes, these fail and the decision in Ssd13xx/README.md is due again.</summary>
public class Ssd1306BindingTests
{
    [Fact]
    public void BindingConstructor_128x64Panel_InitialisesFor32RowsThenNeedsAnImageFactory()
    {
        var panel = new Ssd1306Emulator();

        // Its constructor clears the screen through Iot.Device.Graphics.BitmapImage, which needs an
        // image factory; the SkiaSharp adapter package that provides one is not on the registry.
        var ex = Assert.Throws<InvalidOperationException>(() => new Iot.Device.Ssd13xx.Ssd1306(panel, 128, 64));
        Assert.Contains("No image factory registered", ex.Message);

        // The init it sent before that is the 128x32 one whatever size is asked for: 32 rows driven.
        Assert.Equal(31, panel.MultiplexRatio);
        Assert.Equal(0, panel.AddressingMode); // horizontal: no page-by-page partial updates
        Assert.Equal(0, panel.DataBytes);
    }

    [Fact]
    public void OurInitialize_128x64Panel_DrivesAll64Rows()
    {
        var panel = new Ssd1306Emulator();
        using var oled = new Ssd1306(panel, shouldDispose: false);
        oled.Initialize();
        Assert.Equal(63, panel.MultiplexRatio);
        Assert.Equal(2, panel.AddressingMode);
    }
}
