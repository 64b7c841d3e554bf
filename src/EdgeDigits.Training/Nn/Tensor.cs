namespace EdgeDigits.Training.Nn;

/// <summary>The per-sample shape of an activation: channels, height, width.</summary>
public readonly record struct Shape(int C, int H, int W)
{
    /// <summary>Values per sample, C*H*W.</summary>
    public int Size => C * H * W;

    /// <inheritdoc />
    public override string ToString() => $"{C}x{H}x{W}";
}

/// <summary>
/// A batch of activations stored as one <c>float[]</c> in NCHW order. The buffer holds
/// <see cref="Capacity"/> samples; <see cref="N"/> of them are in use for the current batch.
/// </summary>
public sealed class Tensor
{
    /// <summary>Allocates room for <paramref name="capacity"/> samples of <paramref name="shape"/>.</summary>
    public Tensor(int capacity, Shape shape)
    {
        Capacity = capacity;
        Shape = shape;
        N = capacity;
        Data = new float[(long)capacity * shape.Size];
    }

    /// <summary>The values, sample after sample, each C*H*W in row-major order.</summary>
    public float[] Data { get; }

    /// <summary>The per-sample shape.</summary>
    public Shape Shape { get; }

    /// <summary>How many samples fit.</summary>
    public int Capacity { get; }

    /// <summary>Samples in use (at most <see cref="Capacity"/>).</summary>
    public int N { get; set; }

    /// <summary>Values per sample.</summary>
    public int SampleSize => Shape.Size;

    /// <summary>The values of sample <paramref name="n"/>.</summary>
    public Span<float> Sample(int n) => Data.AsSpan(n * Shape.Size, Shape.Size);

    /// <summary>The values of the samples in use.</summary>
    public Span<float> Active => Data.AsSpan(0, N * Shape.Size);
}

/// <summary>A trainable array with its gradient.</summary>
public sealed class Parameter
{
    /// <summary>Creates a zero-filled parameter.</summary>
    public Parameter(string name, int[] shape, bool decay)
    {
        Name = name;
        Dimensions = shape;
        var size = 1;
        foreach (var d in shape) size *= d;
        Value = new float[size];
        Grad = new float[size];
        Decay = decay;
    }

    /// <summary>Name within its layer, e.g. <c>weight</c>.</summary>
    public string Name { get; }

    /// <summary>Array dimensions (e.g. [Cout, Cin, K, K]).</summary>
    public int[] Dimensions { get; }

    /// <summary>Current values.</summary>
    public float[] Value { get; }

    /// <summary>Gradient of the batch loss, written by the last backward pass.</summary>
    public float[] Grad { get; }

    /// <summary>Whether weight decay applies (weights yes; biases and BatchNorm scales no).</summary>
    public bool Decay { get; }
}

/// <summary>
/// Splits a batch into a fixed number of contiguous chunks, one per worker thread, so that
/// per-chunk partial sums can be reduced in chunk order: the same thread count always gives
/// bit-identical results, whatever the scheduling.
/// </summary>
public sealed class Parallelism
{
    private readonly ParallelOptions _options;

    /// <summary>Creates a runner with <paramref name="threads"/> workers (at least 1).</summary>
    public Parallelism(int threads)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(threads, 1);
        Threads = threads;
        _options = new ParallelOptions { MaxDegreeOfParallelism = threads };
    }

    /// <summary>Number of chunks (and worker threads).</summary>
    public int Threads { get; }

    /// <summary>The sample range of chunk <paramref name="chunk"/> when <paramref name="count"/> samples are split.</summary>
    public (int Start, int End) Range(int chunk, int count) =>
        ((int)((long)count * chunk / Threads), (int)((long)count * (chunk + 1) / Threads));

    /// <summary>Runs <paramref name="body"/>(chunk, start, end) for every chunk, in parallel.</summary>
    public void For(int count, Action<int, int, int> body)
    {
        if (Threads == 1 || count < 2)
        {
            body(0, 0, count);
            for (var t = 1; t < Threads; t++) body(t, count, count);
            return;
        }
        Parallel.For(0, Threads, _options, t =>
        {
            var (s, e) = Range(t, count);
            body(t, s, e);
        });
    }
}
