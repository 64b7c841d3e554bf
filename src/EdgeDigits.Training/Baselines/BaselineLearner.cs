namespace EdgeDigits.Training.Baselines;

/// <summary>A classical classifier trained on <see cref="FeatureMatrix"/> rows: kNN, SVM, decision tree, forest.</summary>
public abstract class BaselineLearner
{
    /// <summary>The registry name ("knn", "svm", "tree", "forest").</summary>
    public abstract string Name { get; }

    /// <summary>A short description of the fitted settings, e.g. "k=3".</summary>
    public abstract string Settings { get; }

    /// <summary>Bytes of the fitted model's parameters (stored training rows, support vectors, tree nodes).</summary>
    public abstract long ParameterBytes { get; }

    /// <summary>Number of classes the model was fitted on.</summary>
    public int ClassCount { get; private set; }

    /// <summary>Feature length the model was fitted on.</summary>
    public int Dimension { get; private set; }

    /// <summary>Fits the model; <paramref name="labels"/> are class indices below <paramref name="classCount"/>.</summary>
    /// <exception cref="ArgumentException">Lengths disagree, a label is out of range, or fewer than two classes have samples.</exception>
    public void Fit(FeatureMatrix x, int[] labels, int classCount, TextWriter progress)
    {
        if (labels.Length != x.Rows) throw new ArgumentException($"{Name}: {labels.Length} labels for {x.Rows} rows", nameof(labels));
        var present = new bool[Math.Max(classCount, 0)];
        foreach (var l in labels)
        {
            if ((uint)l >= (uint)classCount) throw new ArgumentException($"{Name}: label {l} is outside 0..{classCount - 1}", nameof(labels));
            present[l] = true;
        }
        var classes = present.Count(p => p);
        if (classes < 2) throw new ArgumentException($"{Name}: the training data has {(classes == 0 ? "no images" : "only one class")}; a classifier needs at least two");
        CheckTrainingSize(x.Rows);
        ClassCount = classCount;
        Dimension = x.Dimension;
        FitCore(x, labels, progress);
    }

    /// <summary>
    /// Writes a score per class into <paramref name="scores"/> and returns the best class. Scores lie in [0, 1]: the
    /// share of neighbour, tree or leaf votes (summing to 1), or for the SVM the share of pairwise contests won.
    /// </summary>
    /// <exception cref="ArgumentException">The feature length differs from the fitted one, or <paramref name="scores"/> is shorter than <see cref="ClassCount"/>.</exception>
    public int Predict(ReadOnlySpan<float> features, Span<float> scores)
    {
        if (ClassCount == 0) throw new InvalidOperationException($"{Name}: Fit must run before Predict");
        if (features.Length != Dimension) throw new ArgumentException($"{Name}: {features.Length} features, the model was fitted on {Dimension}", nameof(features));
        if (scores.Length < ClassCount) throw new ArgumentException($"{Name}: scores need {ClassCount} values", nameof(scores));
        scores = scores[..ClassCount];
        scores.Clear();
        PredictCore(features, scores);
        var best = 0;
        for (var c = 1; c < scores.Length; c++) if (scores[c] > scores[best]) best = c;
        return best;
    }

    /// <summary>
    /// <see cref="Predict"/> for <paramref name="rows"/> feature vectors back to back: their scores (<see cref="ClassCount"/>
    /// each) and best classes. Same results as one call per row; a learner may order the work for speed.
    /// </summary>
    /// <exception cref="ArgumentException">The buffers do not fit <paramref name="rows"/>.</exception>
    public void PredictBatch(ReadOnlySpan<float> features, int rows, Span<float> scores, Span<int> best)
    {
        if (ClassCount == 0) throw new InvalidOperationException($"{Name}: Fit must run before Predict");
        if (features.Length < rows * Dimension || scores.Length < rows * ClassCount || best.Length < rows)
            throw new ArgumentException($"{Name}: buffers too small for {rows} rows of {Dimension} features and {ClassCount} classes");
        scores = scores[..(rows * ClassCount)];
        scores.Clear();
        PredictBatchCore(features[..(rows * Dimension)], rows, scores);
        for (var r = 0; r < rows; r++)
        {
            var s = scores.Slice(r * ClassCount, ClassCount);
            var b = 0;
            for (var c = 1; c < s.Length; c++) if (s[c] > s[b]) b = c;
            best[r] = b;
        }
    }

    /// <summary>Adds the class scores of <paramref name="rows"/> validated feature vectors into the cleared <paramref name="scores"/> (default: one row at a time).</summary>
    protected virtual void PredictBatchCore(ReadOnlySpan<float> features, int rows, Span<float> scores)
    {
        for (var r = 0; r < rows; r++) PredictCore(features.Slice(r * Dimension, Dimension), scores.Slice(r * ClassCount, ClassCount));
    }

    /// <summary>Throws when <paramref name="rows"/> training images cannot fit this learner (called before any work).</summary>
    /// <exception cref="ArgumentException">The training set is too small for the settings.</exception>
    public virtual void CheckTrainingSize(int rows)
    {
    }

    /// <summary>Fits on validated input.</summary>
    protected abstract void FitCore(FeatureMatrix x, int[] labels, TextWriter progress);

    /// <summary>Adds the class scores of one validated feature vector into the cleared <paramref name="scores"/>; ties go to the lower class.</summary>
    protected abstract void PredictCore(ReadOnlySpan<float> features, Span<float> scores);
}
