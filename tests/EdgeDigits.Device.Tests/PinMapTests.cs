using System.Text.Json;
using EdgeDigits.Hardware;

namespace EdgeDigits.Device.Tests;

public class PinMapTests
{
    [Fact]
    public void DefaultAppsettings_Pins_AgreeWithHardwarePinMap()
    {
        var root = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "src", "EdgeDigits.Device", "appsettings.json"))).RootElement.GetProperty("EdgeDigits");
        var pins = root.GetProperty("Pins");
        int P(string name) => pins.GetProperty(name).GetInt32();
        Assert.Equal(PinMap.SpiBus, P("SpiBus"));
        Assert.Equal(PinMap.Ili9341ChipSelect, P("LcdChipSelect"));
        Assert.Equal(PinMap.Ili9341DataCommand, P("LcdDc"));
        Assert.Equal(PinMap.Ili9341Reset, P("LcdReset"));
        Assert.Equal(PinMap.Ili9341Backlight, P("LcdBacklight"));
        Assert.Equal(PinMap.Xpt2046ChipSelect, P("TouchChipSelect"));
        Assert.Equal(PinMap.Xpt2046PenIrq, P("TouchIrq"));
        Assert.Equal(PinMap.I2cBus, P("I2cBus"));
        Assert.Equal(PinMap.Ssd1306Address, P("OledAddress"));
        Assert.Equal(PinMap.Tm1637Clock, P("Tm1637Clk"));
        Assert.Equal(PinMap.Tm1637Data, P("Tm1637Dio"));
        Assert.Equal(PinMap.LedOk, P("LedOk"));
        Assert.Equal(PinMap.LedBusy, P("LedBusy"));
        Assert.Equal(PinMap.LedError, P("LedError"));
        Assert.Equal(PinMap.Trigger, P("Trigger"));
        var gates = root.GetProperty("Sorter").GetProperty("Gates").EnumerateArray().ToDictionary(g => g.GetProperty("Name").GetString()!, g => g.GetProperty("Pin").GetInt32());
        Assert.Equal(new Dictionary<string, int> { ["A"] = PinMap.GateA, ["B"] = PinMap.GateB, ["C"] = PinMap.GateC, ["reject"] = PinMap.GateReject }, gates);
    }
}
