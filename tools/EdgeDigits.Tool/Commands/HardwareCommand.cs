using System.CommandLine;
using EdgeDigits.Hardware.Simulation;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits hardware</c>: figures about the device's buses (subcommand <c>figures</c>).</summary>
public sealed class HardwareCommand : Command
{
    /// <summary>Creates the command and its subcommands.</summary>
    public HardwareCommand() : base("hardware", "Hardware bus figures (LCD/touch/OLED/7-segment update cost).")
    {
        Add(new HardwareFiguresCommand());
    }
}

/// <summary><c>edgedigits hardware figures</c>: bytes and theoretical bus time per display update and the touch sampling rate, with the drivers' CPU time measured against the emulators.</summary>
public sealed class HardwareFiguresCommand : Command
{
    /// <summary>LCD SPI clock.</summary>
    public Option<int> SpiClock { get; } = new("--spi-clock") { Description = "ILI9341 SPI clock in Hz", DefaultValueFactory = _ => 32_000_000 };

    /// <summary>Touch SPI clock.</summary>
    public Option<int> TouchClock { get; } = new("--touch-clock") { Description = "XPT2046 SPI clock in Hz (at most 2500000)", DefaultValueFactory = _ => 2_000_000 };

    /// <summary>OLED I2C clock.</summary>
    public Option<int> I2cClock { get; } = new("--i2c-clock") { Description = "SSD1306 I2C clock in Hz", DefaultValueFactory = _ => 400_000 };

    /// <summary>Digit cell size.</summary>
    public Option<string> Digit { get; } = new("--digit") { Description = "Size WxH of the LCD region redrawn to show one recognised digit", DefaultValueFactory = _ => "64x96" };

    /// <summary>Touch samples per reading.</summary>
    public Option<int> Samples { get; } = new("--samples") { Description = "Touch position samples per reading (1..32)", DefaultValueFactory = _ => 5 };

    /// <summary>Timed repetitions.</summary>
    public Option<int> Repetitions { get; } = new("--repetitions") { Description = "Timed repetitions per figure", DefaultValueFactory = _ => 50 };

    /// <summary>Creates the command.</summary>
    public HardwareFiguresCommand() : base("figures", "Print bytes and theoretical bus time of a full LCD frame and a one-digit update, touch readings/s, OLED and TM1637 update cost.")
    {
        Add(SpiClock);
        Add(TouchClock);
        Add(I2cClock);
        Add(Digit);
        Add(Samples);
        Add(Repetitions);
        Digit.Validators.Add(r =>
        {
            if (!TryParseSize(r.GetValueOrDefault<string>(), out _, out _)) r.AddError($"--digit '{r.GetValueOrDefault<string>()}' is not WxH inside 320x240 (e.g. 64x96)");
        });
        SpiClock.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0) r.AddError("--spi-clock must be a positive frequency in Hz");
        });
        TouchClock.Validators.Add(r =>
        {
            var v = r.GetValueOrDefault<int>();
            if (v is <= 0 or > 2_500_000) r.AddError($"--touch-clock {v} Hz is outside 1..2500000 (the XPT2046 maximum)");
        });
        I2cClock.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() <= 0) r.AddError("--i2c-clock must be a positive frequency in Hz");
        });
        Samples.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 32) r.AddError("--samples must be 1..32");
        });
        Repetitions.Validators.Add(r =>
        {
            if (r.GetValueOrDefault<int>() is < 1 or > 100_000) r.AddError("--repetitions must be 1..100000");
        });
        SetAction(parse =>
        {
            TryParseSize(parse.GetValue(Digit), out var w, out var h);
            var options = new HardwareFiguresOptions(parse.GetValue(SpiClock), parse.GetValue(TouchClock), parse.GetValue(I2cClock), w, h, parse.GetValue(Samples), parse.GetValue(Repetitions));
            return CommandRunner.Run("hardware figures", () => Console.Write(HardwareFigures.ToMarkdown(HardwareFigures.Measure(options), options)));
        });
    }

    /// <summary>Parses "WxH" within the 320x240 panel.</summary>
    internal static bool TryParseSize(string? text, out int width, out int height)
    {
        width = height = 0;
        var parts = (text ?? "").Split('x', 'X');
        return parts.Length == 2 && int.TryParse(parts[0], out width) && int.TryParse(parts[1], out height) && width is > 0 and <= 320 && height is > 0 and <= 240;
    }
}
