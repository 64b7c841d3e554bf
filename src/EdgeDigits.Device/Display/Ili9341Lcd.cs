using EdgeDigits.Device.Board;
using EdgeDigits.Hardware.Ili934x;
using EdgeDigits.Hardware.Simulation.Ili934x;

namespace EdgeDigits.Device.Display;

/// <summary>The 320x240 ILI9341 LCD on SPI0 (the kiosk's panel; the page mirrors it).</summary>
public static class Ili9341Lcd
{
    /// <summary>Opens the LCD in landscape, black with the backlight on (or its emulated panel); on dispose it is cleared and dark.</summary>
    public static Ili9341 Open(DeviceBoard b)
    {
        var p = b.Options.Pins;
        var hz = b.Options.Displays.SpiClockHz;
        var spi = b.Spi("ILI9341 LCD", p.SpiBus, p.LcdChipSelect, hz, gpio => new Ili9341Emulator(gpio, p.LcdDc, p.LcdReset, p.LcdBacklight, p.SpiBus, p.LcdChipSelect, hz));
        var lcd = b.Add(new Ili9341(spi, p.LcdDc, p.LcdReset, p.LcdBacklight, gpio: b.Gpio, shouldDispose: false), () =>
        {
            lock (b.LcdLock)
            {
                var l = b.Part<Ili9341>()!;
                l.Clear(new Rgb565(0));
                l.SetBacklight(false);
            }
        });
        lcd.Initialize(Ili9341Rotation.Landscape);
        lcd.Clear(new Rgb565(0));
        lcd.SetBacklight(true);
        return lcd;
    }
}
