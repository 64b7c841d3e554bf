using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using EdgeDigits.Hardware;

namespace EdgeDigits.Deploy.Tests;

/// <summary>hardware/pinmap.json is the one pin map: the device's default config, Hardware.PinMap, the diagrams,
/// config.txt and the Pi header itself must agree with it.</summary>
public sealed class HardwareDocsTests
{
    private static readonly string Hw = Path.Combine(RepoPaths.Root, "hardware");

    /// <summary>The Raspberry Pi 40-pin header: physical pin of each BCM GPIO.</summary>
    private static readonly Dictionary<int, int> PhysicalOf = new()
    {
        [2] = 3, [3] = 5, [4] = 7, [14] = 8, [15] = 10, [17] = 11, [18] = 12, [27] = 13, [22] = 15, [23] = 16, [24] = 18,
        [10] = 19, [9] = 21, [25] = 22, [11] = 23, [8] = 24, [7] = 26, [0] = 27, [1] = 28, [5] = 29, [6] = 31, [12] = 32,
        [13] = 33, [19] = 35, [16] = 36, [26] = 37, [20] = 38, [21] = 40,
    };

    private static JsonArray Signals() => (JsonArray)JsonNode.Parse(File.ReadAllText(Path.Combine(Hw, "pinmap.json")))!["signals"]!;

    private static JsonNode? At(JsonNode root, string key)
    {
        JsonNode? n = root;
        foreach (var part in key.Split(':'))
            n = n is JsonArray a && int.TryParse(part, out var i) ? (i < a.Count ? a[i] : null) : n?[part];
        return n;
    }

    [Fact]
    public void PinMap_AgreesWithDeviceDefaultConfig()
    {
        var config = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "src/EdgeDigits.Device/appsettings.json")))!;
        var checkedKeys = 0;
        foreach (var s in Signals())
        {
            if (s!["config"]?.GetValue<string>() is not { } key) continue;
            var expected = s["configValue"]?.GetValue<int>() ?? s["bcm"]!.GetValue<int>();
            var actual = At(config, key);
            Assert.True(actual is not null, $"appsettings.json has no {key} ({s["part"]} {s["signal"]})");
            Assert.True(expected == actual!.GetValue<int>(), $"{key}: appsettings.json says {actual}, pinmap.json says {expected} ({s["part"]} {s["signal"]})");
            checkedKeys++;
        }
        Assert.Equal(18, checkedKeys);
        // The other direction: every pin the app configures is in the pin map.
        var mapped = Signals().Select(s => s!["config"]?.GetValue<string>()).OfType<string>().ToHashSet();
        foreach (var (name, _) in config["EdgeDigits"]!["Pins"]!.AsObject())
            if (name != "SpiBus") Assert.Contains($"EdgeDigits:Pins:{name}", mapped);
        Assert.Equal(0, config["EdgeDigits"]!["Pins"]!["SpiBus"]!.GetValue<int>());
    }

    [Fact]
    public void PinMap_AgreesWithHardwarePinMapConstants()
    {
        foreach (var s in Signals())
        {
            if (s!["pinMap"]?.GetValue<string>() is not { } name) continue;
            var field = typeof(PinMap).GetField(name);
            Assert.True(field is not null, $"EdgeDigits.Hardware.PinMap has no {name}");
            var expected = s["pinMapValue"]?.GetValue<int>() ?? s["bcm"]!.GetValue<int>();
            Assert.Equal(expected, (int)field!.GetValue(null)!);
        }
        Assert.Equal(0, PinMap.SpiBus);
    }

    [Fact]
    public void PinMap_PhysicalPinsMatchHeaderAndNoPinIsUsedTwice()
    {
        var owner = new Dictionary<int, string>();
        foreach (var s in Signals())
        {
            if (s!["bcm"] is null) continue;
            var bcm = s["bcm"]!.GetValue<int>();
            Assert.True(PhysicalOf[bcm] == s["physical"]!.GetValue<int>(), $"{s["part"]} {s["signal"]}: GPIO{bcm} is pin {PhysicalOf[bcm]}, not {s["physical"]}");
            var shared = (s["function"]?.GetValue<string>() ?? "").Contains("SPI0 S", StringComparison.Ordinal)
                         || (s["function"]?.GetValue<string>() ?? "").Contains("SPI0 M", StringComparison.Ordinal);
            var who = shared ? $"SPI0 bus GPIO{bcm}" : $"{s["part"]} {s["signal"]}";
            if (owner.TryGetValue(bcm, out var prev)) Assert.True(prev == who, $"GPIO{bcm} used by {prev} and {who}");
            owner[bcm] = who;
        }
    }

    [Fact]
    public void Diagrams_LabelEveryPinOfTheirPartAsThePinMapSays()
    {
        var svgOf = new Dictionary<string, string>
        {
            ["ILI9341"] = "ili9341-xpt2046.svg", ["XPT2046"] = "ili9341-xpt2046.svg", ["SSD1306"] = "ssd1306.svg",
            ["TM1637"] = "tm1637.svg", ["LEDs"] = "leds.svg", ["Light barrier"] = "light-barrier.svg", ["Gates"] = "gates.svg",
        };
        foreach (var s in Signals())
        {
            if (s!["bcm"] is null) continue;
            var svg = File.ReadAllText(Path.Combine(Hw, "diagrams", svgOf[s["part"]!.GetValue<string>()]));
            Assert.Contains($"GPIO{s["bcm"]} (pin {s["physical"]})", svg);
            Assert.Contains($"{s["part"]} {System.Net.WebUtility.HtmlEncode(s["signal"]!.GetValue<string>())}".Replace("&#39;", "'"), svg);
        }
        foreach (var f in svgOf.Values.Distinct())
            Assert.NotNull(System.Xml.Linq.XDocument.Load(Path.Combine(Hw, "diagrams", f)).Root);
    }

    [Fact]
    public void ConfigTxt_EnablesBusesCameraAndSetsPullsFromThePinMap()
    {
        var lines = File.ReadAllLines(Path.Combine(Hw, "config.txt")).Where(l => !l.StartsWith('#')).ToArray();
        foreach (var l in new[] { "dtparam=spi=on", "dtparam=i2c_arm=on", "camera_auto_detect=1", "dtoverlay=spi0-2cs,cs0_pin=8,cs1_pin=7" })
            Assert.Contains(l, lines);
        // Every input the pin map pulls up is pulled up from power-on; every gate starts driven low.
        foreach (var s in Signals())
        {
            var bcm = s!["bcm"]?.GetValue<int>();
            if (s["direction"]?.GetValue<string>() == "in" && (s["pull"]?.GetValue<string>() ?? "").StartsWith("up", StringComparison.Ordinal))
                Assert.Contains($"gpio={bcm}=ip,pu", lines);
            if (s["part"]!.GetValue<string>() == "Gates")
                Assert.Contains(lines, l => Regex.IsMatch(l, $@"^gpio=([0-9,]+,)?{bcm}(,[0-9,]+)?=op,dl$"));
        }
        // No kernel driver may take the chip selects the app opens through spidev.
        Assert.DoesNotContain(lines, l => l.Contains("ads7846", StringComparison.Ordinal) || l.Contains("fbtft", StringComparison.Ordinal) || l.Contains("ili9341", StringComparison.Ordinal));
    }

    [Fact]
    public void SystemdUnit_NotifyWatchdogRestartAndExecStartWithProfile()
    {
        var unit = File.ReadAllLines(Path.Combine(Hw, "edgedigits.service")).Where(l => !l.StartsWith('#') && l.Contains('=')).ToList();
        Assert.Contains("Type=notify", unit);
        Assert.Contains("Restart=on-failure", unit);
        Assert.Contains(unit, l => Regex.IsMatch(l, @"^WatchdogSec=\d+$"));
        Assert.Contains("ExecStart=/opt/edgedigits/current/EdgeDigits.Device --profile ${EDGEDIGITS_PROFILE}", unit);
        Assert.Contains("Environment=EDGEDIGITS_CONFIG=/etc/edgedigits/appsettings.json", unit);
        Assert.Contains("EnvironmentFile=-/etc/edgedigits/edgedigits.env", unit);
        Assert.Contains("WantedBy=multi-user.target", unit);
        // The default profile must be one the app ships.
        var profile = unit.Single(l => l.StartsWith("Environment=EDGEDIGITS_PROFILE=", StringComparison.Ordinal)).Split('=')[2];
        Assert.True(File.Exists(Path.Combine(RepoPaths.Root, "src/EdgeDigits.Device", $"appsettings.{profile}.json")));
    }
}
