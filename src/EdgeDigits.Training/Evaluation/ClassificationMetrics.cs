namespace EdgeDigits.Training.Evaluation;

/// <summary>Precision, recall, F1 and support of one class.</summary>
/// <param name="Class">The class label.</param>
/// <param name="Precision">Correct predictions of this class / all predictions of it (0 when never predicted).</param>
/// <param name="Recall">Correct predictions of this class / its true samples (0 when it has none).</param>
/// <param name="F1">Harmonic mean of precision and recall.</param>
/// <param name="Support">Number of true samples of the class.</param>
public sealed record ClassMetrics(string Class, double Precision, double Recall, double F1, int Support);

/// <summary>Accuracy, per-class metrics, macro F1 and the confusion matrix of a set of predictions.</summary>
public sealed class ClassificationMetrics
{
    /// <summary>Computes metrics for <paramref name="truth"/> vs <paramref name="predicted"/> (indices into <paramref name="classes"/>).</summary>
    public ClassificationMetrics(IReadOnlyList<string> classes, ReadOnlySpan<int> truth, ReadOnlySpan<int> predicted)
    {
        if (truth.Length != predicted.Length) throw new ArgumentException("truth and predictions differ in length", nameof(predicted));
        Classes = classes.ToArray();
        var k = Classes.Length;
        Confusion = new int[k][];
        for (var i = 0; i < k; i++) Confusion[i] = new int[k];
        for (var i = 0; i < truth.Length; i++) Confusion[truth[i]][predicted[i]]++;
        Count = truth.Length;
        Correct = Enumerable.Range(0, k).Sum(i => Confusion[i][i]);
        var per = new List<ClassMetrics>();
        for (var c = 0; c < k; c++)
        {
            var tp = Confusion[c][c];
            var support = Confusion[c].Sum();
            var predictedC = Enumerable.Range(0, k).Sum(r => Confusion[r][c]);
            var p = predictedC == 0 ? 0 : tp / (double)predictedC;
            var r = support == 0 ? 0 : tp / (double)support;
            per.Add(new ClassMetrics(Classes[c], p, r, p + r == 0 ? 0 : 2 * p * r / (p + r), support));
        }
        PerClass = per;
        var withSupport = per.Where(m => m.Support > 0).ToList();
        MacroF1 = withSupport.Count == 0 ? 0 : withSupport.Average(m => m.F1);
    }

    /// <summary>Class labels, the order of rows and columns of <see cref="Confusion"/>.</summary>
    public string[] Classes { get; }

    /// <summary>Confusion[true][predicted] counts.</summary>
    public int[][] Confusion { get; }

    /// <summary>Number of samples.</summary>
    public int Count { get; }

    /// <summary>Number of correct predictions.</summary>
    public int Correct { get; }

    /// <summary>Correct / Count (0 for an empty set).</summary>
    public double Accuracy => Count == 0 ? 0 : Correct / (double)Count;

    /// <summary>Per-class precision, recall, F1, support.</summary>
    public IReadOnlyList<ClassMetrics> PerClass { get; }

    /// <summary>Mean F1 over the classes that have true samples.</summary>
    public double MacroF1 { get; }
}
