using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Preprocessing;
using EdgeDigits.Core.Segmentation;

namespace EdgeDigits.Core.Recognition;

/// <summary>
/// Reads a number from a camera frame, an image or an ink: preprocess, segment, normalize each
/// digit to 28x28, classify all digits of the frame in one batch, and assemble a <see cref="Reading"/>.
/// Keeps every intermediate buffer, so <c>ReadInto</c> on frames of a steady size allocates nothing.
/// Does not own the classifier. Not thread-safe.
/// </summary>
public sealed class NumberReader
{
    private readonly DigitClassifier _classifier;
    private readonly CropExtractor _x = new();
    private float[] _probs = new float[160];
    private int[] _digitCrops = new int[16];
    private int _digitCount;
    private FrameCandidate[] _candidates = new FrameCandidate[16];
    private int _candidateCount;
    private int[] _rowParent = new int[16];
    private float[] _rowScore = new float[16];
    private int[] _rowSize = new int[16];
    private bool[] _wholeWins = new bool[4];
    private bool[] _wholeListed = new bool[4];
    private readonly DigitClassifier? _sequence;
    private readonly InkSequenceFeatures? _features;
    private readonly float[] _featureBuffer = [];
    private readonly int[] _sequenceToImage = [];
    private float[] _seqProbs = [];
    private float[] _cutProbs = [];
    private readonly byte[] _shifted = new byte[DigitNormalizer.PixelCount];

    /// <summary>Creates a reader over <paramref name="classifier"/> (which the caller keeps and disposes).</summary>
    /// <param name="classifier">The image model (kind <c>digit</c>): every crop of frames and inks.</param>
    /// <param name="options">Settings, or the defaults.</param>
    /// <param name="sequence">
    /// An ink sequence model (kind <c>ink-sequence</c>, kept and disposed by the caller) that also reads every ink crop
    /// from its strokes; its probabilities are blended with the image model's (<see cref="NumberReaderOptions.SequenceWeight"/>).
    /// </param>
    /// <exception cref="ArgumentException">A model of the wrong kind, or sequence classes the image model lacks.</exception>
    public NumberReader(DigitClassifier classifier, NumberReaderOptions? options = null, DigitClassifier? sequence = null)
    {
        ArgumentNullException.ThrowIfNull(classifier);
        if (classifier.Metadata.Kind == Models.ModelMetadata.InkSequenceKind)
            throw new ArgumentException($"{classifier.ModelPath}: an '{Models.ModelMetadata.InkSequenceKind}' model reads ink strokes, not images; give it as the ink model beside an image model (--ink-model)");
        if (classifier.PixelsPerCrop != DigitNormalizer.PixelCount)
            throw new ArgumentException($"{classifier.ModelPath}: the reader needs a 28x28 model, this one takes {classifier.PixelsPerCrop} pixels per crop");
        _classifier = classifier;
        Options = options ?? NumberReaderOptions.Default;
        if (sequence is null) return;
        if (sequence.Metadata.Kind != Models.ModelMetadata.InkSequenceKind)
            throw new ArgumentException($"{sequence.ModelPath}: a '{sequence.Metadata.Kind}' model, not an ink sequence model ('{Models.ModelMetadata.InkSequenceKind}')");
        _sequenceToImage = new int[sequence.ClassCount];
        for (int k = 0; k < sequence.ClassCount; k++)
        {
            _sequenceToImage[k] = Array.IndexOf(classifier.Metadata.Classes, sequence.Metadata.Classes[k]);
            if (_sequenceToImage[k] < 0)
                throw new ArgumentException($"{sequence.ModelPath}: class '{sequence.Metadata.Classes[k]}' is not a class of the image model {classifier.ModelPath}");
        }
        _sequence = sequence;
        _features = new InkSequenceFeatures(sequence.Metadata.InputShape[3]);
        _featureBuffer = new float[_features.Size];
    }

    /// <summary>The ink sequence model read beside the image model, or null.</summary>
    public DigitClassifier? Sequence => _sequence;

    /// <summary>The settings used for frames.</summary>
    public NumberReaderOptions Options { get; set; }

    /// <summary>The classifier in use.</summary>
    public DigitClassifier Classifier => _classifier;

    /// <summary>The preprocessor (its ink and binary images show the last frame's intermediate steps).</summary>
    public FramePreprocessor Preprocessor => _x.Preprocessor;

    /// <summary>The segmenter (its components and regions describe the last frame).</summary>
    public DigitSegmenter Segmenter => _x.Segmenter;

    /// <summary>Number of digit crops in the last read.</summary>
    public int CropCount => _x.CropCount;

    /// <summary>The 28x28 normalized crop <paramref name="index"/> of the last read (as fed to the model).</summary>
    public ReadOnlySpan<byte> Crop(int index) => _x.Crop(index);

    /// <summary>
    /// Index of the crop (see <see cref="Crop"/>) that digit <paramref name="digit"/> of the last reading was read from:
    /// crops also hold the ones a frame's model rejected and the alternatives not taken (split frame groups, ink pieces).
    /// </summary>
    public int CropOfDigit(int digit)
    {
        if ((uint)digit >= (uint)_digitCount) throw new ArgumentOutOfRangeException(nameof(digit), $"digit {digit} outside 0..{_digitCount - 1}");
        return _digitCrops[digit];
    }

    /// <summary>Reads <paramref name="frame"/> into a new <see cref="Reading"/>.</summary>
    public Reading Read(GrayImage frame)
    {
        var r = new Reading();
        ReadInto(frame, r);
        return r;
    }

    /// <summary>Reads <paramref name="ink"/> into a new <see cref="Reading"/>.</summary>
    public Reading Read(Ink ink)
    {
        var r = new Reading();
        ReadInto(ink, r);
        return r;
    }

    /// <summary>
    /// Every candidate crop of the last frame read, left to right, and what became of it: read as a digit, rejected
    /// by the model, outside the number's row, or a cut of a group in doubt that lost (<c>read --debug-dir</c> lists them).
    /// </summary>
    public ReadOnlySpan<FrameCandidate> Candidates => _candidates.AsSpan(0, _candidateCount);

    /// <summary>
    /// Reads <paramref name="frame"/> into <paramref name="result"/> (reused; no allocation in steady state): every
    /// candidate is classified in one batch; a wide group is read whole or cut, whichever reads better; candidates the
    /// model calls "not a digit" are left out, and of the rows of candidates left (<see cref="NumberRowOptions"/>) the one
    /// that reads best as digits is the number.
    /// </summary>
    public void ReadInto(GrayImage frame, Reading result)
    {
        ArgumentNullException.ThrowIfNull(frame);
        ArgumentNullException.ThrowIfNull(result);
        int total = _x.Extract(frame, Options);
        int n = _x.RegionCount;
        var alternatives = _x.Segmenter.Alternatives;
        var layers = _x.Segmenter.Layers;
        var regions = _x.Segmenter.Regions;
        int firstLayerCrop = total - layers.Length;
        RunModel(total, Options.TestTimeCrops);
        result.Clear(_classifier.ClassCount);
        _digitCount = 0;
        _candidateCount = 0;
        ChooseLayers(layers, regions, firstLayerCrop);
        for (int i = 0; i < n; i++)
        {
            int layer = LayerOf(regions[i].Group, layers);
            if (layer >= 0)
            {
                if (!_wholeListed[layer])
                {
                    _wholeListed[layer] = true;
                    int whole = firstLayerCrop + layer;
                    AddCandidate(whole, _wholeWins[layer] ? Verdict(whole) : CandidateFate.WholeNotTaken);
                }
                if (_wholeWins[layer])
                {
                    AddCandidate(i, CandidateFate.LayerNotTaken);
                    continue;
                }
            }
            int alt = AlternativeStartingAt(i, alternatives);
            if (alt >= 0 && FrameSplit(alt, alternatives[alt], n, n + alternatives.Length))
            {
                i += alternatives[alt].PieceCount - 1;
                continue;
            }
            if (alt >= 0)
            {
                // A wide group was split: keep the split only if its weakest piece beats the whole as one digit.
                var a = alternatives[alt];
                float minPiece = 1;
                for (int k = 0; k < a.PieceCount; k++) minPiece = Math.Min(minPiece, BestConfidence(a.FirstPiece + k));
                if (BestConfidence(n + alt) > minPiece)
                {
                    for (int k = 0; k < a.PieceCount; k++) AddCandidate(a.FirstPiece + k, CandidateFate.CutNotTaken);
                    AddCandidate(n + alt, Verdict(n + alt));
                    i += a.PieceCount - 1;
                    continue;
                }
                AddCandidate(n + alt, CandidateFate.CutNotTaken);
            }
            AddCandidate(i, Verdict(i));
        }
        ChooseRow();
        foreach (var c in Candidates)
        {
            if (c.Fate == CandidateFate.Kept) Emit(c.Crop, result, dropRejected: false);
            else if (c.Fate == CandidateFate.NotADigit) result.AddRejected();
        }
    }

    /// <summary>
    /// The stacked-layers rule: a group the segmenter cut into layers at empty rows (<see cref="LayerAlternative"/>) is read
    /// whole only when the whole's log best-digit probability beats the mean over its layers' crops of the log of their
    /// best class, the reject class included (a stamp or tick read confidently as "not a digit" counts as well read, and a
    /// layer too small to be a candidate is dropped), by more than <see cref="NumberReaderOptions.LayerMargin"/>.
    /// </summary>
    private void ChooseLayers(ReadOnlySpan<LayerAlternative> layers, ReadOnlySpan<DigitRegion> regions, int firstLayerCrop)
    {
        if (_wholeWins.Length < layers.Length) { _wholeWins = new bool[Math.Max(layers.Length, _wholeWins.Length * 2)]; _wholeListed = new bool[_wholeWins.Length]; }
        for (int l = 0; l < layers.Length; l++)
        {
            float sum = 0;
            int count = 0;
            for (int i = 0; i < regions.Length; i++)
            {
                if (!layers[l].HasLayer(regions[i].Group)) continue;
                sum += MathF.Log(Math.Max(BestConfidence(i), 1e-6f));
                count++;
            }
            _wholeWins[l] = count > 0 && LogDigitScore(firstLayerCrop + l) > sum / count + Options.LayerMargin;
            _wholeListed[l] = count == 0;
        }
    }

    /// <summary>Index in <paramref name="layers"/> of the stacked group that <paramref name="group"/> is a layer of, or -1.</summary>
    private static int LayerOf(int group, ReadOnlySpan<LayerAlternative> layers)
    {
        for (int l = 0; l < layers.Length; l++)
            if (layers[l].HasLayer(group)) return l;
        return -1;
    }

    /// <summary>
    /// Reads split group <paramref name="a"/> as the cut of its pieces whose crops read best (<see cref="SplitChoice"/>:
    /// the whole group, every piece, and every run of consecutive pieces were classified in the frame's batch); the
    /// crops of the other cuts are listed as <see cref="CandidateFate.CutNotTaken"/>. False when the group lacks a crop of
    /// some run (a piece held no ink, or too many pieces): the caller then weighs the whole against the pieces.
    /// </summary>
    private bool FrameSplit(int alt, SplitAlternative a, int regions, int firstRunCrop)
    {
        int k = a.PieceCount;
        if (k > SplitChoice.MaxPieces || (k > 2 && a.FirstRun < 0)) return false;
        Span<float> scores = stackalloc float[SplitChoice.MaxPieces * SplitChoice.MaxPieces];
        for (int first = 0; first < k; first++)
            for (int count = 1; first + count <= k; count++)
                scores[first * k + count - 1] = LogDigitScore(RunCrop(alt, a, first, count, regions, firstRunCrop));
        int cuts = SplitChoice.Best(scores, k);
        for (int first = 0; first < k; first++)
            for (int count = 1; first + count <= k; count++)
            {
                bool taken = (first == 0 || (cuts >> (first - 1) & 1) != 0)
                    && (first + count == k || (cuts >> (first + count - 1) & 1) != 0)
                    && (count == 1 || (cuts >> first & ((1 << (count - 1)) - 1)) == 0);
                int crop = RunCrop(alt, a, first, count, regions, firstRunCrop);
                AddCandidate(crop, taken ? Verdict(crop) : CandidateFate.CutNotTaken);
            }
        return true;
    }

    /// <summary>The crop of <paramref name="count"/> pieces from piece <paramref name="first"/> of split group <paramref name="a"/>.</summary>
    private static int RunCrop(int alt, SplitAlternative a, int first, int count, int regions, int firstRunCrop) =>
        count == 1 ? a.FirstPiece + first
        : count == a.PieceCount ? regions + alt
        : firstRunCrop + a.FirstRun + SplitAlternative.RunOffset(a.PieceCount, first, count);

    /// <summary>Kept, or <see cref="CandidateFate.NotADigit"/> when the model's reject class wins with confidence (specks, rulings).</summary>
    private CandidateFate Verdict(int crop)
    {
        var c = _classifier;
        var p = _probs.AsSpan(crop * c.ClassCount, c.ClassCount);
        int best = DigitClassifier.ArgMax(p);
        return best == c.RejectIndex && p[best] >= c.ConfidenceThreshold ? CandidateFate.NotADigit : CandidateFate.Kept;
    }

    private void AddCandidate(int crop, CandidateFate fate)
    {
        var c = _classifier;
        var p = _probs.AsSpan(crop * c.ClassCount, c.ClassCount);
        int best = DigitClassifier.ArgMax(p);
        if (_candidateCount == _candidates.Length) Array.Resize(ref _candidates, _candidateCount * 2);
        _candidates[_candidateCount++] = new FrameCandidate(crop, _x.CropBox(crop), best, p[best], c.RejectIndex < 0 ? 0 : p[c.RejectIndex], fate);
    }

    /// <summary>
    /// The number-row rule: kept candidates that sit side by side on one line at a similar height are one row
    /// (<see cref="NumberRowOptions"/>); the row whose candidates sum the most best-digit probability (the reject class
    /// left out: a tick the model is unsure of adds little) is the number, the other rows are marked
    /// <see cref="CandidateFate.OutsideNumberRow"/>. Ties go to the row of more candidates.
    /// </summary>
    private void ChooseRow()
    {
        var o = Options.Row;
        int m = _candidateCount;
        if (!o.Enabled || m < 2) return;
        if (_rowParent.Length < m) { _rowParent = new int[Math.Max(m, _rowParent.Length * 2)]; _rowScore = new float[_rowParent.Length]; _rowSize = new int[_rowParent.Length]; }
        var cands = _candidates.AsSpan(0, m);
        for (int a = 0; a < m; a++) _rowParent[a] = a;
        for (int a = 0; a < m; a++)
        {
            if (cands[a].Fate != CandidateFate.Kept) continue;
            var ba = cands[a].Box;
            for (int b = a + 1; b < m; b++)
            {
                if (cands[b].Fate != CandidateFate.Kept) continue;
                var bb = cands[b].Box;
                int lo = Math.Min(ba.Height, bb.Height), hi = Math.Max(ba.Height, bb.Height);
                int overlap = Math.Min(ba.Bottom, bb.Bottom) - Math.Max(ba.Y, bb.Y);
                int gap = Math.Max(ba.X, bb.X) - Math.Min(ba.Right, bb.Right);
                if (overlap < o.MinVerticalOverlap * lo || hi > o.MaxHeightRatio * Math.Max(1, lo) || gap > o.MaxGap * hi) continue;
                UnionFind.Union(_rowParent, a, b);
            }
        }
        for (int a = 0; a < m; a++) { _rowScore[a] = 0; _rowSize[a] = 0; }
        for (int a = 0; a < m; a++)
        {
            if (cands[a].Fate != CandidateFate.Kept) continue;
            int r = UnionFind.Find(_rowParent, a);
            _rowScore[r] += MathF.Exp(LogDigitScore(cands[a].Crop));
            _rowSize[r]++;
        }
        int bestRow = -1;
        for (int a = 0; a < m; a++)
        {
            if (_rowSize[a] == 0) continue;
            if (bestRow < 0 || _rowScore[a] > _rowScore[bestRow] || (_rowScore[a] == _rowScore[bestRow] && _rowSize[a] > _rowSize[bestRow])) bestRow = a;
        }
        for (int a = 0; a < m; a++)
            if (cands[a].Fate == CandidateFate.Kept && UnionFind.Find(_rowParent, a) != bestRow)
                cands[a] = cands[a] with { Fate = CandidateFate.OutsideNumberRow };
    }

    private static int AlternativeStartingAt(int index, ReadOnlySpan<SplitAlternative> alternatives)
    {
        for (int a = 0; a < alternatives.Length; a++)
            if (alternatives[a].FirstPiece == index && alternatives[a].PieceCount > 1) return a;
        return -1;
    }

    /// <summary>
    /// Reads <paramref name="ink"/> into <paramref name="result"/>: strokes are grouped into digits, each rasterized
    /// on its own; a group that only the time rules hold together is read as the split of its pieces that scores best
    /// (<see cref="SplitChoice"/>), one digit or several.
    /// </summary>
    public void ReadInto(Ink ink, Reading result)
    {
        ArgumentNullException.ThrowIfNull(ink);
        ArgumentNullException.ThrowIfNull(result);
        int total = _x.Extract(ink, splits: true);
        int n = _x.RegionCount;
        RunModel(total, Meters.MeterTestTimeCrops.None);
        if (_sequence is not null) BlendSequence(ink, total);
        result.Clear(_classifier.ClassCount);
        _digitCount = 0;
        // Every stroke group is something the user wrote: a "not a digit" verdict shows as '?', never vanishes.
        for (int i = 0; i < n; i++)
        {
            int k = _x.InkPieceCount(i);
            if (k < 2) Emit(i, result, dropRejected: false);
            else BestSplit(i, k, result);
        }
    }

    /// <summary>
    /// Emits ink group <paramref name="group"/> as the runs of its <paramref name="pieces"/> pieces (left to right)
    /// that <see cref="SplitChoice"/> picks from the classifier's reading of every run's crop: one digit or several.
    /// </summary>
    private void BestSplit(int group, int pieces, Reading result)
    {
        if (pieces > SplitChoice.MaxPieces) { Emit(group, result, dropRejected: false); return; }
        Span<float> scores = stackalloc float[SplitChoice.MaxPieces * SplitChoice.MaxPieces];
        for (int first = 0; first < pieces; first++)
            for (int count = 1; first + count <= pieces; count++)
                scores[first * pieces + count - 1] = LogDigitScore(_x.InkRunCrop(group, first, count));
        int cuts = SplitChoice.Best(scores, pieces);
        for (int start = 0, end = 1; end <= pieces; end++)
        {
            if (end < pieces && (cuts >> (end - 1) & 1) == 0) continue;
            Emit(_x.InkRunCrop(group, start, end - start), result, dropRejected: false);
            start = end;
        }
    }

    /// <summary>
    /// Log of crop <paramref name="crop"/>'s best digit probability, floored at 1e-6. The reject class is left out:
    /// a crop the model calls "not a digit" (half a 4, a scribble) scores what little it gives any digit.
    /// </summary>
    private float LogDigitScore(int crop)
    {
        var c = _classifier;
        var p = _probs.AsSpan(crop * c.ClassCount, c.ClassCount);
        float best = 0;
        for (int k = 0; k < p.Length; k++)
            if (k != c.RejectIndex && p[k] > best) best = p[k];
        return MathF.Log(Math.Max(best, 1e-6f));
    }

    /// <summary>
    /// Classifies crops 0..n-1 in batches of the classifier's size into <c>_probs</c>; with several <paramref name="cuts"/>,
    /// every crop's moved cuts go through the same batches and their probabilities are averaged.
    /// </summary>
    private void RunModel(int n, Meters.MeterTestTimeCrops cuts)
    {
        var c = _classifier;
        int k = c.ClassCount, m = cuts.Count, rows = n * m;
        if (_probs.Length < n * k) _probs = new float[n * k];
        var output = _probs;
        if (m > 1 && _cutProbs.Length < rows * k) _cutProbs = new float[rows * k];
        if (m > 1) output = _cutProbs;
        var shifts = cuts.Shifts;
        for (int start = 0; start < rows; start += c.MaxBatch)
        {
            int count = Math.Min(c.MaxBatch, rows - start);
            for (int i = 0; i < count; i++)
            {
                int row = start + i;
                if (m == 1) { c.SetInput(i, _x.Crop(row)); continue; }
                var shift = shifts[row % m];
                DigitNormalizer.Shift(_x.Crop(row / m), shift.X, shift.Y, _shifted);
                c.SetInput(i, _shifted);
            }
            c.Run(count).CopyTo(output.AsSpan(start * k, count * k));
        }
        if (m > 1) cuts.Average(_cutProbs.AsSpan(0, rows * k), n, k, _probs);
    }

    /// <summary>
    /// Reads ink crops 0..n-1 from their strokes with the sequence model and blends its digit probabilities into
    /// <c>_probs</c> (<see cref="NumberReaderOptions.SequenceWeight"/>): digit k gets (1 - w)·image[k] + w·(1 - image[none])·sequence[k],
    /// so the rows still sum to 1 and the image model's "not a digit" share is left as it was.
    /// </summary>
    private void BlendSequence(Ink ink, int n)
    {
        var s = _sequence!;
        var c = _classifier;
        int k = c.ClassCount, ks = s.ClassCount;
        float w = Options.SequenceWeight;
        if (w <= 0) return;
        if (_seqProbs.Length < n * ks) _seqProbs = new float[n * ks];
        for (int start = 0; start < n; start += s.MaxBatch)
        {
            int count = Math.Min(s.MaxBatch, n - start);
            for (int i = 0; i < count; i++)
            {
                _features!.Extract(ink, _x.InkStrokes(start + i), _featureBuffer);
                s.SetFeatures(i, _featureBuffer);
            }
            s.Run(count).CopyTo(_seqProbs.AsSpan(start * ks, count * ks));
        }
        for (int i = 0; i < n; i++)
        {
            var p = _probs.AsSpan(i * k, k);
            var q = _seqProbs.AsSpan(i * ks, ks);
            float digits = c.RejectIndex < 0 ? 1 : 1 - p[c.RejectIndex];
            for (int j = 0; j < k; j++)
                if (j != c.RejectIndex) p[j] *= 1 - w;
            for (int j = 0; j < ks; j++) p[_sequenceToImage[j]] += w * digits * q[j];
        }
    }

    private float BestConfidence(int crop)
    {
        var p = _probs.AsSpan(crop * _classifier.ClassCount, _classifier.ClassCount);
        return p[DigitClassifier.ArgMax(p)];
    }

    /// <summary>Adds crop <paramref name="crop"/> to the reading; a confident "not a digit" is left out of frames (specks, rulings) when <paramref name="dropRejected"/>.</summary>
    private void Emit(int crop, Reading result, bool dropRejected)
    {
        var c = _classifier;
        var p = _probs.AsSpan(crop * c.ClassCount, c.ClassCount);
        int best = DigitClassifier.ArgMax(p);
        float conf = p[best];
        if (dropRejected && best == c.RejectIndex && conf >= c.ConfidenceThreshold)
        {
            result.AddRejected();
            return;
        }
        string label = c.Metadata.Classes[best];
        bool uncertain = conf < c.ConfidenceThreshold || best == c.RejectIndex;
        char ch = uncertain || label.Length != 1 ? '?' : label[0];
        result.Add(new DigitResult(ch, best, label, conf, _x.CropBox(crop), uncertain), p);
        if (_digitCount == _digitCrops.Length) Array.Resize(ref _digitCrops, _digitCount * 2);
        _digitCrops[_digitCount++] = crop;
    }
}
