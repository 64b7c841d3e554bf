using EdgeDigits.Hardware.Simulation.Tm16xx;
using EdgeDigits.Hardware.Tests.TestInfrastructure;
using EdgeDigits.Hardware.Tm16xx;

namespace EdgeDigits.Hardware.Tests.Tm16xx;

public class Tm1637Tests
{
    [Fact]
    public void Display_ClockText_DecodedFromPinTransitionsAsTwelveColonThirtyFour()
    {
        using var board = new Board();
        var module = new Tm1637Emulator(board.Chip, PinMap.Tm1637Clock, PinMap.Tm1637Data);
        using var tm = new Tm1637(PinMap.Tm1637Clock, PinMap.Tm1637Data, gpio: board.Gpio, shouldDispose: false, time: board.Clock);

        tm.Display("12:34");

        Assert.Equal("12:34", module.Text);
        Assert.Equal(new byte[] { 0x06, 0x5B | 0x80, 0x4F, 0x66 }, module.Segments);
        Assert.Equal(3, module.Frames); // data command, address + 4 grids, display control
        Assert.Equal(1 + 5 + 1, module.BytesAcknowledged);
        Assert.True(module.DisplayOn);
        Assert.Equal(7, module.Brightness);
        Assert.True(module.Violations.Count == 0, string.Join("\n", module.Violations));
        Assert.Equal(TimeSpan.FromMicroseconds(5), module.ShortestClockPulse);
    }

    [Fact]
    public void Display_SixDigitModule_MapsGridsInModuleOrder()
    {
        using var board = new Board();
        var module = new Tm1637Emulator(board.Chip, PinMap.Tm1637Clock, PinMap.Tm1637Data, digits: 6);
        using var tm = new Tm1637(PinMap.Tm1637Clock, PinMap.Tm1637Data, digits: 6, gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        tm.Display("-12.5");
        Assert.Equal("  -12.5", module.Text);
        Assert.Empty(module.Violations);
    }

    [Fact]
    public void SetBrightnessAndPower_SendDisplayControl()
    {
        using var board = new Board();
        var module = new Tm1637Emulator(board.Chip, PinMap.Tm1637Clock, PinMap.Tm1637Data);
        using var tm = new Tm1637(PinMap.Tm1637Clock, PinMap.Tm1637Data, gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        tm.Display("8888");
        tm.SetBrightness(2);
        Assert.Equal(2, module.Brightness);
        tm.SetPower(false);
        Assert.False(module.DisplayOn);
        Assert.Equal("", module.Text);
        Assert.Throws<ArgumentOutOfRangeException>(() => tm.SetBrightness(8));
    }

    [Fact]
    public void Display_NoModuleConnected_ThrowsNoAckNamingPins()
    {
        using var board = new Board();
        using var tm = new Tm1637(PinMap.Tm1637Clock, PinMap.Tm1637Data, gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        var ex = Assert.Throws<HardwareFaultException>(() => tm.Display("1234"));
        Assert.StartsWith("TM1637 on CLK GPIO5/DIO GPIO6: no ACK for command 0x40", ex.Message);
    }

    [Fact]
    public void Display_TooFastBitDelay_FlaggedByEmulatorTiming()
    {
        using var board = new Board();
        var module = new Tm1637Emulator(board.Chip, PinMap.Tm1637Clock, PinMap.Tm1637Data);
        using var tm = new Tm1637(PinMap.Tm1637Clock, PinMap.Tm1637Data, bitDelay: TimeSpan.FromTicks(2), gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        tm.Display("1");
        Assert.Contains(module.Violations, v => v.Contains("(< 0.4 us)"));
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("W")]
    public void Display_TextThatDoesNotFit_Throws(string text)
    {
        using var board = new Board();
        using var tm = new Tm1637(PinMap.Tm1637Clock, PinMap.Tm1637Data, gpio: board.Gpio, shouldDispose: false, time: board.Clock);
        Assert.Throws<ArgumentException>(() => tm.Display(text));
    }
}
