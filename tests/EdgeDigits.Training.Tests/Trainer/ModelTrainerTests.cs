using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Trainer;

namespace EdgeDigits.Training.Tests.Trainer;

public class ModelTrainerTests
{
    private static readonly Lazy<DigitSet> Train = new(() => Mnist.Load(RepoPaths.Mnist, MnistSplit.Train, limit: 3000));
    private static readonly Lazy<DigitSet> Test = new(() => Mnist.Load(RepoPaths.Mnist, MnistSplit.Test, limit: 1000));

    // The trainer's mechanics on MNIST: the paper/scanner pass (on by default) is left out so the loss
    // thresholds below keep measuring the optimizer, not how hard the augmented crops are.
    private static TrainOptions Small(int epochs = 2, int threads = 2, int seed = 5) => new()
    {
        Architecture = "c8,p,c16,p,c32,gap,fc", Epochs = epochs, BatchSize = 64, LearningRate = 1e-2f, Threads = threads, Seed = seed, Dropout = 0.1f,
        DomainAugment = 0,
    };

    [Fact]
    public void Fit_SmallMnistSubset_LossFallsAndAccuracyBeatsChance()
    {
        var trainer = new ModelTrainer(Small(epochs: 3), DigitSet.DigitClasses);
        var result = trainer.Fit(Train.Value);
        Assert.Equal(3, result.History.Count);
        Assert.True(result.History[^1].Loss < result.History[0].Loss * 0.6, $"loss {result.History[0].Loss} -> {result.History[^1].Loss}");
        var (acc, _) = ModelTrainer.Evaluate(trainer.Network, Test.Value);
        Assert.True(acc > 0.7, $"test accuracy {acc} (chance: 0.1)");
    }

    [Fact]
    public void Fit_SameSeedAndThreads_BitIdenticalWeights()
    {
        var data = Train.Value.Subset(0, 600);
        var a = new ModelTrainer(Small(epochs: 1), DigitSet.DigitClasses);
        var b = new ModelTrainer(Small(epochs: 1), DigitSet.DigitClasses);
        var c = new ModelTrainer(Small(epochs: 1, seed: 6), DigitSet.DigitClasses);
        a.Fit(data);
        b.Fit(data);
        c.Fit(data);
        for (var i = 0; i < a.Network.Parameters.Count; i++)
            Assert.Equal(a.Network.Parameters[i].Value, b.Network.Parameters[i].Value);
        Assert.Equal(a.Network.Buffers.SelectMany(x => x), b.Network.Buffers.SelectMany(x => x));
        Assert.NotEqual(a.Network.Parameters[0].Value, c.Network.Parameters[0].Value);
    }

    [Fact]
    public void Resume_FromEpochCheckpoint_MatchesUninterruptedRun()
    {
        var data = Train.Value.Subset(0, 500);
        var dir = RepoPaths.NewTempDir();
        var straight = new ModelTrainer(Small(epochs: 2), DigitSet.DigitClasses);
        straight.Fit(data);

        var first = new ModelTrainer(Small(epochs: 2), DigitSet.DigitClasses) { CheckpointDir = dir, StopAfterEpochs = 1 };
        first.Fit(data);
        var ckpt = Path.Combine(dir, "last.ckpt");
        Assert.True(File.Exists(ckpt));
        Assert.False(File.Exists(ckpt + ".tmp"));
        var resumed = new ModelTrainer(Small(epochs: 2), DigitSet.DigitClasses);
        resumed.Resume(Checkpoint.Load(ckpt));
        Assert.Equal(1, resumed.CompletedEpochs);
        var result = resumed.Fit(data);
        Assert.Single(result.History);
        for (var i = 0; i < straight.Network.Parameters.Count; i++)
            Assert.Equal(straight.Network.Parameters[i].Value, resumed.Network.Parameters[i].Value);
    }

    [Fact]
    public void Checkpoint_Truncated_ThrowsInvalidDataNamingFile()
    {
        var dir = RepoPaths.NewTempDir();
        var trainer = new ModelTrainer(Small(epochs: 1), DigitSet.DigitClasses);
        var path = Path.Combine(dir, "x.ckpt");
        Checkpoint.Capture(trainer.Options, trainer.Classes, 0, trainer.Network, trainer.Optimizer).Save(path);
        var bytes = File.ReadAllBytes(path);
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var ex = Assert.Throws<InvalidDataException>(() => Checkpoint.Load(path));
        Assert.Contains(path, ex.Message);
    }

    [Fact]
    public void Fit_EmptySet_Throws()
    {
        var trainer = new ModelTrainer(Small(), DigitSet.DigitClasses);
        var ex = Assert.Throws<ArgumentException>(() => trainer.Fit(DigitSet.Empty(DigitSet.DigitClasses)));
        Assert.Contains("empty", ex.Message);
    }

    [Theory]
    [InlineData(0, 64, "--epochs")]
    [InlineData(1, 0, "--batch")]
    public void Options_OutOfRange_NameTheOption(int epochs, int batch, string option)
    {
        var ex = Assert.Throws<ArgumentException>(() => (Small() with { Epochs = epochs, BatchSize = batch }).Validate());
        Assert.Contains(option, ex.Message);
    }
}
