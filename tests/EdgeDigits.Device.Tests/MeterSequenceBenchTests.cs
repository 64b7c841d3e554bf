using System.Text.Json;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Device.Cli;
using EdgeDigits.Device.Tests.TestInfrastructure;

namespace EdgeDigits.Device.Tests;

/// <summary><c>EdgeDigits.Device bench --meter-sequence</c> replaying the real-window sample meter through meter mode's reader and plausibility.</summary>
public sealed class MeterSequenceBenchTests
{
    /// <summary>A copy of samples/meter-frames with a truth.csv of <paramref name="values"/> (one per frame, in order).</summary>
    private static string Sequence(params string[] values)
    {
        var dir = RepoPaths.NewTempDir("meter-sequence");
        foreach (var f in Directory.GetFiles(SampleMeter.Dir)) File.Copy(f, Path.Combine(dir, Path.GetFileName(f)));
        File.WriteAllLines(Path.Combine(dir, "truth.csv"), ["file,value", .. values.Select((v, i) => $"frame-{i}.jpg,{v}")]);
        return dir;
    }

    private static (int Code, JsonElement Report, string Error) Run(params string[] args)
    {
        var (o, e) = (new StringWriter(), new StringWriter());
        var code = BenchCommand.Run(args, o, e);
        return (code, o.ToString().Length > 0 ? JsonDocument.Parse(o.ToString()).RootElement : default, e.ToString());
    }

    [Fact]
    public void MeterSequence_SampleMeterWithItsTrueValues_EveryPublishedValueRightAndAPicture()
    {
        var dir = Sequence([.. MeterFace.SampleValues]);
        var pictures = RepoPaths.NewTempDir("meter-sequence-out");
        var (code, r, _) = Run("--meter-sequence", dir, "--out", pictures);
        Assert.Equal(4, r.GetProperty("frames").GetInt32());
        // A lowest wheel read just below its digit after standing on another waits a reading (LowestWheelFloor.Settle): at most one here.
        var published = r.GetProperty("published").GetInt32();
        Assert.InRange(published, 3, 4);
        Assert.Equal(4 - published, r.GetProperty("rejected").GetInt32());
        Assert.Equal(4 - published, r.GetProperty("longestRunUnpublished").GetInt32());
        Assert.Equal(1.0, r.GetProperty("publishedRight").GetDouble());
        Assert.Equal(0, r.GetProperty("decreasesWithoutRollover").GetArrayLength());
        Assert.Equal(r.GetProperty("targets").GetProperty("met").GetBoolean() ? 0 : 1, code);
        var png = GrayImageCodec.Decode(Path.Combine(pictures, "meter-sequence.png"));
        // Two columns of window rows (the eight windows and a margin), two rows of frames with two caption lines each.
        Assert.Equal(2 * (8 * 40 + 7 * 8 + 48 + 8) + 8, png.Width);
    }

    [Fact]
    public void MeterSequence_TruthSaysOneFrameShowsOtherDigits_CountsItWrong()
    {
        var values = MeterFace.SampleValues.ToArray();
        values[2] = "00371468";
        var (code, r, _) = Run("--meter-sequence", Sequence(values));
        Assert.Equal(1, code);
        Assert.Equal(1 - 1.0 / r.GetProperty("published").GetInt32(), r.GetProperty("publishedRight").GetDouble(), 4);
        var wrong = Assert.Single(r.GetProperty("publishedWrong").EnumerateArray());
        Assert.Equal("frame-2.jpg", wrong.GetProperty("file").GetString());
        Assert.Equal(long.Parse(MeterFace.SampleValues[2]), wrong.GetProperty("published").GetInt64());
    }

    /// <summary>truth.csv with the positions of the sample frames (clean windows: every wheel on its digit) and the given overrides.</summary>
    private static void TruthWithPositions(string dir, params (int Frame, string Position)[] overrides) =>
        File.WriteAllLines(Path.Combine(dir, "truth.csv"), ["file,value,position", .. MeterFace.SampleValues.Select((v, i) =>
            $"frame-{i}.jpg,{v},{overrides.Where(o => o.Frame == i).Select(o => o.Position).DefaultIfEmpty(long.Parse(v) + ".0").First()}")]);

    [Fact]
    public void MeterSequence_PublishTenth_ScoredToTheTenthAgainstThePositions()
    {
        var dir = Sequence([.. MeterFace.SampleValues]);
        TruthWithPositions(dir);
        var (_, r, _) = Run("--meter-sequence", dir, "--publish-tenth");
        Assert.True(r.GetProperty("publishTenth").GetBoolean());
        Assert.Equal(new Configuration.MeterOptions().TenthJitter, r.GetProperty("tenthJitter").GetInt32());
        var published = r.GetProperty("published").GetInt32();
        var right = r.GetProperty("publishedRightToTenthCount").GetInt32();
        Assert.Equal(published - right, r.GetProperty("publishedWrongToTenth").GetArrayLength());
        Assert.Equal((double)right / published, r.GetProperty("publishedRightToTenth").GetDouble(), 4);
        Assert.Equal(1.0, r.GetProperty("publishedRight").GetDouble());
        Assert.Equal(0, r.GetProperty("decreasesWithoutRollover").GetArrayLength());

        // Every lowest wheel said to stand half a digit on (the windows are clean digits): no published value is right to the
        // tenth, each is listed with the position it missed, and the whole numbers are still right.
        TruthWithPositions(dir, [.. MeterFace.SampleValues.Select((v, i) => (i, long.Parse(v) + ".5"))]);
        var (_, half, _) = Run("--meter-sequence", dir, "--publish-tenth");
        Assert.Equal(0, half.GetProperty("publishedRightToTenthCount").GetInt32());
        var wrong = half.GetProperty("publishedWrongToTenth").EnumerateArray().ToList();
        Assert.Equal(half.GetProperty("published").GetInt32(), wrong.Count);
        Assert.All(wrong, w => Assert.EndsWith(".5", w.GetProperty("position").GetRawText()));
        Assert.Equal("frame-0.jpg", wrong[0].GetProperty("file").GetString());
        Assert.Matches(@"^371458\.\d$", wrong[0].GetProperty("published").GetRawText());
        Assert.Equal(1.0, half.GetProperty("publishedRight").GetDouble());
    }

    [Fact]
    public void MeterSequence_PublishTenthWithoutPositions_OneLineAndBadInput()
    {
        var dir = Sequence([.. MeterFace.SampleValues]);
        var (code, _, error) = Run("--meter-sequence", dir, "--publish-tenth");
        Assert.Equal(3, code);
        Assert.Equal($"bench: {Path.Combine(dir, "truth.csv")}: --publish-tenth is scored to the tenth, so every line needs its position (file,value,position)", error.TrimEnd());
    }

    [Theory]
    [InlineData("12", "bench: --tenth-jitter 12 must be 0..9 tenths")]
    [InlineData("x", "bench: The input string 'x' was not in a correct format.")]
    public void MeterSequence_TenthJitterOutOfRange_UsageError(string jitter, string message)
    {
        var (code, _, error) = Run("--meter-sequence", Sequence("00371458"), "--publish-tenth", "--tenth-jitter", jitter);
        Assert.Equal(2, code);
        Assert.StartsWith(message, error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void MeterSequence_TenthJitterWithoutPublishTenth_UsageError()
    {
        var (code, _, error) = Run("--meter-sequence", Sequence("00371458"), "--tenth-jitter", "0");
        Assert.Equal(2, code);
        Assert.StartsWith("bench: --tenth-jitter is for --publish-tenth", error);
    }

    [Fact]
    public void PublishTenth_WithoutMeterSequence_UsageError()
    {
        var (code, _, error) = Run("--publish-tenth", "--frames", RepoPaths.NewTempDir("frames"));
        Assert.Equal(2, code);
        Assert.StartsWith("bench: --publish-tenth is for --meter-sequence", error);
    }

    [Fact]
    public void MeterSequence_FramesOutOfOrder_DecreaseRejectedNeverPublished()
    {
        var dir = Sequence(MeterFace.SampleValues[0], MeterFace.SampleValues[1], MeterFace.SampleValues[2], MeterFace.SampleValues[3]);
        // Frame 3 shown before frame 1: the meter seems to go back, which plausibility must not publish.
        File.WriteAllLines(Path.Combine(dir, "truth.csv"), ["file,value", $"frame-0.jpg,{MeterFace.SampleValues[0]}", $"frame-3.jpg,{MeterFace.SampleValues[3]}", $"frame-1.jpg,{MeterFace.SampleValues[1]}"]);
        var (_, r, _) = Run("--meter-sequence", dir);
        Assert.Equal(2, r.GetProperty("published").GetInt32());
        Assert.Equal(1, r.GetProperty("rejected").GetInt32());
        Assert.Equal(0, r.GetProperty("decreasesWithoutRollover").GetArrayLength());
    }

    [Fact]
    public void MeterSequence_NoSettle_SaysSoAndNeverWaits()
    {
        // Without the lowest wheel's wait every frame of the rising sample meter is published, right or not.
        var (_, r, _) = Run("--meter-sequence", Sequence([.. MeterFace.SampleValues]), "--no-settle");
        Assert.False(r.GetProperty("settle").GetBoolean());
        Assert.Equal(4, r.GetProperty("published").GetInt32());
        Assert.Equal(0, r.GetProperty("longestRunUnpublished").GetInt32());
    }

    [Fact]
    public void NoSettle_WithoutMeterSequence_UsageError()
    {
        var (code, _, error) = Run("--no-settle", "--frames", RepoPaths.NewTempDir("frames"));
        Assert.Equal(2, code);
        Assert.StartsWith("bench: --no-settle is for --meter-sequence", error);
    }

    [Fact]
    public void MeterSequence_BurstWithCapturesBesideTheFrames_ReadsThemElseRepeatsTheFrame()
    {
        var dir = Sequence([.. MeterFace.SampleValues]);
        var (_, repeated, _) = Run("--meter-sequence", dir, "--burst", "3");
        Assert.Equal("repeated", repeated.GetProperty("burstFrames").GetString());
        // Each frame's burst: the next sample frames' camera moves do not matter, the same meter state does.
        for (int i = 0; i < 4; i++)
            for (int b = 1; b < 3; b++)
                File.WriteAllBytes(Path.Combine(dir, Core.Meters.MeterSequenceFiles.BurstFrameName($"frame-{i}.jpg", b)),
                    SampleMeter.Moved(b, -b, 0.2 * b) is var moved && i == 0 ? moved : File.ReadAllBytes(Path.Combine(dir, $"frame-{i}.jpg")));
        var (_, captured, _) = Run("--meter-sequence", dir, "--burst", "3");
        Assert.Equal("captured", captured.GetProperty("burstFrames").GetString());
        Assert.Equal(1.0, captured.GetProperty("publishedRight").GetDouble());
        File.Delete(Path.Combine(dir, "frame-2-2.jpg"));
        var (code, _, error) = Run("--meter-sequence", dir, "--burst", "3");
        Assert.Equal(3, code);
        Assert.Contains("frame-2-2.jpg", error);
    }

    [Fact]
    public void MeterSequence_NoTruthFile_OneLineAndBadInput()
    {
        var dir = Sequence("00371458");
        File.Delete(Path.Combine(dir, "truth.csv"));
        var (code, _, error) = Run("--meter-sequence", dir);
        Assert.Equal(3, code);
        Assert.StartsWith($"bench: {Path.Combine(dir, "truth.csv")}: not found (a sequence folder holds its frames, meter.json and truth.csv", error);
        Assert.Single(error.TrimEnd().Split('\n'));
    }

    [Fact]
    public void MeterSequence_TruthLineNotAValue_NamesTheLine()
    {
        var dir = Sequence("00371458", "0037x462");
        var (code, _, error) = Run("--meter-sequence", dir);
        Assert.Equal(3, code);
        Assert.Equal($"bench: {Path.Combine(dir, "truth.csv")}:3: 'frame-1.jpg,0037x462' is not file,value[,position] (the digits the meter shows, where it is to a tenth)", error.TrimEnd());
    }

    [Fact]
    public void MeterSequence_WithFrames_UsageError()
    {
        var (code, _, error) = Run("--meter-sequence", Sequence("00371458"), "--frames", "x");
        Assert.Equal(2, code);
        Assert.StartsWith("bench: --meter-sequence replays its own frames; it takes no --frames or --ink", error);
    }
}
