using System.Diagnostics;
using System.Text.Json;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Tool.Commands;

namespace EdgeDigits.Tool.Tests;

public sealed class ReadCommandTests : IDisposable
{
    private readonly string _dir = RepoPaths.NewTempDir("edgedigits-read");

    private static string Model
    {
        get
        {
            foreach (var n in new[] { "digits-int8.onnx", "digits-fp32.onnx" })
                if (File.Exists(Path.Combine(RepoPaths.Models, n))) return Path.Combine(RepoPaths.Models, n);
            throw new InvalidOperationException($"no model in {RepoPaths.Models}");
        }
    }

    public void Dispose() => Directory.Delete(_dir, true);

    private string WriteFrame(string name)
    {
        var path = Path.Combine(_dir, name);
        GrayImageCodec.SavePng(RecognitionBenchmark.CreateFrame(), path);
        return path;
    }

    private string WriteInk(string name, string digits)
    {
        var path = Path.Combine(_dir, name);
        StrokeFont.Write(digits, 70, 15, 60).Save(path);
        return path;
    }

    private static (int Exit, string Out, string Err) Run(params string[] args)
    {
        var parse = EdgeDigitsCli.CreateRootCommand().Parse(["read", .. args]);
        Assert.Empty(parse.Errors);
        var request = new ReadRequest
        {
            Inputs = parse.GetValue<string[]>("inputs")!,
            Model = parse.GetValue<string?>("--model"),
            InkModel = parse.GetValue<string?>("--ink-model"),
            Roi = parse.GetValue<PixelRect?>("--roi"),
            Quad = parse.GetValue<EdgeDigits.Core.Preprocessing.PointF[]?>("--quad") is { Length: 4 } q ? q : null,
            Json = parse.GetValue<bool>("--json"),
            DebugDir = parse.GetValue<string?>("--debug-dir"),
        };
        var o = new StringWriter();
        var e = new StringWriter();
        int exit = ReadCommand.Execute(request, o, e);
        return (exit, o.ToString(), e.ToString());
    }

    [Fact]
    public void Parse_AllOptions_NoErrors()
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse("read a.png b.json dir --model m.onnx --roi 10,20,300,100 --json --debug-dir dbg --threads 2");
        Assert.Empty(r.Errors);
        Assert.Equal(new PixelRect(10, 20, 300, 100), r.GetValue<PixelRect?>("--roi"));
        Assert.Equal(["a.png", "b.json", "dir"], r.GetValue<string[]>("inputs")!);
    }

    [Theory]
    [InlineData("read a.png --roi 1,2,3")]
    [InlineData("read a.png --roi 1,2,3,x")]
    [InlineData("read a.png --roi 1,2,0,5")]
    [InlineData("read")]
    [InlineData("read a.png --threads -1")]
    public void Parse_BadCommandLine_ReportsError(string line)
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse(line);
        Assert.NotEmpty(r.Errors);
    }

    [Fact]
    public void Parse_BadRoi_MessageNamesOption()
    {
        var r = EdgeDigitsCli.CreateRootCommand().Parse("read a.png --roi 5,5,w,h");
        Assert.Contains(r.Errors, e => e.Message.Contains("--roi") && e.Message.Contains("'w'"));
    }

    [Fact]
    public void Execute_ImageAndInk_PrintsPathTextConfidence()
    {
        var png = WriteFrame("frame.png");
        var ink = WriteInk("pen.json", "2024");
        var (exit, output, err) = Run(png, ink, "--model", Model);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("", err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        var f = lines[0].Split('\t');
        Assert.Equal(png, f[0]);
        Assert.Equal(RecognitionBenchmark.FrameText, f[1]);
        Assert.InRange(double.Parse(f[2], System.Globalization.CultureInfo.InvariantCulture), 0.5, 1.0);
        Assert.Equal("2024", lines[1].Split('\t')[1]);
    }

    [Fact]
    public void Execute_Json_OneObjectPerFileWithBoxes()
    {
        var png = WriteFrame("frame.png");
        var (exit, output, _) = Run(png, "--model", Model, "--json");
        Assert.Equal(ExitCodes.Success, exit);
        using var doc = JsonDocument.Parse(output.Trim());
        Assert.Equal(png, doc.RootElement.GetProperty("file").GetString());
        var digits = doc.RootElement.GetProperty("digits");
        Assert.Equal(6, digits.GetArrayLength());
        var box = digits[0].GetProperty("box");
        Assert.InRange(box[0].GetInt32(), 30, 50);     // the frame's first digit starts at x = 40
        Assert.InRange(box[1].GetInt32(), 180, 200);
    }

    [Fact]
    public void Execute_FolderWithSubfolders_ReadsFilesAtEveryDepth()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "ink", "more"));
        WriteFrame("top.png");
        WriteInk(Path.Combine("ink", "more", "deep.json"), "17");
        var (exit, output, err) = Run(_dir, "--model", Model);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("", err);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal([Path.Combine(_dir, "ink", "more", "deep.json"), "17"], lines[0].Split('\t')[..2]);
        Assert.Equal(Path.Combine(_dir, "top.png"), lines[1].Split('\t')[0]);
    }

    [Fact]
    public void Execute_FolderWithBadFiles_ReadsTheGoodOnesAndFails()
    {
        WriteFrame("a.png");
        WriteInk("b.json", "17");
        File.WriteAllBytes(Path.Combine(_dir, "c.png"), File.ReadAllBytes(Path.Combine(_dir, "a.png"))[..200]);
        File.WriteAllText(Path.Combine(_dir, "d.json"), "{\"width\":320,\"height\":240,\"strokes\":[[[1,2");
        File.WriteAllText(Path.Combine(_dir, "notes.txt"), "ignored");
        var (exit, output, err) = Run(_dir, "--model", Model);
        Assert.Equal(ExitCodes.BadInput, exit);
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal(Path.Combine(_dir, "a.png"), lines[0].Split('\t')[0]);
        Assert.Equal([Path.Combine(_dir, "b.json"), "17"], lines[1].Split('\t')[..2]);
        var errors = err.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, errors.Length);
        Assert.Contains("c.png: truncated", errors[0]);
        Assert.Contains("d.json: invalid JSON at line 1", errors[1]);
    }

    [Fact]
    public void Execute_EmptyInk_EmptyReadingNotAnError()
    {
        var path = Path.Combine(_dir, "empty.json");
        File.WriteAllText(path, "{\"width\":320,\"height\":240,\"strokes\":[]}");
        var (exit, output, _) = Run(path, "--model", Model);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal($"{path}\t\t-", output.Trim());
    }

    [Fact]
    public void Execute_InkWithoutJsonExtension_DetectedByContent()
    {
        var path = WriteInk("pen.ink", "7");
        var (exit, output, _) = Run(path, "--model", Model);
        Assert.Equal(ExitCodes.Success, exit);
        Assert.Equal("7", output.Trim().Split('\t')[1]);
    }

    [Fact]
    public void Execute_RoiOutsideImage_FailsNamingFile()
    {
        var png = WriteFrame("frame.png");
        var (exit, _, err) = Run(png, "--model", Model, "--roi", "600,400,100,100");
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("frame.png: --roi 600,400,100,100 is outside the 640x480 image", err);
    }

    [Fact]
    public void Execute_Roi_ReadsOnlyPartWithFrameBoxes()
    {
        var png = WriteFrame("frame.png");
        var (exit, output, _) = Run(png, "--model", Model, "--roi", "200,100,440,300", "--json");
        Assert.Equal(ExitCodes.Success, exit);
        using var doc = JsonDocument.Parse(output.Trim());
        Assert.Equal(RecognitionBenchmark.FrameText[2..], doc.RootElement.GetProperty("text").GetString());
        Assert.True(doc.RootElement.GetProperty("digits")[0].GetProperty("box")[0].GetInt32() >= 200);
    }

    [Fact]
    public void Execute_QuadOnAngledMeter_StraightensBeforeReading()
    {
        // The committed sample and its quad: a 7-segment display photographed from the side.
        var image = Path.Combine(RepoPaths.Samples, "images", "meter-7seg-1388-angled.png");
        var quad = File.ReadAllText(Path.Combine(RepoPaths.Samples, "images", "meter-7seg-1388-angled.quad.txt")).Trim();
        var (exit, output, _) = Run(image, "--model", Model, "--quad", quad, "--json");
        Assert.Equal(ExitCodes.Success, exit);
        using var doc = JsonDocument.Parse(output.Trim());
        var digits = doc.RootElement.GetProperty("digits");
        Assert.Equal(4, digits.GetArrayLength());
        // Boxes come back in the photo's coordinates: inside the quad's bounding box, left to right.
        int lastX = 0;
        foreach (var d in digits.EnumerateArray())
        {
            int x = d.GetProperty("box")[0].GetInt32();
            Assert.InRange(x, 40, 322);
            Assert.True(x > lastX);
            lastX = x;
        }
    }

    [Theory]
    [InlineData("read a.png --quad 1,2,3,4,5,6,7")]
    [InlineData("read a.png --quad 1,2,3,4,5,6,7,x")]
    public void Parse_BadQuad_ReportsError(string line) => Assert.NotEmpty(EdgeDigitsCli.CreateRootCommand().Parse(line).Errors);

    [Fact]
    public void Execute_DebugDir_WritesThresholdComponentsCrops()
    {
        var png = WriteFrame("frame.png");
        var ink = WriteInk("pen.json", "42");
        var dbg = Path.Combine(_dir, "dbg");
        var (exit, _, _) = Run(png, ink, "--model", Model, "--debug-dir", dbg);
        Assert.Equal(ExitCodes.Success, exit);
        foreach (var f in new[] { "frame.png.threshold.png", "frame.png.components.png", "frame.png.crops.png", "frame.png.ink.png", "pen.json.crops.png", "pen.json.ink.png" })
            Assert.True(File.Exists(Path.Combine(dbg, f)), f);
        var crops = GrayImageCodec.Decode(Path.Combine(dbg, "frame.png.crops.png"));
        Assert.Equal(6 * (28 * 4 + 4), crops.Width);
    }

    [Fact]
    public void Execute_InkWithAndWithoutInkModel_SameTextBlendedConfidence()
    {
        var ink = Path.Combine(RepoPaths.Samples, "ink", "31415.json");
        var seq = Path.Combine(RepoPaths.Models, "inkseq-fp32.onnx");
        var (exitA, alone, _) = Run(ink, "--model", Model, "--ink-model", "none", "--json");
        var (exitB, both, errB) = Run(ink, "--model", Model, "--ink-model", seq, "--json");
        Assert.Equal(ExitCodes.Success, exitA);
        Assert.True(exitB == ExitCodes.Success, errB);
        using var a = JsonDocument.Parse(alone);
        using var b = JsonDocument.Parse(both);
        Assert.Equal("31415", a.RootElement.GetProperty("text").GetString());
        Assert.Equal("31415", b.RootElement.GetProperty("text").GetString());
        Assert.NotEqual(a.RootElement.GetProperty("digits")[0].GetProperty("confidence").GetDouble(), b.RootElement.GetProperty("digits")[0].GetProperty("confidence").GetDouble());
    }

    [Fact]
    public void Execute_InkWithoutInkModelOption_ReadsWithTheShippedInt8InkModel()
    {
        var ink = Path.Combine(RepoPaths.Samples, "ink", "31415.json");
        var (exitA, byDefault, errA) = Run(ink, "--model", Model, "--json");
        var (exitB, int8, errB) = Run(ink, "--model", Model, "--ink-model", Path.Combine(RepoPaths.Models, "inkseq-int8.onnx"), "--json");
        var (exitC, fp32, errC) = Run(ink, "--model", Model, "--ink-model", Path.Combine(RepoPaths.Models, "inkseq-fp32.onnx"), "--json");
        Assert.True(exitA == ExitCodes.Success, errA);
        Assert.True(exitB == ExitCodes.Success, errB);
        Assert.True(exitC == ExitCodes.Success, errC);
        static double[] Confidences(string json)
        {
            using var d = JsonDocument.Parse(json);
            return d.RootElement.GetProperty("digits").EnumerateArray().Select(x => x.GetProperty("confidence").GetDouble()).ToArray();
        }
        Assert.Equal(Confidences(int8), Confidences(byDefault));
        Assert.NotEqual(Confidences(fp32), Confidences(byDefault));
    }

    [Fact]
    public void Execute_InkModelOfTheWrongKind_BadInputWithTheReason()
    {
        var (exit, _, err) = Run(WriteInk("pen.json", "7"), "--model", Model, "--ink-model", Model);
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("not an ink sequence model", err);
        Assert.Single(err.Trim().Split('\n'));
    }

    [Fact]
    public void Execute_MissingModel_BadInputWithMessage()
    {
        var png = WriteFrame("frame.png");
        var (exit, _, err) = Run(png, "--model", Path.Combine(_dir, "none.onnx"));
        Assert.Equal(ExitCodes.BadInput, exit);
        Assert.Contains("none.onnx: model file not found", err);
    }

    [Fact]
    public async Task Main_MissingFile_ExitCodeBadInputOnStderr()
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgedigits.dll"));
        foreach (var a in new[] { "read", Path.Combine(_dir, "nope.png"), "--model", Model }) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var err = p.StandardError.ReadToEndAsync();
        await p.StandardOutput.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await p.WaitForExitAsync(timeout.Token);
        Assert.Equal(ExitCodes.BadInput, p.ExitCode);
        Assert.Contains("nope.png: no such file or folder", await err);
    }
}
