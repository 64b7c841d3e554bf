using System.CommandLine;
using EdgeDigits.Core.Synthesis;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits samples</c>: regenerate the <c>samples/</c> set from MNIST test digits and the DSEG fonts.</summary>
public sealed class SamplesCommand : Command
{
    /// <summary>MNIST folder.</summary>
    public Option<string> Mnist { get; } = new("--mnist") { Description = "Folder with the MNIST test IDX files", DefaultValueFactory = _ => "data/mnist" };

    /// <summary>The meterdigits set, for the meter frames only.</summary>
    public Option<string?> MeterFrames { get; } = new("--meter-frames") { Description = "Write only meter-frames/ (real windows of one meter on a face with reference marks), from this meterdigits folder" };

    /// <summary>Output folder.</summary>
    public Option<string> Out { get; } = new("--out") { Description = "Where to write ink/ and images/", DefaultValueFactory = _ => "samples" };

    /// <summary>Creates the command.</summary>
    public SamplesCommand() : base("samples", "Write the sample inks and images (MNIST test digits, DSEG 7-segment meters) with fixed seeds.")
    {
        Add(Mnist);
        Add(Out);
        Add(MeterFrames);
        SetAction(parse => CommandRunner.Run("samples", () =>
        {
            var files = parse.GetValue(MeterFrames) is { } meterDigits
                ? MeterFace.WriteSamples(meterDigits, parse.GetValue(Out)!)
                : SampleSet.Write(parse.GetValue(Mnist)!, parse.GetValue(Out)!);
            foreach (var f in files) Console.WriteLine(f);
        }));
    }
}
