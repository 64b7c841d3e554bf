namespace EdgeDigits.Training.Baselines;

/// <summary>The one list of classical learners and feature extractors by name, with each learner's default features.</summary>
public static class BaselineRegistry
{
    private static readonly (string Name, string Features, Func<BaselineOptions, BaselineLearner> Create)[] LearnerTable =
    [
        ("knn", "pca", o => new KnnClassifier(o.K)),
        ("svm", "pca", _ => new RbfSvmClassifier()),
        ("tree", "pixels", o => new DecisionTreeClassifier(seed: o.Seed)),
        ("forest", "pixels", o => new RandomForestClassifier(seed: o.Seed)),
    ];

    private static readonly (string Name, Func<FeatureExtractor> Create)[] FeatureTable =
    [
        ("pixels", () => new PixelFeatures()),
        ("pca", () => new PcaFeatures()),
        ("hog", () => new HogFeatures()),
    ];

    /// <summary>Learner names, in the order the help lists them.</summary>
    public static IReadOnlyList<string> Learners { get; } = LearnerTable.Select(l => l.Name).ToArray();

    /// <summary>Feature extractor names.</summary>
    public static IReadOnlyList<string> Features { get; } = FeatureTable.Select(f => f.Name).ToArray();

    /// <summary>The features <paramref name="learner"/> uses when none are named (those that reach its accuracy target fastest).</summary>
    /// <exception cref="ArgumentException">Unknown learner.</exception>
    public static string DefaultFeatures(string learner) => FindLearner(learner).Features;

    /// <summary>A new, unfitted learner.</summary>
    /// <exception cref="ArgumentException">Unknown learner.</exception>
    public static BaselineLearner CreateLearner(string name, BaselineOptions options) => FindLearner(name).Create(options);

    /// <summary>A new, unfitted feature extractor.</summary>
    /// <exception cref="ArgumentException">Unknown feature name.</exception>
    public static FeatureExtractor CreateFeatures(string name)
    {
        foreach (var f in FeatureTable)
            if (f.Name == name) return f.Create();
        throw new ArgumentException($"unknown features '{name}' (expected one of {string.Join(", ", Features)})");
    }

    private static (string Name, string Features, Func<BaselineOptions, BaselineLearner> Create) FindLearner(string name)
    {
        foreach (var l in LearnerTable)
            if (l.Name == name) return l;
        throw new ArgumentException($"unknown baseline '{name}' (expected one of {string.Join(", ", Learners)})");
    }
}

/// <summary>What <c>edgedigits eval --baseline</c> trains and how.</summary>
public sealed record BaselineOptions
{
    /// <summary>Learner name (see <see cref="BaselineRegistry.Learners"/>).</summary>
    public required string Learner { get; init; }

    /// <summary>Feature name, or null for the learner's default.</summary>
    public string? Features { get; init; }

    /// <summary>Neighbours of kNN.</summary>
    public int K { get; init; } = KnnClassifier.DefaultK;

    /// <summary>At most this many training images (a class-balanced sample), or null for all.</summary>
    public int? TrainLimit { get; init; }

    /// <summary>Seed of the tree learners and the training sample.</summary>
    public int Seed { get; init; } = 1;
}
