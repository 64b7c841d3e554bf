using System.Text.Json.Nodes;
using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Tool.Tests;

/// <summary>
/// <c>edgedigits train --meter</c> with a nested split (test families held out, decoder settings chosen on validation
/// series of the training families) and <c>eval --choose-on</c>, on a meter folder made from the shipped sample windows.
/// </summary>
public sealed class TrainMeterCommandTests
{
    private const string Tiny = "c4,p,c8,p,fc";

    /// <summary>The sample windows in the <c>DIR/&lt;d.t&gt;/</c> layout: families dig (series dig5, dig6), main_dig, hash and two small ones.</summary>
    private static string MeterFolder()
    {
        var dir = RepoPaths.NewTempDir("meter-train");
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Samples, "meter-windows"), "*.jpg"))
        {
            var name = Path.GetFileName(file);
            var label = Path.Combine(dir, name[..name.IndexOf('_')]);
            Directory.CreateDirectory(label);
            File.Copy(file, Path.Combine(label, name));
        }
        return dir;
    }

    [Fact]
    public void Train_ValidationSeriesAndTestFamily_ChoosesOnValidationScoresTestAndRecordsBoth()
    {
        var data = MeterFolder();
        var dir = RepoPaths.NewTempDir();
        var validationRun = Path.Combine(dir, "val", "meter-fp32.onnx");
        var r = ToolProcess.Run("train", "--meter", data, "--holdout", "main_dig", "--validate", "dig5", "--arch", Tiny, "--epochs", "1", "--lcd-ghost", "0.5", "--tenths-sigma", "1", "--label-smoothing", "0", "--out", validationRun);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("meter windows: 6 training, 1 validation (series or families dig5), 2 test (families main_dig)", r.Stderr);
        Assert.Contains("test meters (2 windows, not used to choose)", r.Stderr);
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "val", "meter.json")))!;
        Assert.Equal(["dig5"], meta["training"]!["data"]!["validationSeries"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(0.5, meta["training"]!["data"]!["syntheticMaxGhost"]!.GetValue<double>());
        Assert.Equal(1f, meta["training"]!["tenthsSigma"]!.GetValue<float>());
        Assert.Equal(0f, meta["training"]!["recipe"]!["labelSmoothing"]!.GetValue<float>());
        Assert.Equal(1, meta["metrics"]!["validationSeriesFp32"]!["windows"]!.GetValue<int>());
        Assert.Equal(2, meta["metrics"]!["heldOutMetersFp32"]!["windows"]!.GetValue<int>());

        // The model retrained on all windows takes the validation run's settings and figures over.
        var shipped = Path.Combine(dir, "all", "meter-fp32.onnx");
        r = ToolProcess.Run("train", "--meter", data, "--arch", Tiny, "--epochs", "1", "--decoder-from", Path.Combine(dir, "val", "meter.json"), "--out", shipped);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        var all = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "all", "meter.json")))!;
        Assert.Equal(meta["cleanTolerance"]!.GetValue<float>(), all["cleanTolerance"]!.GetValue<float>());
        Assert.Equal(meta["confidenceThreshold"]!.GetValue<float>(), all["confidenceThreshold"]!.GetValue<float>());
        Assert.Equal(9, all["training"]!["data"]!["trainWindows"]!.GetValue<int>());
        var taken = all["metrics"]!["heldOutMetersValidation"]!;
        Assert.Contains("--validate dig5", taken["command"]!.GetValue<string>());
        Assert.Equal(2, taken["testFp32"]!["windows"]!.GetValue<int>());
    }

    [Fact]
    public void Train_ExtraFolders_AddTheirWindowsToTrainingOnly()
    {
        var data = MeterFolder();
        // Two corrected windows saved by the page, in the same layout, in two folders.
        var extras = new[] { RepoPaths.NewTempDir("meter-extra"), RepoPaths.NewTempDir("meter-extra") };
        var samples = Directory.GetFiles(Path.Combine(RepoPaths.Samples, "meter-windows"), "*.jpg").Order().ToArray();
        for (var i = 0; i < 2; i++)
        {
            Directory.CreateDirectory(Path.Combine(extras[i], "4.0"));
            File.Copy(samples[i], Path.Combine(extras[i], "4.0", $"corrected{i}.jpg"));
        }
        var output = Path.Combine(RepoPaths.NewTempDir(), "m", "meter-fp32.onnx");
        var r = ToolProcess.Run("train", "--meter", data, "--holdout", "main_dig", "--extra", extras[0], "--extra", extras[1], "--arch", Tiny, "--epochs", "1", "--out", output);
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains($"extra meter windows: 1 from {extras[0]} (training only)", r.Stderr);
        Assert.Contains($"extra meter windows: 1 from {extras[1]} (training only)", r.Stderr);
        // The held-out family is still scored on its own 2 windows: the extra windows never reach the test.
        Assert.Contains("test meters (2 windows, not used to choose)", r.Stderr);
        var meta = JsonNode.Parse(File.ReadAllText(Path.Combine(Path.GetDirectoryName(output)!, "meter.json")))!;
        Assert.Equal(2, meta["training"]!["data"]!["extraWindows"]!.GetValue<int>());
        Assert.Equal(7, meta["training"]!["data"]!["trainWindows"]!.GetValue<int>());
    }

    [Theory]
    [InlineData("cat", "folder name 'cat' is not a wheel position 0.0 … 9.9")]
    [InlineData("", "no images found")]
    [InlineData(null, "meter digit folder not found")]
    public void Train_BadExtraFolder_ExitsBadInputWithOneLineNamingIt(string? labelFolder, string message)
    {
        var extra = Path.Combine(RepoPaths.NewTempDir("meter-extra"), "corrections");
        if (labelFolder is not null) Directory.CreateDirectory(Path.Combine(extra, labelFolder));
        var output = Path.Combine(RepoPaths.NewTempDir(), "m.onnx");
        var r = ToolProcess.Run("train", "--meter", MeterFolder(), "--extra", extra, "--arch", Tiny, "--epochs", "1", "--out", output);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        var line = Assert.Single(r.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries), l => l.Contains(message));
        Assert.Contains(extra, line);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Train_ValidateWholeFamilies_ChoosesOnThoseMeters()
    {
        // main_dig is the test; two one-off meters (families roi and digit, every wheel of them) choose the settings.
        var r = ToolProcess.Run("train", "--meter", MeterFolder(), "--holdout", "main_dig", "--validate", "roi", "digit", "--arch", Tiny, "--epochs", "1");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("meter windows: 5 training, 2 validation (series or families roi, digit), 2 test (families main_dig)", r.Stderr);
        Assert.Contains("validation (2 windows): chose tolerance", r.Stderr);
    }

    [Theory]
    [InlineData("--validate dig5 --clean-tolerance 0.2", "use only one")]
    [InlineData("--validate dig5 --decoder-from x.json", "use only one")]
    [InlineData("--clean-tolerance 0.7", "--clean-tolerance must be within")]
    [InlineData("--lcd-ghost 1.5", "--lcd-ghost must be within")]
    [InlineData("--lcd-fraction -0.1", "--lcd-fraction must be within")]
    [InlineData("--tenths-sigma 5.5", "--tenths-sigma must be within 0 … 5")]
    [InlineData("--tenths-sigma -1", "--tenths-sigma must be within 0 … 5")]
    public void Train_ConflictingOrBadDecoderOptions_ExitUsageNamingThem(string options, string message)
    {
        var output = Path.Combine(RepoPaths.NewTempDir(), "m.onnx");
        var r = ToolProcess.Run(["train", "--meter", MeterFolder(), "--epochs", "1", .. options.Split(' '), "--out", output]);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains(message, r.Stderr);
        Assert.False(File.Exists(output));
    }

    [Fact]
    public void Train_ValidationSeriesNotInTraining_ExitsBadInputNamingIt()
    {
        var r = ToolProcess.Run("train", "--meter", MeterFolder(), "--holdout", "main_dig", "--validate", "main_dig8", "--epochs", "1");
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains("no meter series or family 'main_dig8' among the training windows", r.Stderr);
    }

    [Fact]
    public void Train_DecoderFromMissingRun_ExitsBadInputNamingIt()
    {
        var missing = Path.Combine(RepoPaths.NewTempDir(), "val.json");
        var r = ToolProcess.Run("train", "--meter", MeterFolder(), "--arch", Tiny, "--epochs", "1", "--decoder-from", missing);
        Assert.Equal(ExitCodes.BadInput, r.ExitCode);
        Assert.Contains($"{missing}: no validation run metadata", r.Stderr);
    }

    [Fact]
    public void Train_ValidateWithoutMeter_ExitsUsage()
    {
        var r = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--validate", "dig5");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--validate needs --meter", r.Stderr);
    }

    [Fact]
    public void Train_TenthsSigmaWithoutMeter_ExitsUsage()
    {
        var r = ToolProcess.Run("train", "--data", RepoPaths.Mnist, "--tenths-sigma", "1");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--tenths-sigma needs --meter", r.Stderr);
    }

    [Fact]
    public void Eval_ChooseOnOtherFamily_ReportsSettingsChosenThere()
    {
        var r = ToolProcess.Run("eval", "--model", Path.Combine(RepoPaths.Models, "meter-int8.onnx"), "--data", MeterFolder(), "--families", "main_dig", "--choose-on", "dig", "--json");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("eval: decoder chosen on dig (3 windows)", r.Stderr);
        var e = JsonNode.Parse(r.Stdout)!.AsArray()[0]!;
        Assert.Equal(["dig"], e["decoderChosenOn"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Equal(2, e["all"]!["windows"]!.GetValue<int>());
    }

    [Fact]
    public void Eval_ThreeCropsAgainstOne_ReportsTheCutsAndReadsTheWindowsDifferently()
    {
        var data = MeterFolder();
        var model = Path.Combine(RepoPaths.Models, "meter-int8.onnx");
        var one = ToolProcess.Run("eval", "--model", model, "--data", data, "--json");
        var three = ToolProcess.Run("eval", "--model", model, "--data", data, "--crops", "3", "--crop-shift", "1", "--json");
        Assert.True(one.ExitCode == ExitCodes.Success, one.Stderr);
        Assert.True(three.ExitCode == ExitCodes.Success, three.Stderr);
        Assert.Contains("eval: each window read as 3 cuts moved by 1 input pixels, probabilities averaged", three.Stderr);
        var a = JsonNode.Parse(one.Stdout)!.AsArray()[0]!;
        var b = JsonNode.Parse(three.Stdout)!.AsArray()[0]!;
        Assert.Equal(1, a["testTimeCrops"]!.GetValue<int>());
        Assert.Equal(3, b["testTimeCrops"]!.GetValue<int>());
        Assert.Equal(a["all"]!["windows"]!.GetValue<int>(), b["all"]!["windows"]!.GetValue<int>());
        Assert.NotEqual(a["all"]!["meanErrorTenths"]!.ToJsonString(), b["all"]!["meanErrorTenths"]!.ToJsonString());
    }

    [Theory]
    [InlineData("--crops", "4", "--crops must be 1, 3, 5 (got 4)")]
    [InlineData("--crop-shift", "0", "--crop-shift must be within (0, 2] input pixels")]
    public void Eval_BadCrops_ExitsUsage(string option, string value, string message)
    {
        var r = ToolProcess.Run("eval", "--model", Path.Combine(RepoPaths.Models, "meter-int8.onnx"), "--data", MeterFolder(), option, value);
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains(message, r.Stderr);
    }

    [Fact]
    public void Eval_RivalConfidence_ChoosesAndReportsOnThatMeasure()
    {
        var r = ToolProcess.Run("eval", "--model", Path.Combine(RepoPaths.Models, "meter-int8.onnx"), "--data", MeterFolder(), "--families", "main_dig", "--choose-on", "dig", "--confidence", "rival");
        Assert.True(r.ExitCode == ExitCodes.Success, r.Stderr);
        Assert.Contains("on the rival confidence chosen on dig", r.Stdout);
        var json = ToolProcess.Run("eval", "--model", Path.Combine(RepoPaths.Models, "meter-int8.onnx"), "--data", MeterFolder(), "--json");
        Assert.Equal("mass", JsonNode.Parse(json.Stdout)!.AsArray()[0]!["confidenceMeasure"]!.GetValue<string>()); // the shipped metadata's
    }

    [Fact]
    public void Eval_UnknownConfidence_ExitsUsage()
    {
        var r = ToolProcess.Run("eval", "--model", Path.Combine(RepoPaths.Models, "meter-int8.onnx"), "--data", MeterFolder(), "--confidence", "margin");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--confidence must be mass or rival (got 'margin')", r.Stderr);
    }

    [Fact]
    public void Eval_ChooseOnAScoredFamily_ExitsUsage()
    {
        var r = ToolProcess.Run("eval", "--model", Path.Combine(RepoPaths.Models, "meter-int8.onnx"), "--data", MeterFolder(), "--families", "main_dig", "dig", "--choose-on", "dig");
        Assert.Equal(ExitCodes.Usage, r.ExitCode);
        Assert.Contains("--choose-on dig: the families the decoder settings are chosen on must not be scored", r.Stderr);
    }
}
