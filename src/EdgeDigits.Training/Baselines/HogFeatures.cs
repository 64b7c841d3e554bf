using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Baselines;

/// <summary>
/// Histograms of oriented gradients (Dalal-Triggs style): the 28x28 crop is cut into 7x7-pixel cells, each
/// cell histograms its gradient orientations (9 unsigned bins, magnitude-weighted, split between the two
/// nearest bins), and each 2x2 block of cells is L2-Hys normalized: 3x3 blocks x 36 = 324 values that
/// describe stroke direction rather than exact ink position.
/// </summary>
public sealed class HogFeatures : FeatureExtractor
{
    /// <summary>Cell side in pixels.</summary>
    public const int CellSide = 7;

    /// <summary>Orientation bins over 0..180 degrees.</summary>
    public const int Bins = 9;

    private const int Cells = DigitSet.Side / CellSide, Blocks = Cells - 1, BlockValues = 4 * Bins;

    // L2-Hys: clip each normalized value here, then renormalize (Dalal & Triggs 2005).
    private const float HysClip = 0.2f;

    /// <inheritdoc/>
    public override string Name => "hog";

    /// <inheritdoc/>
    public override int Dimension => Blocks * Blocks * BlockValues;

    /// <inheritdoc/>
    protected override void ExtractCore(ReadOnlySpan<byte> image, Span<float> destination)
    {
        const int side = DigitSet.Side;
        Span<float> hist = stackalloc float[Cells * Cells * Bins];
        hist.Clear();
        for (var y = 0; y < side; y++)
            for (var x = 0; x < side; x++)
            {
                float gx = image[y * side + Math.Min(x + 1, side - 1)] - image[y * side + Math.Max(x - 1, 0)];
                float gy = image[Math.Min(y + 1, side - 1) * side + x] - image[Math.Max(y - 1, 0) * side + x];
                var mag = MathF.Sqrt(gx * gx + gy * gy);
                if (mag == 0) continue;
                var angle = MathF.Atan2(gy, gx);
                if (angle < 0) angle += MathF.PI;
                var pos = angle / MathF.PI * Bins - 0.5f;
                var lo = (int)MathF.Floor(pos);
                var frac = pos - lo;
                var cell = (y / CellSide * Cells + x / CellSide) * Bins;
                hist[cell + (lo + Bins) % Bins] += mag * (1 - frac);
                hist[cell + (lo + 1) % Bins] += mag * frac;
            }
        var o = 0;
        for (var by = 0; by < Blocks; by++)
            for (var bx = 0; bx < Blocks; bx++)
            {
                var block = destination.Slice(o, BlockValues);
                for (var c = 0; c < 4; c++)
                    hist.Slice(((by + c / 2) * Cells + bx + c % 2) * Bins, Bins).CopyTo(block.Slice(c * Bins, Bins));
                Normalize(block);
                for (var i = 0; i < block.Length; i++) block[i] = Math.Min(block[i], HysClip);
                Normalize(block);
                o += BlockValues;
            }
    }

    private static void Normalize(Span<float> v)
    {
        var sum = 1e-6f;
        foreach (var x in v) sum += x * x;
        var k = 1 / MathF.Sqrt(sum);
        for (var i = 0; i < v.Length; i++) v[i] *= k;
    }
}
