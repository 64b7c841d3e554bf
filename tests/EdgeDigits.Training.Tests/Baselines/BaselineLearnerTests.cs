using EdgeDigits.Training.Baselines;
using EdgeDigits.Training.Data;
using EdgeDigits.Training.Evaluation;
using EdgeDigits.Training.Tests.TestInfrastructure;

namespace EdgeDigits.Training.Tests.Baselines;

public sealed class BaselineLearnerTests
{
    // 2000 MNIST training images, 600 test images: chance is 10%; the floors sit well below what each
    // learner reaches on this sample and far above chance.
    [Theory]
    [InlineData("knn", "pca", 0.85)]
    [InlineData("knn", "hog", 0.85)]
    [InlineData("svm", "pca", 0.88)]
    [InlineData("tree", "pixels", 0.60)]
    [InlineData("forest", "pixels", 0.82)]
    [InlineData("forest", "hog", 0.82)]
    public void Fit_MnistSample_ClassifiesHeldOutDigitsWellAboveChance(string learnerName, string featureName, double floor)
    {
        var features = BaselineRegistry.CreateFeatures(featureName);
        features.Fit(TestModels.Train, TextWriter.Null);
        var learner = BaselineRegistry.CreateLearner(learnerName, new BaselineOptions { Learner = learnerName });
        learner.Fit(features.ExtractAll(TestModels.Train), TestModels.Train.Labels, 10, TextWriter.Null);
        var info = new BaselineInfo(learnerName, featureName, learner.Settings, ["sample"], TestModels.Train.Count, 0);
        var e = BaselineService.Evaluate(learner, features, TestModels.Train.ClassNames, info, TestModels.Test, new EvalOptions { LatencySamples = 20 }, TextWriter.Null);
        Assert.InRange(e.Metrics.Accuracy, floor, 1.0);
        Assert.Equal(TestModels.Test.Count, e.Metrics.Count);
        Assert.Equal(TestModels.Test.Labels, e.Truth);
        Assert.All(e.Confidence, c => Assert.InRange(c, 0.1f, 1.0001f));
        Assert.True(e.Latency.SingleImageMsMedian > 0);
        Assert.True(e.SizeBytes > 0);
    }

    [Fact]
    public void Predict_ScoresSumToOneAndArgmaxIsReturned()
    {
        var features = new PixelFeatures();
        var x = features.ExtractAll(TestModels.Train);
        var forest = new RandomForestClassifier(trees: 10);
        forest.Fit(x, TestModels.Train.Labels, 10, TextWriter.Null);
        var scores = new float[10];
        var best = forest.Predict(x.Row(0), scores);
        Assert.Equal(1f, scores.Sum(), 4);
        Assert.Equal(scores.Max(), scores[best]);
    }

    [Theory]
    [InlineData("forest")]
    [InlineData("knn")]
    public void PredictBatch_SameScoresAndClassesAsOneRowAtATime(string name)
    {
        var features = new PixelFeatures();
        var x = features.ExtractAll(TestModels.Train);
        var learner = name == "forest" ? new RandomForestClassifier(trees: 10) : BaselineRegistry.CreateLearner(name, new BaselineOptions { Learner = name });
        learner.Fit(x, TestModels.Train.Labels, 10, TextWriter.Null);
        const int rows = 37;
        var batch = new float[rows * x.Dimension];
        for (var r = 0; r < rows; r++) x.Row(r + 100).CopyTo(batch.AsSpan(r * x.Dimension));
        var scores = new float[rows * 10];
        var best = new int[rows];
        learner.PredictBatch(batch, rows, scores, best);
        var one = new float[10];
        for (var r = 0; r < rows; r++)
        {
            Assert.Equal(learner.Predict(x.Row(r + 100), one), best[r]);
            for (var c = 0; c < 10; c++) Assert.Equal(one[c], scores[r * 10 + c], 5);
        }
        Assert.Throws<ArgumentException>(() => learner.PredictBatch(batch, rows + 1, scores, best));
    }

    [Fact]
    public void Knn_TrainingImage_IsItsOwnNearestNeighbour()
    {
        var x = new PixelFeatures().ExtractAll(TestModels.Train);
        var knn = new KnnClassifier(k: 1);
        knn.Fit(x, TestModels.Train.Labels, 10, TextWriter.Null);
        var scores = new float[10];
        for (var i = 0; i < 50; i++) Assert.Equal(TestModels.Train.Labels[i], knn.Predict(x.Row(i), scores));
    }

    [Fact]
    public void Tree_FullyGrown_FitsItsTrainingSetExactly()
    {
        var train = TestModels.Train.Subset(0, 500);
        var x = new PixelFeatures().ExtractAll(train);
        var tree = new DecisionTreeClassifier();
        tree.Fit(x, train.Labels, 10, TextWriter.Null);
        var scores = new float[10];
        // Duplicate images with different labels are the only way to miss, and this sample has none.
        for (var i = 0; i < train.Count; i++) Assert.Equal(train.Labels[i], tree.Predict(x.Row(i), scores));
    }

    [Fact]
    public void Svm_TwoSeparableBlobs_SeparatesThemWithFewSupportVectors()
    {
        var rng = new Random(3);
        var data = new float[200 * 2];
        var labels = new int[200];
        for (var i = 0; i < 200; i++)
        {
            labels[i] = i % 2;
            data[2 * i] = (float)(rng.NextDouble() - 0.5) + (labels[i] == 0 ? -2 : 2);
            data[2 * i + 1] = (float)(rng.NextDouble() - 0.5);
        }
        var svm = new RbfSvmClassifier(c: 10, gamma: 0.5);
        svm.Fit(new FeatureMatrix(data, 200, 2), labels, 2, TextWriter.Null);
        var scores = new float[2];
        Assert.Equal(0, svm.Predict([-1.5f, 0.3f], scores));
        Assert.Equal(1, svm.Predict([1.5f, -0.3f], scores));
        Assert.InRange(svm.SupportVectors, 2, 20);
    }

    [Fact]
    public void Knn_KLargerThanTrainingSet_ThrowsOneLine()
    {
        var x = new PixelFeatures().ExtractAll(TestModels.Train.Subset(0, 20));
        var ex = Assert.Throws<ArgumentException>(() => new KnnClassifier(k: 21).Fit(x, TestModels.Train.Labels[..20], 10, TextWriter.Null));
        Assert.Equal("knn: k=21 is larger than the training set (20 images)", ex.Message);
    }

    [Theory]
    [InlineData("knn")]
    [InlineData("svm")]
    [InlineData("tree")]
    [InlineData("forest")]
    public void Fit_OneClass_ThrowsOneLine(string name)
    {
        var threes = TestModels.Train.WhereClass("3");
        var x = new PixelFeatures().ExtractAll(threes);
        var learner = BaselineRegistry.CreateLearner(name, new BaselineOptions { Learner = name });
        var ex = Assert.Throws<ArgumentException>(() => learner.Fit(x, threes.Labels, 10, TextWriter.Null));
        Assert.Equal($"{name}: the training data has only one class; a classifier needs at least two", ex.Message);
    }

    [Fact]
    public void Predict_WrongFeatureLength_Throws()
    {
        var x = new PixelFeatures().ExtractAll(TestModels.Train.Subset(0, 100));
        var knn = new KnnClassifier(k: 3);
        knn.Fit(x, TestModels.Train.Labels[..100], 10, TextWriter.Null);
        var ex = Assert.Throws<ArgumentException>(() => knn.Predict(new float[50], new float[10]));
        Assert.StartsWith("knn: 50 features, the model was fitted on 784", ex.Message);
    }

    [Fact]
    public void Registry_UnknownLearner_ThrowsListingTheNames()
    {
        var ex = Assert.Throws<ArgumentException>(() => BaselineRegistry.CreateLearner("bayes", new BaselineOptions { Learner = "bayes" }));
        Assert.Equal("unknown baseline 'bayes' (expected one of knn, svm, tree, forest)", ex.Message);
    }
}
