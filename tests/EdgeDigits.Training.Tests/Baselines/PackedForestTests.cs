using EdgeDigits.Training.Baselines;
using EdgeDigits.Training.Tests.TestInfrastructure;

namespace EdgeDigits.Training.Tests.Baselines;

public sealed class PackedForestTests
{
    // Full-depth trees (almost all leaves pure) and depth-4 trees (almost all leaves mixed), 13 in all so the last
    // group of lanes is partly filled.
    private static (CartTree[] Trees, FeatureMatrix Test) Grow(int full, int shallow)
    {
        var features = new PixelFeatures();
        var x = features.ExtractAll(TestModels.Train);
        var bins = FeatureBins.Fit(x);
        var trees = new CartTree[full + shallow];
        for (var t = 0; t < trees.Length; t++)
        {
            var rng = new Random(t + 1);
            var rows = new int[x.Rows];
            for (var i = 0; i < rows.Length; i++) rows[i] = rng.Next(x.Rows);
            trees[t] = CartTree.Grow(bins, TestModels.Train.Labels, 10, rows, 28, t < full ? int.MaxValue : 4, rng);
        }
        return (trees, features.ExtractAll(TestModels.Test));
    }

    [Fact]
    public void AddLeaves_SameScoresBitForBitAsTheReferenceWalk()
    {
        var (trees, test) = Grow(full: 9, shallow: 4);
        var packed = PackedForest.Pack(trees, 10, test.Dimension);
        Assert.Equal(trees.Sum(t => t.NodeCount), packed.NodeCount);
        Assert.Equal(13, packed.TreeCount);
        Assert.InRange(packed.MixedLeaves, 4, packed.NodeCount / 2);
        var expected = new float[10];
        var actual = new float[10];
        for (var i = 0; i < test.Rows; i++)
        {
            Array.Clear(expected);
            foreach (var t in trees) t.AddLeaf(test.Row(i), expected);
            Array.Clear(actual);
            packed.AddLeaves(test.Row(i), actual);
            Assert.Equal(expected, actual);
        }
    }

    [Fact]
    public void AddLeaves_OneTree_VotesOncePerImageAndBeatsChance()
    {
        var (trees, test) = Grow(full: 1, shallow: 0);
        var packed = PackedForest.Pack(trees, 10, test.Dimension);
        var scores = new float[10];
        var correct = 0;
        for (var i = 0; i < test.Rows; i++)
        {
            Array.Clear(scores);
            packed.AddLeaves(test.Row(i), scores);
            Assert.Equal(1f, scores.Sum(), 5);
            if (Array.IndexOf(scores, scores.Max()) == TestModels.Test.Labels[i]) correct++;
        }
        Assert.InRange(correct / (double)test.Rows, 0.5, 1.0);
    }
}
