using System.CommandLine;
using EdgeDigits.Core.Synthesis;

namespace EdgeDigits.Tool.Commands;

/// <summary><c>edgedigits samples</c>: regenerate the <c>samples/</c> set from MNIST test digits and the DSEG fonts.</summary>
public sealed class SamplesCommand : Command
{
    /// <summary>MNIST folder.</summary>
    public Option<string> Mnist { get; } = new("--mnist") { Description = "Folder with the MNIST test IDX files", DefaultValueFactory = _ => "data/mnist" };

    /// <summary>Output folder.</summary>
    public Option<string> Out { get; } = new("--out") { Description = "Where to write ink/ and images/", DefaultValueFactory = _ => "samples" };

    /// <summary>Creates the command.</summary>
    public SamplesCommand() : base("samples", "Write the sample inks and images (MNIST test digits, DSEG 7-segment meters) with fixed seeds.")
    {
        Add(Mnist);
        Add(Out);
        SetAction(parse => CommandRunner.Run("samples", () =>
        {
            foreach (var f in SampleSet.Write(parse.GetValue(Mnist)!, parse.GetValue(Out)!)) Console.WriteLine(f);
        }));
    }
}
