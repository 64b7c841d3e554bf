using EdgeDigits.Core.Recognition;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Core.Tests.TestInfrastructure;
using Xunit.Abstractions;

namespace EdgeDigits.Core.Tests.Accuracy;

/// <summary>
/// Whole-string accuracy on generated data with fixed seeds (issue 3): multi-digit images composed from
/// MNIST test digits, 7-segment numbers rendered with DSEG fonts, and inks traced from MNIST test digits.
/// The MNIST test split is never used for training, so these are held-out figures.
/// </summary>
public class AccuracyTests(ITestOutputHelper output)
{
    private const int ImageCount = 300;
    private const int SevenSegmentCount = 200;
    private const int InkCount = 3000;

    private static (List<byte[]> Digits, string Truth) PickDigits(Random rng, int maxLength)
    {
        int len = 1 + rng.Next(maxLength);
        var digits = new List<byte[]>(len);
        var truth = new char[len];
        for (int i = 0; i < len; i++)
        {
            int idx = rng.Next(MnistTestSet.Count);
            digits.Add(MnistTestSet.Image(idx).ToArray());
            truth[i] = (char)('0' + MnistTestSet.Label(idx));
        }
        return (digits, new string(truth));
    }

    private void Report(string name, int ok, int total, List<string> failures, double required)
    {
        double acc = (double)ok / total;
        output.WriteLine($"{name}: {ok}/{total} = {acc:P2} (required {required:P0})");
        foreach (var f in failures.Take(20)) output.WriteLine("  " + f);
        Assert.True(acc >= required, $"{name}: whole-string accuracy {acc:P2} ({ok}/{total}) is below {required:P0}; first failures: {string.Join("; ", failures.Take(8))}");
    }

    [Fact]
    public void ComposedMnistImages_WholeString_AtLeast97Percent()
    {
        using var classifier = new DigitClassifier(TestModels.Default);
        var reader = new NumberReader(classifier);
        var rng = new Random(20261124);
        int ok = 0;
        var failures = new List<string>();
        for (int k = 0; k < ImageCount; k++)
        {
            var (digits, truth) = PickDigits(rng, 8);
            bool invert = rng.NextDouble() < 0.2;
            var image = DigitComposer.Compose(digits, rng, invert);
            var text = reader.Read(image).Text;
            if (text == truth) ok++;
            else failures.Add($"#{k} {truth} read {text}{(invert ? " (inverted)" : "")}");
        }
        Report("MNIST multi-digit images", ok, ImageCount, failures, 0.97);
    }

    [Fact]
    public void SevenSegmentNumbers_WholeString_AtLeast99Percent()
    {
        using var classifier = new DigitClassifier(TestModels.Default);
        var reader = new NumberReader(classifier);
        var rng = new Random(7_2026);
        int ok = 0;
        var failures = new List<string>();
        for (int k = 0; k < SevenSegmentCount; k++)
        {
            int len = 1 + rng.Next(8);
            var truth = string.Concat(Enumerable.Range(0, len).Select(_ => (char)('0' + rng.Next(10))));
            bool backlit = rng.NextDouble() < 0.2;
            var image = SevenSegmentRenderer.Render(truth, rng, backlit);
            var text = reader.Read(image).Text;
            if (text == truth) ok++;
            else failures.Add($"#{k} {truth} read {text}{(backlit ? " (backlit)" : "")}");
        }
        Report("7-segment numbers", ok, SevenSegmentCount, failures, 0.99);
    }

    // 3,000 strings: at about 97.5% one seed's 1,000 strings land anywhere from 97.1% to 98.4%
    // (standard error 0.5 point); 3,000 pin the level to 0.3 point.
    [Fact]
    public void TracedMnistInks_WholeString_AtLeast97Percent() => TracedMnistInks(withSequenceModel: false);

    /// <summary>The kiosk's path: the ink sequence model read beside the image model. Traced inks are not how people write (their stroke order comes from the tracer), so this is the check that the blend does not lose them.</summary>
    [Fact]
    public void TracedMnistInks_WithInkSequenceModel_WholeString_AtLeast97Percent() => TracedMnistInks(withSequenceModel: true);

    private void TracedMnistInks(bool withSequenceModel)
    {
        using var classifier = new DigitClassifier(TestModels.Default);
        using var sequence = withSequenceModel ? new DigitClassifier(TestModels.InkSequence) : null;
        var reader = new NumberReader(classifier, null, sequence);
        var rng = new Random(31_2026);
        int ok = 0, multi = 0;
        var failures = new List<string>();
        for (int k = 0; k < InkCount; k++)
        {
            var (digits, truth) = PickDigits(rng, 6);
            if (truth.Length > 1) multi++;
            var ink = InkTracer.Compose(digits, rng, truth);
            var text = reader.Read(ink).Text;
            if (text == truth) ok++;
            else failures.Add($"#{k} {truth} read {text}");
        }
        Assert.True(multi > InkCount / 2, "most inks must hold several digits");
        Report(withSequenceModel ? "MNIST-traced inks, with the ink sequence model" : "MNIST-traced inks", ok, InkCount, failures, 0.97);
    }
}
