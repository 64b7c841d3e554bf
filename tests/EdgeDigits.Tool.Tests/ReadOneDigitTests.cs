using System.Text.Json;
using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Tool.Tests;

/// <summary><c>edgedigits read --one-digit</c> on the real meter windows in <c>samples/meter-windows</c> (file names start with the wheel position).</summary>
public sealed class ReadOneDigitTests
{
    private static string Samples => Path.Combine(RepoPaths.Samples, "meter-windows");

    [Fact]
    public void ReadOneDigit_CleanSampleWindows_GiveTheirDigits()
    {
        var r = ToolProcess.Run("read", "--one-digit", Samples);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        var lines = r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Directory.GetFiles(Samples, "*.jpg").Length, lines.Length);
        foreach (var line in lines)
        {
            var cols = line.Split('\t');
            var label = Path.GetFileName(cols[0]).Split('_')[0];
            if (label.EndsWith(".0", StringComparison.Ordinal)) Assert.True(label[0].ToString() == cols[1], line);
        }
    }

    [Fact]
    public void ReadOneDigit_Json_GivesValueRollAndNeighbourDigits()
    {
        var file = Directory.GetFiles(Samples, "6.4_*.jpg").Single();
        var r = ToolProcess.Run("read", "--one-digit", "--json", file);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        using var doc = JsonDocument.Parse(r.Stdout);
        var root = doc.RootElement;
        var value = root.GetProperty("value").GetDouble();
        Assert.InRange(value, 6.1, 6.8);
        Assert.Equal(6, root.GetProperty("from").GetInt32());
        Assert.Equal(7, root.GetProperty("to").GetInt32());
        Assert.Equal(value - 6, root.GetProperty("roll").GetDouble(), 2);
        // A wheel 40% of the way is never shown as a digit.
        Assert.Equal("?", root.GetProperty("text").GetString());
        Assert.Equal(JsonValueKind.Null, root.GetProperty("digit").ValueKind);
    }

    [Fact]
    public void ReadOneDigit_RoiOutsideImage_ReportsFileAndExitsBadInput()
    {
        var file = Directory.GetFiles(Samples, "*.jpg").First();
        var r = ToolProcess.Run("read", "--one-digit", "--roi", "0,0,40,40", file);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("outside the 20x32 image", r.Stderr);
    }

    [Fact]
    public void ReadOneDigit_WithDigitModel_RefusesWithOneLine()
    {
        var r = ToolProcess.Run("read", "--one-digit", "--model", Path.Combine(RepoPaths.Models, "digits-int8.onnx"), Samples);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("not a meter wheel model", r.Stderr);
        Assert.Single(r.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public void ReadOneDigit_WithQuad_IsUsageError()
    {
        var r = ToolProcess.Run("read", "--one-digit", "--quad", "0,0,10,0,10,10,0,10", Samples);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--one-digit", r.Stderr);
    }

    [Fact]
    public void TrainMeter_WithDigitOnlyOption_IsUsageError()
    {
        var r = ToolProcess.Run("train", "--meter", Samples, "--ink", "100");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--ink cannot be combined with --meter", r.Stderr);
    }

    [Fact]
    public void TrainMeter_UnknownHoldOutFamily_ExitsBadInputNamingIt()
    {
        var dir = RepoPaths.NewTempDir("meter");
        var sub = Path.Combine(dir, "7.0");
        Directory.CreateDirectory(sub);
        File.Copy(Directory.GetFiles(Samples, "7.0_*.jpg").Single(), Path.Combine(sub, "7.0_dig6_20210727-150532.jpg"));
        var r = ToolProcess.Run("train", "--meter", dir, "--holdout", "gas", "--epochs", "1");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("no meter family 'gas'", r.Stderr);
    }
}
