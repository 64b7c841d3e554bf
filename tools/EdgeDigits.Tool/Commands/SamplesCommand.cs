using System.CommandLine;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Training.Data.Meters;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits samples</c>: regenerate the <c>samples/</c> set from MNIST test digits and the DSEG fonts.</summary>
public sealed class SamplesCommand : Command
{
    /// <summary>MNIST folder.</summary>
    public Option<string> Mnist { get; } = new("--mnist") { Description = "Folder with the MNIST test IDX files", DefaultValueFactory = _ => "data/mnist" };

    /// <summary>The meterdigits set, for the meter frames only.</summary>
    public Option<string?> MeterFrames { get; } = new("--meter-frames") { Description = "Write only meter-frames/ (real windows of one meter on a face with reference marks), from this meterdigits folder" };

    /// <summary>Write a replayed meter sequence from this meterdigits folder.</summary>
    public Option<string?> MeterSequence { get; } = new("--meter-sequence") { Description = "Write only meter-sequence/ (frames of one meter counting up, made of real windows of --family, with the true value of each in truth.csv; for EdgeDigits.Device bench --meter-sequence), from this meterdigits folder" };

    /// <summary>Frames of the sequence.</summary>
    public Option<int> Frames { get; } = new("--frames") { Description = "With --meter-sequence: how many frames", DefaultValueFactory = _ => 600 };

    /// <summary>Captures per reading in the sequence.</summary>
    public Option<int> Burst { get; } = new("--burst") { Description = "With --meter-sequence: captures per reading (frame-0000.jpg, frame-0000-1.jpg, …: the same meter state, the camera shaken a little), for bench --meter-sequence --burst N", DefaultValueFactory = _ => 1 };

    /// <summary>The meter family the windows come from.</summary>
    public Option<string> Family { get; } = new("--family") { Description = "With --meter-sequence: the meter family whose windows make the frames (hold it out of the model you evaluate)", DefaultValueFactory = _ => "main_dig" };

    /// <summary>Seed of the sequence.</summary>
    public Option<int> Seed { get; } = new("--seed") { Description = "With --meter-sequence: the seed of the steps, window choices and camera moves", DefaultValueFactory = _ => 1 };

    /// <summary>Output folder.</summary>
    public Option<string> Out { get; } = new("--out") { Description = "Where to write ink/ and images/ (meter-frames/, meter-sequence/)", DefaultValueFactory = _ => "samples" };

    /// <summary>Creates the command.</summary>
    public SamplesCommand() : base("samples", "Write the sample inks and images (MNIST test digits, DSEG 7-segment meters) with fixed seeds.")
    {
        Add(Mnist);
        Add(Out);
        Add(MeterFrames);
        Add(MeterSequence);
        Add(Frames);
        Add(Family);
        Add(Seed);
        Add(Burst);
        Burst.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 10) r.AddError("--burst must be 1 … 10"); });
        Frames.Validators.Add(r => { if (r.GetValueOrDefault<int>() is < 1 or > 100_000) r.AddError("--frames must be 1 … 100000"); });
        Validators.Add(r =>
        {
            if (r.GetResult(MeterFrames) is not null && r.GetResult(MeterSequence) is not null) r.AddError("give --meter-frames or --meter-sequence, not both");
            if (r.GetResult(MeterSequence) is null && new Option[] { Frames, Family, Seed, Burst }.Any(o => r.GetResult(o) is { Implicit: false }))
                r.AddError("--frames, --family, --seed and --burst apply to --meter-sequence only");
        });
        SetAction(parse => CommandRunner.Run("samples", () =>
        {
            var files = parse.GetValue(MeterSequence) is { } sequenceDigits
                ? MeterSequenceWriter.Write(sequenceDigits, Path.Combine(parse.GetValue(Out)!, "meter-sequence"), parse.GetValue(Frames), parse.GetValue(Family)!, parse.GetValue(Seed), parse.GetValue(Burst))
                : parse.GetValue(MeterFrames) is { } meterDigits
                ? MeterFace.WriteSamples(meterDigits, parse.GetValue(Out)!)
                : SampleSet.Write(parse.GetValue(Mnist)!, parse.GetValue(Out)!);
            foreach (var f in files) Console.WriteLine(f);
        }));
    }
}
