using EdgeDigits.Core.Meters;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Evaluation;
using EdgeDigits.Training.Synthetic;

namespace EdgeDigits.Training.Tests.Meters;

public sealed class MeterWindowSynthTests
{
    [Fact]
    public void Generate_SameSeed_SameWindowsWithTenthsLabels()
    {
        var synth = new MeterWindowSynth();
        var a = synth.Generate(60, SyntheticSplit.Train, 7);
        var b = synth.Generate(60, SyntheticSplit.Train, 7);
        Assert.Equal(a.Pixels, b.Pixels);
        Assert.Equal(a.Labels, b.Labels);
        Assert.Equal(TenthsDecoder.ClassLabels, a.ClassNames);
        Assert.All(a.Labels, l => Assert.InRange(l, 0, 99));
        Assert.Contains(a.Labels, l => l % 10 != 0);
        var path = Path.Combine(RepoPaths.NewTempDir(), "meter-synth.png");
        EvalFigures.Gallery(a, Enumerable.Range(0, 30).ToArray(), i => TenthsDecoder.ClassLabels[a.Labels[i]], "synthetic meter windows", path);
        Assert.True(new FileInfo(path).Length > 1000);
    }

    [Fact]
    public void Generate_StrongerGhosts_BrightenTheUnlitSegmentsOfLcdWindows()
    {
        // All LCDs, all with ghosts: an LCD's "1" lights two segments; its unlit ones are ghosts of the same "8".
        static double GhostLevel(double maxGhost)
        {
            var set = new MeterWindowSynth { LcdFraction = 1, GhostProbability = 1, MinGhost = maxGhost - 0.01, MaxGhost = maxGhost }.Generate(40, SyntheticSplit.Train, 5);
            Assert.All(set.Labels, l => Assert.Equal(0, l % 10));
            // Mid-grey pixels (neither face nor lit ink) are ghost segments and their edges.
            return Enumerable.Range(0, set.Count).Average(i => set.Image(i).ToArray().Count(v => v is > 40 and < 215));
        }
        Assert.True(GhostLevel(0.45) > GhostLevel(0.04) * 1.2, $"strong ghosts {GhostLevel(0.45)} vs faint {GhostLevel(0.04)} mid-grey pixels");
    }

    [Theory]
    [InlineData(1.2, 0.18, "LcdFraction")]
    [InlineData(0.3, 1.0, "MaxGhost")]
    [InlineData(0.3, 0.01, "MaxGhost")]
    public void Generate_SettingOutOfRange_ThrowsNamingIt(double lcd, double maxGhost, string name)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new MeterWindowSynth { LcdFraction = lcd, MaxGhost = maxGhost }.Generate(1, SyntheticSplit.Train, 1));
        Assert.Equal(name, ex.ParamName);
    }

    [Fact]
    public void Generate_Windows_HaveBothPolaritiesAndFullRange()
    {
        var set = new MeterWindowSynth().Generate(80, SyntheticSplit.Train, 3);
        int lightFaces = 0, darkFaces = 0;
        for (var i = 0; i < set.Count; i++)
        {
            var img = set.Image(i);
            Assert.Equal(255, img.ToArray().Max());
            Assert.Equal(0, img.ToArray().Min());
            // The corners are face, not digit: bright corners mean a light face.
            var corners = img[0] + img[27] + img[27 * 28] + img[27 * 28 + 27];
            if (corners > 4 * 128) lightFaces++; else darkFaces++;
        }
        Assert.InRange(lightFaces, 15, 65);
        Assert.InRange(darkFaces, 15, 65);
    }
}
