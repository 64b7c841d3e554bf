namespace EdgeDigits.Device.Configuration;

/// <summary>The whole device configuration, bound from the <c>EdgeDigits</c> section of appsettings and its profile file.</summary>
public sealed class DeviceOptions
{
    /// <summary>The configuration section these options are bound from.</summary>
    public const string Section = "EdgeDigits";

    /// <summary>Name of this device; used in MQTT topics (<c>edgedigits/&lt;DeviceId&gt;/...</c>).</summary>
    public string DeviceId { get; set; } = "edgedigits";

    /// <summary>
    /// The device's own config override file, loaded after the profile and kept across deploys; the page's meter setup saves
    /// into it. Default: <c>EDGEDIGITS_CONFIG</c>, else <c>/etc/edgedigits/appsettings.json</c> (given on the command line or in
    /// the environment, it is the file loaded).
    /// </summary>
    public string ConfigOverride { get; set; } = "";

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
    public bool IsSimulated => HardwareKind == Configuration.HardwareKind.Simulated;

    /// <summary><see cref="Hardware"/> as its kind (Simulated when unparsable: the validator has reported it).</summary>
    public HardwareKind HardwareKind => OptionKinds.Parse<HardwareKind>(Hardware) ?? Configuration.HardwareKind.Simulated;
}

/// <summary>Which model file to run and how.</summary>
public sealed class ModelOptions
{
    /// <summary>Path of the ONNX model; its metadata JSON sits beside it.</summary>
    public string Path { get; set; } = "models/digits-int8.onnx";

    /// <summary>ONNX Runtime intra-op threads.</summary>
    public int Threads { get; set; } = 1;

    /// <summary>
    /// The ink sequence model read beside the image model on every ink (kind <c>ink-sequence</c>; the two models'
    /// digit probabilities are averaged); empty = the image model alone. The shipped appsettings.json names
    /// <c>models/inkseq-int8.onnx</c>.
    /// </summary>
    public string InkModel { get; set; } = "";

    /// <summary>Folder of labeled self-test digits (<c>&lt;label&gt;/*.png</c> or <c>*_&lt;label&gt;.png</c>); default: <c>selftest/</c> beside the model, else <c>samples/selftest</c>.</summary>
    public string? SelfTestDir { get; set; }

    /// <summary>Fraction of self-test digits a new model must classify correctly before it is swapped in.</summary>
    public double SelfTestMinAccuracy { get; set; } = 0.8;
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
