using EdgeDigits.Device.Configuration;

namespace EdgeDigits.Device.Tests;

internal static class OptionsExtensions
{
    public static DeviceOptions WithSorterCamera(this DeviceOptions o)
    {
        o.Sorter.Camera = new CameraOptions { Kind = "Mjpeg", Command = "ffmpeg -i x -f mjpeg -" };
        return o;
    }
}

public class OptionsValidatorTests
{
    private static readonly string Model = Path.Combine(RepoPaths.NewTempDir(), "m.onnx");

    private static DeviceOptions Valid()
    {
        File.WriteAllText(Model, "x");
        return new DeviceOptions
        {
            Modes = ["Kiosk", "Sorter"],
            Model = new ModelOptions { Path = Model },
            Displays = new DisplayOptions { Ili9341 = true },
            Sorter = SortRulesTests.Sorter(),
        }.WithSorterCamera();
    }

    private static List<string> Check(DeviceOptions o) => OptionsValidator.Validate(o, p => p);

    [Fact]
    public void Validate_DefaultPinMap_NoProblems() => Assert.Empty(Check(Valid()));

    [Fact]
    public void Validate_PinUsedTwice_NamesBothUses()
    {
        var o = Valid();
        o.Sorter.Gates[0].Pin = 25;
        var e = Assert.Single(Check(o));
        Assert.Equal("EdgeDigits:Pins: GPIO25 is used twice (LCD DC, gate A)", e);
    }

    [Fact]
    public void Validate_ModelMissing_NamesFile()
    {
        var o = Valid();
        o.Model.Path = "/nope/x.onnx";
        Assert.Contains(Check(o), e => e.StartsWith("EdgeDigits:Model:Path: model file '/nope/x.onnx' not found", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_GateWithoutPin_Reported()
    {
        var o = Valid();
        o.Sorter.Gates.Add(new GateOptions { Name = "D" });
        Assert.Contains("EdgeDigits:Sorter:Gates: gate 'D' has no pin (set Pin to a BCM number)", Check(o));
    }

    [Fact]
    public void Validate_BadRoiAndUnknownGate_Reported()
    {
        var o = Valid();
        o.Modes.Add("Meter");
        o.Meter.Camera = new CameraOptions { Kind = "Mjpeg", Command = "x" };
        o.Meter.Rois.Add(new RectOptions { X = 0, Y = 0, Width = 0, Height = 10 });
        o.Sorter.Rules.Add(new SortRuleOptions { Prefix = "9", Gate = "Z" });
        var errors = Check(o);
        Assert.Contains("EdgeDigits:Meter:Rois:0 (0,0,0,10) must have X,Y ≥ 0 and Width,Height > 0", errors);
        Assert.Contains("EdgeDigits:Sorter:Rules:3 names gate 'Z', which is not one of the gates", errors);
    }

    [Theory]
    [InlineData("http://0.0.0.0:5080", null, true)]
    [InlineData("http://*:5080", null, true)]
    [InlineData("http://192.168.1.5:5080", null, true)]
    [InlineData("http://0.0.0.0:5080", "a-long-enough-token", false)]
    [InlineData("http://127.0.0.1:5080", null, false)]
    [InlineData("http://localhost:5080", null, false)]
    [InlineData("http://[::1]:5080", null, false)]
    public void Validate_HttpBeyondLoopback_NeedsToken(string url, string? token, bool error)
    {
        var o = Valid();
        o.Http = new HttpOptions { Url = url, Token = token };
        Assert.Equal(error, Check(o).Any(e => e.Contains("listens beyond loopback", StringComparison.Ordinal)));
    }
}
