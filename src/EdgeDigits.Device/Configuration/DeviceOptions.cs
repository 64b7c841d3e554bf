namespace EdgeDigits.Device.Configuration;

/// <summary>The whole device configuration, bound from the <c>EdgeDigits</c> section of appsettings and its profile file.</summary>
public sealed class DeviceOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "EdgeDigits";

    /// <summary>Name of this device; used in MQTT topics (<c>edgedigits/&lt;DeviceId&gt;/...</c>).</summary>
    public string DeviceId { get; set; } = "edgedigits";

    /// <summary>The modes this device runs: any of <c>Kiosk</c>, <c>Meter</c>, <c>Sorter</c>.</summary>
    public List<string> Modes { get; set; } = [];

    /// <summary><c>Simulated</c> runs the real drivers against the chip emulators; <c>Real</c> opens /dev/spidev, /dev/i2c and the gpiochip.</summary>
    public string Hardware { get; set; } = "Simulated";

    /// <summary>The model to load and how.</summary>
    public ModelOptions Model { get; set; } = new();

    /// <summary>The BCM pin map and buses.</summary>
    public PinOptions Pins { get; set; } = new();

    /// <summary>Which displays are attached.</summary>
    public DisplayOptions Displays { get; set; } = new();

    /// <summary>The local page.</summary>
    public HttpOptions Http { get; set; } = new();

    /// <summary>The MQTT sink.</summary>
    public MqttOptions Mqtt { get; set; } = new();

    /// <summary>Kiosk mode settings.</summary>
    public KioskOptions Kiosk { get; set; } = new();

    /// <summary>Meter mode settings.</summary>
    public MeterOptions Meter { get; set; } = new();

    /// <summary>Sorter mode settings.</summary>
    public SorterOptions Sorter { get; set; } = new();

    /// <summary>Simulator-only settings (sample inks, where LCD frames are saved).</summary>
    public SimulatorOptions Simulator { get; set; } = new();

    /// <summary>Folder where corrected digit crops are saved as <c>DIR/&lt;label&gt;/*.png</c> for <c>edgedigits train --extra DIR</c>.</summary>
    public string CorrectionsDir { get; set; } = "var/corrections";

    /// <summary>Where a correction of a kiosk reading saves the ink itself with its label (<c>*.json</c>), for <c>edgedigits train --extra DIR</c>.</summary>
    public string InkCorrectionsDir { get; set; } = "var/ink-corrections";

    /// <summary>True when <paramref name="mode"/> is one of <see cref="Modes"/> (case-insensitive).</summary>
    public bool HasMode(string mode) => Modes.Any(m => string.Equals(m, mode, StringComparison.OrdinalIgnoreCase));

    /// <summary>True when the hardware is emulated.</summary>
    public bool IsSimulated => string.Equals(Hardware, "Simulated", StringComparison.OrdinalIgnoreCase);
}

/// <summary>Which model file to run and how.</summary>
public sealed class ModelOptions
{
    /// <summary>Path of the ONNX model; its metadata JSON sits beside it.</summary>
    public string Path { get; set; } = "models/digits-int8.onnx";

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>Folder of labeled self-test digits (<c>&lt;label&gt;/*.png</c> or <c>*_&lt;label&gt;.png</c>); default: <c>selftest/</c> beside the model, else <c>samples/selftest</c>.</summary>
    public string? SelfTestDir { get; set; }

    /// <summary>Fraction of self-test digits a new model must classify correctly before it is swapped in.</summary>
    public double SelfTestMinAccuracy { get; set; } = 0.8;
}

/// <summary>The BCM pin map. An unconnected pin is -1. Defaults match hardware/ and the drivers' README.</summary>
public sealed class PinOptions
{
    /// <summary>SPI bus number (SPI0).</summary>
    public int SpiBus { get; set; }

    /// <summary>ILI9341 chip select on SPI0 (CE0 = GPIO8).</summary>
    public int LcdChipSelect { get; set; }

    /// <summary>ILI9341 data/command pin.</summary>
    public int LcdDc { get; set; } = 25;

    /// <summary>ILI9341 reset pin.</summary>
    public int LcdReset { get; set; } = 24;

    /// <summary>ILI9341 backlight pin.</summary>
    public int LcdBacklight { get; set; } = 18;

    /// <summary>XPT2046 chip select on SPI0 (CE1 = GPIO7).</summary>
    public int TouchChipSelect { get; set; } = 1;

    /// <summary>XPT2046 PENIRQ pin (active low).</summary>
    public int TouchIrq { get; set; } = 17;

    /// <summary>I2C bus for the SSD1306 (I2C1: SDA GPIO2, SCL GPIO3).</summary>
    public int I2cBus { get; set; } = 1;

    /// <summary>SSD1306 I2C address.</summary>
    public int OledAddress { get; set; } = 0x3C;

    /// <summary>TM1637 clock pin.</summary>
    public int Tm1637Clk { get; set; } = 5;

    /// <summary>TM1637 data pin.</summary>
    public int Tm1637Dio { get; set; } = 6;

    /// <summary>Green "ok" LED.</summary>
    public int LedOk { get; set; } = 22;

    /// <summary>Yellow "busy" LED.</summary>
    public int LedBusy { get; set; } = 23;

    /// <summary>Red "error" LED.</summary>
    public int LedError { get; set; } = 27;

    /// <summary>Light-barrier trigger input (pull-up, active low).</summary>
    public int Trigger { get; set; } = 4;
}

/// <summary>Which displays are attached.</summary>
public sealed class DisplayOptions
{
    /// <summary>ILI9341 320x240 SPI LCD (with the XPT2046 touch controller for the kiosk).</summary>
    public bool Ili9341 { get; set; } = true;

    /// <summary>SSD1306 128x64 I2C OLED status display.</summary>
    public bool Ssd1306 { get; set; }

    /// <summary>TM1637 7-segment display (shows the last value).</summary>
    public bool Tm1637 { get; set; }

    /// <summary>LCD SPI clock in Hz.</summary>
    public int SpiClockHz { get; set; } = 32_000_000;
}

/// <summary>The local HTTP page.</summary>
public sealed class HttpOptions
{
    /// <summary>Whether the page runs at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>Listen URL; loopback by default. Any other address requires <see cref="Token"/>.</summary>
    public string Url { get; set; } = "http://127.0.0.1:5080";

    /// <summary>Bearer token required on every request (header <c>Authorization: Bearer T</c> or <c>?token=T</c>).</summary>
    public string? Token { get; set; }

    /// <summary>How many recent readings the page keeps.</summary>
    public int RecentReadings { get; set; } = 50;
}

/// <summary>The MQTT sink (MQTTnet).</summary>
public sealed class MqttOptions
{
    /// <summary>Whether readings are published.</summary>
    public bool Enabled { get; set; }

    /// <summary>Broker host.</summary>
    public string Host { get; set; } = "127.0.0.1";

    /// <summary>Broker port (1883, or 8883 with TLS).</summary>
    public int Port { get; set; } = 1883;

    /// <summary>User name, or null for anonymous.</summary>
    public string? User { get; set; }

    /// <summary>Password for <see cref="User"/>.</summary>
    public string? Password { get; set; }

    /// <summary>Connect with TLS.</summary>
    public bool Tls { get; set; }

    /// <summary>A CA certificate (PEM) the broker's certificate must chain to, or null for the system store.</summary>
    public string? CaFile { get; set; }

    /// <summary>Accept any broker certificate (test benches only).</summary>
    public bool AllowUntrustedCertificates { get; set; }

    /// <summary>First topic level: topics are <c>&lt;TopicPrefix&gt;/&lt;DeviceId&gt;/...</c>.</summary>
    public string TopicPrefix { get; set; } = "edgedigits";

    /// <summary>Publish Home Assistant discovery configs.</summary>
    public bool Discovery { get; set; } = true;

    /// <summary>Home Assistant discovery prefix.</summary>
    public string DiscoveryPrefix { get; set; } = "homeassistant";

    /// <summary>Folder of the on-disk outbox that holds messages until the broker acknowledges them.</summary>
    public string OutboxDir { get; set; } = "var/outbox";

    /// <summary>Most messages kept in the outbox; past that the oldest are dropped (and counted).</summary>
    public int OutboxMaxMessages { get; set; } = 10_000;

    /// <summary>Keep-alive in seconds.</summary>
    public int KeepAliveSeconds { get; set; } = 15;
}

/// <summary>A rectangle in source pixels.</summary>
public sealed class RectOptions
{
    /// <summary>Left.</summary>
    public int X { get; set; }

    /// <summary>Top.</summary>
    public int Y { get; set; }

    /// <summary>Width.</summary>
    public int Width { get; set; }

    /// <summary>Height.</summary>
    public int Height { get; set; }

    /// <inheritdoc />
    public override string ToString() => $"{X},{Y},{Width},{Height}";
}

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
    public bool DrawsOnFramebuffer => string.Equals(Display, FramebufferDisplay, StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the pen comes from an evdev device.</summary>
    public bool TouchIsEvdev => string.Equals(Touch, EvdevTouch, StringComparison.OrdinalIgnoreCase);

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

/// <summary>Meter mode: periodic camera capture with plausibility checks.</summary>
public sealed class MeterOptions
{
    /// <summary>Seconds between captures.</summary>
    public double IntervalSeconds { get; set; } = 10;

    /// <summary>The camera.</summary>
    public CameraOptions Camera { get; set; } = new();

    /// <summary>Regions of interest read in order and concatenated; empty reads the whole frame.</summary>
    public List<RectOptions> Rois { get; set; } = [];

    /// <summary>
    /// The meter's digit windows on the frame, most significant first: each is one counter wheel, read directly by the
    /// meter wheel model (<see cref="WindowModel"/>) without segmentation, all in one batch, and the row is settled by
    /// the gear model. When set, <see cref="Rois"/> must be empty.
    /// </summary>
    public List<RectOptions> Windows { get; set; } = [];

    /// <summary>
    /// With <see cref="Windows"/>: frames captured back to back for one reading; each wheel's position is the
    /// confidence-weighted mean over them, so a glint or a wheel caught mid-roll on one frame does not decide the value.
    /// </summary>
    public int Burst { get; set; } = 3;

    /// <summary>The meter wheel model for <see cref="Windows"/> (relative paths resolve against the app folder).</summary>
    public string WindowModel { get; set; } = "models/meter-int8.onnx";

    /// <summary>Allow the value to decrease (a meter that can be reset).</summary>
    public bool AllowDecrease { get; set; }

    /// <summary>Maximum plausible increase per hour; 0 = no limit.</summary>
    public double MaxRatePerHour { get; set; }

    /// <summary>A digit below this confidence falls back to the previous value's digit.</summary>
    public double ConfidenceThreshold { get; set; } = 0.8;

    /// <summary>The largest value the counter shows (e.g. 99999); past it the meter rolls over to 0, which is an increase. 0 = no rollover.</summary>
    public long Maximum { get; set; }

    /// <summary>
    /// After this many rejected readings in a row that agree with each other (each within the rate limit of the one
    /// before, never going down), the newest becomes the value: the meter was changed or the last good value was
    /// wrong, and nobody has to reset the device by hand. 0 = never.
    /// </summary>
    public int RecoverAfter { get; set; } = 3;

    /// <summary>What the meter measures, for Home Assistant: <c>water</c>, <c>gas</c> or <c>energy</c> (its <c>device_class</c>); empty = none.</summary>
    public string Kind { get; set; } = "";

    /// <summary>The unit of the value for Home Assistant, e.g. <c>m³</c> or <c>kWh</c>; empty = the kind's usual unit.</summary>
    public string Unit { get; set; } = "";

    /// <summary>The Home Assistant unit for <see cref="Kind"/> when <see cref="Unit"/> is empty.</summary>
    public string EffectiveUnit => Unit.Length > 0 ? Unit : Kind switch { "water" or "gas" => "m³", "energy" => "kWh", _ => "" };
}

/// <summary>A camera source.</summary>
public sealed class CameraOptions
{
    /// <summary>
    /// <c>Replay</c> (the image files of a folder, one per capture), <c>FfmpegReplay</c> (the same images encoded by an ffmpeg process
    /// into a live MJPEG stream, read like rpicam-vid: the simulator's camera), <c>Mjpeg</c> (a process writing MJPEG to stdout), or
    /// <c>Still</c> (a command writing one JPEG).
    /// </summary>
    public string Kind { get; set; } = "Replay";

    /// <summary>Image folder for <c>Replay</c> and <c>FfmpegReplay</c>.</summary>
    public string ReplayDir { get; set; } = "samples";

    /// <summary>Command for <c>Mjpeg</c>/<c>Still</c>.</summary>
    public string Command { get; set; } = "rpicam-vid -t 0 --codec mjpeg --width 640 --height 480 --framerate 5 -o -";

    /// <summary><c>FfmpegReplay</c>: the ffmpeg program (name on PATH or path); when it is not there the camera replays the files directly, with a warning.</summary>
    public string Ffmpeg { get; set; } = "ffmpeg";

    /// <summary><c>FfmpegReplay</c>: frames per second of the stream (the images in name order, round and round).</summary>
    public double FramesPerSecond { get; set; } = 2;

    /// <summary>
    /// <c>FfmpegReplay</c>: how long each image stays in front of the camera, in seconds (0 = one frame each). Set it to the meter's
    /// capture interval so that successive captures see successive images instead of the same one of every round.
    /// </summary>
    public double SecondsPerImage { get; set; }

    /// <summary><c>FfmpegReplay</c>: frame width; each image is scaled to fit and padded with its own border colour.</summary>
    public int Width { get; set; } = 640;

    /// <summary><c>FfmpegReplay</c>: frame height.</summary>
    public int Height { get; set; } = 480;
}

/// <summary>One sorter rule; exactly one of <see cref="Exact"/>, <see cref="Prefix"/> or <see cref="Min"/>/<see cref="Max"/> is set.</summary>
public sealed class SortRuleOptions
{
    /// <summary>The code must equal this text.</summary>
    public string? Exact { get; set; }

    /// <summary>The code must start with this text.</summary>
    public string? Prefix { get; set; }

    /// <summary>Lowest number (inclusive) of a numeric range.</summary>
    public long? Min { get; set; }

    /// <summary>Highest number (inclusive) of a numeric range.</summary>
    public long? Max { get; set; }

    /// <summary>Name of the gate pulsed on a match.</summary>
    public string Gate { get; set; } = "";
}

/// <summary>A gate output (relay/solenoid).</summary>
public sealed class GateOptions
{
    /// <summary>Gate name used by the rules.</summary>
    public string Name { get; set; } = "";

    /// <summary>BCM pin; -1 or missing is a configuration error.</summary>
    public int Pin { get; set; } = -1;

    /// <summary>True when the relay board is active-low.</summary>
    public bool ActiveLow { get; set; }
}

/// <summary>Sorter mode: trigger → capture → read → gate.</summary>
public sealed class SorterOptions
{
    /// <summary>The gates.</summary>
    public List<GateOptions> Gates { get; set; } = [];

    /// <summary>Rules in order; the first match wins.</summary>
    public List<SortRuleOptions> Rules { get; set; } = [];

    /// <summary>Gate pulsed for low confidence or no match.</summary>
    public string RejectGate { get; set; } = "reject";

    /// <summary>Any digit below this confidence rejects the parcel.</summary>
    public double MinConfidence { get; set; } = 0.8;

    /// <summary>Gate pulse length.</summary>
    public int PulseMs { get; set; } = 150;

    /// <summary>Trigger debounce.</summary>
    public int DebounceMs { get; set; } = 5;

    /// <summary>Events waiting to be processed; further triggers are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 16;

    /// <summary>The camera.</summary>
    public CameraOptions Camera { get; set; } = new();
}

/// <summary>Simulator profile settings.</summary>
public sealed class SimulatorOptions
{
    /// <summary>Folder of sample inks (<c>*.json</c>) the simulator can replay.</summary>
    public string SamplesDir { get; set; } = "samples";

    /// <summary>Folder where LCD frames are saved as PNG on request.</summary>
    public string LcdPngDir { get; set; } = "var/lcd";

    /// <summary>Print readings to the console.</summary>
    public bool PrintReadings { get; set; } = true;
}
