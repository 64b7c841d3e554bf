namespace EdgeDigits.Device.Configuration;

/// <summary>Kiosk mode: write on the touch panel, see the number.</summary>
public sealed class KioskOptions
{
    /// <summary>Pause after pen-up before the ink is recognized.</summary>
    public int PenUpMs { get; set; } = 700;

    /// <summary>Touching this area (panel pixels) erases the ink.</summary>
    public RectOptions ClearArea { get; set; } = new() { X = 256, Y = 0, Width = 64, Height = 32 };

    /// <summary>Touch polling interval.</summary>
    public int PollMs { get; set; } = 5;

    /// <summary>XPT2046 calibration (affine, raw ADC → panel pixels): A,B,C,D,E,F with x = A*rx + B*ry + C, y = D*rx + E*ry + F; null uses the driver's default.</summary>
    public double[]? TouchCalibration { get; set; }

    /// <summary>Where the kiosk draws: <c>Ili9341</c> (the SPI driver; needs <c>Displays:Ili9341</c>) or <c>Framebuffer</c> (a Linux framebuffer, see <see cref="Framebuffer"/>).</summary>
    public string Display { get; set; } = KioskOptions.Ili9341;

    /// <summary>The framebuffer used when <see cref="Display"/> is <c>Framebuffer</c>.</summary>
    public FramebufferOptions Framebuffer { get; set; } = new();

    /// <summary>Where the pen comes from: <c>Xpt2046</c> (the SPI driver) or <c>Evdev</c> (a kernel touchscreen driver's event device, see <see cref="Evdev"/>).</summary>
    public string Touch { get; set; } = KioskOptions.Xpt2046;

    /// <summary>The event device used when <see cref="Touch"/> is <c>Evdev</c>.</summary>
    public EvdevOptions Evdev { get; set; } = new();

    /// <summary>True when the kiosk draws on a Linux framebuffer.</summary>
    public bool DrawsOnFramebuffer => DisplayKind == KioskDisplayKind.Framebuffer;

    /// <summary><see cref="Display"/> as its kind (the ILI9341 when unparsable: the validator has reported it).</summary>
    public KioskDisplayKind DisplayKind => OptionKinds.Parse<KioskDisplayKind>(Display) ?? KioskDisplayKind.Ili9341;

    /// <summary><see cref="Touch"/> as its kind (the XPT2046 when unparsable: the validator has reported it).</summary>
    public KioskTouchKind TouchKind => OptionKinds.Parse<KioskTouchKind>(Touch) ?? KioskTouchKind.Xpt2046;

    /// <summary>True when the pen comes from an evdev device.</summary>
    public bool TouchIsEvdev => TouchKind == KioskTouchKind.Evdev;

    /// <summary>The <see cref="Display"/> value for the ILI9341 driver.</summary>
    public const string Ili9341 = "Ili9341";

    /// <summary>The <see cref="Display"/> value for a Linux framebuffer.</summary>
    public const string FramebufferDisplay = "Framebuffer";

    /// <summary>The <see cref="Touch"/> value for the XPT2046 driver.</summary>
    public const string Xpt2046 = "Xpt2046";

    /// <summary>The <see cref="Touch"/> value for an evdev device.</summary>
    public const string EvdevTouch = "Evdev";
}

/// <summary>A Linux framebuffer for the kiosk (an fbtft panel such as <c>fb_ili9341</c>, HDMI or DSI).</summary>
public sealed class FramebufferOptions
{
    /// <summary>The device node, e.g. <c>/dev/fb1</c>. In the simulator: the file that emulates it (e.g. <c>var/fb1</c>). Elsewhere a path outside /dev is a plain file with the layout below.</summary>
    public string Device { get; set; } = "/dev/fb1";

    /// <summary>Width in pixels; 0 reads it from <c>/sys/class/graphics/fbN</c> (320 in the simulator).</summary>
    public int Width { get; set; }

    /// <summary>Height in pixels; 0 reads it from sysfs (240 in the simulator).</summary>
    public int Height { get; set; }

    /// <summary><c>Rgb565</c> (16 bpp) or <c>Xrgb8888</c> (32 bpp); empty reads it from sysfs (Rgb565 in the simulator).</summary>
    public string Format { get; set; } = "";

    /// <summary>Bytes per row; 0 = width × bytes per pixel (or sysfs's <c>stride</c>).</summary>
    public int Stride { get; set; }
}

/// <summary>A touchscreen's event device and how its raw axes map onto the display.</summary>
public sealed class EvdevOptions
{
    /// <summary>The event device, e.g. <c>/dev/input/event0</c> or a stable <c>/dev/input/by-path/…-event</c> link. In the simulator: the named pipe that emulates it.</summary>
    public string Device { get; set; } = "/dev/input/event0";

    /// <summary>Raw value at the display's left edge (ads7846 without device-tree calibration reports 12-bit counts).</summary>
    public double XMin { get; set; }

    /// <summary>Raw value at the display's right edge (less than <see cref="XMin"/> inverts the axis).</summary>
    public double XMax { get; set; } = 4095;

    /// <summary>Raw value at the display's top edge.</summary>
    public double YMin { get; set; }

    /// <summary>Raw value at the display's bottom edge.</summary>
    public double YMax { get; set; } = 4095;

    /// <summary>The display's x comes from raw Y and its y from raw X (a portrait panel mounted landscape); XMin/XMax then name raw Y values.</summary>
    public bool SwapXY { get; set; }
}
