namespace EdgeDigits.Device.Configuration;

/// <summary>Which buses the parts are opened on (<c>EdgeDigits:Hardware</c>).</summary>
public enum HardwareKind
{
    /// <summary>The chip emulators of EdgeDigits.Hardware.Simulation (the simulator profile, tests).</summary>
    Simulated,

    /// <summary>The board's real SPI, I2C and GPIO.</summary>
    Real,
}

/// <summary>Where the kiosk draws (<c>EdgeDigits:Kiosk:Display</c>).</summary>
public enum KioskDisplayKind
{
    /// <summary>The ILI9341 driver on SPI0 (needs <c>Displays:Ili9341</c>).</summary>
    Ili9341,

    /// <summary>A Linux framebuffer (<c>Kiosk:Framebuffer</c>).</summary>
    Framebuffer,
}

/// <summary>Where the kiosk's pen comes from (<c>EdgeDigits:Kiosk:Touch</c>).</summary>
public enum KioskTouchKind
{
    /// <summary>The XPT2046 driver on SPI0 CE1 + PENIRQ.</summary>
    Xpt2046,

    /// <summary>A kernel touchscreen driver's event device (<c>Kiosk:Evdev</c>).</summary>
    Evdev,
}

/// <summary>Where meter mode draws its reading for a person across the room (<c>EdgeDigits:Meter:Display</c>), beside the status displays.</summary>
public enum MeterDisplayKind
{
    /// <summary>No display of its own: the reading shows on the status displays only (OLED, 7-segment).</summary>
    None,

    /// <summary>The ILI9341 320x240 LCD (needs <c>Displays:Ili9341</c>; the kiosk must not be drawing on it).</summary>
    Ili9341,
}

/// <summary>The display chips the board may carry (<c>EdgeDigits:Displays:&lt;chip&gt;</c>); the part factory opens each that is on.</summary>
public enum DisplayChip
{
    /// <summary>The 320x240 SPI LCD (the kiosk's panel).</summary>
    Ili9341,

    /// <summary>The 128x64 I2C OLED status display.</summary>
    Ssd1306,

    /// <summary>The 4-digit 7-segment status display.</summary>
    Tm1637,
}

/// <summary>Where a camera's frames come from (<c>Meter:Camera:Kind</c>, <c>Sorter:Camera:Kind</c>).</summary>
public enum CameraKind
{
    /// <summary>The image files of a folder, one per capture.</summary>
    Replay,

    /// <summary>The same images encoded by ffmpeg into a live MJPEG stream (the simulator's meter camera).</summary>
    FfmpegReplay,

    /// <summary>A process writing MJPEG to stdout (rpicam-vid).</summary>
    Mjpeg,

    /// <summary>A command writing one JPEG per capture (rpicam-still).</summary>
    Still,
}

/// <summary>Parses the string option values (kept as strings so a bad value becomes one config line, not a binder exception).</summary>
public static class OptionKinds
{
    /// <summary>The enum member named <paramref name="value"/> (any case), or null.</summary>
    public static T? Parse<T>(string? value) where T : struct, Enum =>
        !string.IsNullOrEmpty(value) && !int.TryParse(value, out _) && Enum.TryParse<T>(value, ignoreCase: true, out var v) ? v : null;

    /// <summary>"A, B or C": the names a value may take, for error lines.</summary>
    public static string Names<T>() where T : struct, Enum
    {
        var n = Enum.GetNames<T>();
        return n.Length == 1 ? n[0] : string.Join(", ", n[..^1]) + " or " + n[^1];
    }
}
