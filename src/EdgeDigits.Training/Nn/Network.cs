using System.Diagnostics;
using System.Globalization;

namespace EdgeDigits.Training.Nn;

/// <summary>
/// A feed-forward stack of layers with preallocated activation and gradient buffers for a batch
/// capacity. Built from a compact architecture string (see <see cref="FromSpec"/>).
/// </summary>
public sealed class Network
{
    private Tensor[] _acts = [];
    private Tensor[] _grads = [];

    /// <summary>Builds the layers for <paramref name="input"/>, initializing weights from <paramref name="seed"/>.</summary>
    public Network(IReadOnlyList<Layer> layers, Shape input, int threads = 1, int seed = 0, string spec = "")
    {
        if (layers.Count == 0) throw new ArgumentException("a network needs at least one layer", nameof(layers));
        Layers = layers;
        InputShape = input;
        Spec = spec;
        Parallelism = new Parallelism(threads);
        var rng = new Random(seed);
        var shape = input;
        foreach (var layer in layers)
        {
            layer.Build(shape, Parallelism, rng);
            shape = layer.OutputShape;
        }
        OutputShape = shape;
        Parameters = layers.SelectMany(l => l.Parameters).ToArray();
        Buffers = layers.SelectMany(l => l.Buffers).ToArray();
    }

    /// <summary>The architecture string it was built from, or empty.</summary>
    public string Spec { get; }

    /// <summary>The layers in order.</summary>
    public IReadOnlyList<Layer> Layers { get; }

    /// <summary>Per-sample input shape.</summary>
    public Shape InputShape { get; }

    /// <summary>Per-sample output shape (classes x 1 x 1 for a classifier).</summary>
    public Shape OutputShape { get; }

    /// <summary>Number of output values per sample.</summary>
    public int Outputs => OutputShape.Size;

    /// <summary>The worker split shared by all layers.</summary>
    public Parallelism Parallelism { get; }

    /// <summary>Every trainable parameter, layer by layer.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Every non-trained state array (BatchNorm running statistics), layer by layer.</summary>
    public IReadOnlyList<float[]> Buffers { get; }

    /// <summary>Multiply-accumulates per sample in inference (with BatchNorm folded away).</summary>
    public long Macs => Layers.Sum(l => l.Macs);

    /// <summary>When set, every forward and backward pass adds its per-layer times here (benchmarks).</summary>
    public TrainProfile? Profile { get; set; }

    /// <summary>Number of trainable values.</summary>
    public long ParameterCount => Parameters.Sum(p => (long)p.Value.Length);

    /// <summary>
    /// Runs the layers on <paramref name="n"/> samples from <paramref name="input"/> (NCHW) and
    /// returns the outputs [n, Outputs]; the span is valid until the next call.
    /// </summary>
    public ReadOnlySpan<float> Forward(ReadOnlySpan<float> input, int n, bool training)
    {
        if (input.Length < n * InputShape.Size) throw new ArgumentException($"input holds {input.Length} values, {n} samples need {n * InputShape.Size}", nameof(input));
        EnsureCapacity(n);
        _acts[0].N = n;
        input[..(n * InputShape.Size)].CopyTo(_acts[0].Data);
        for (var i = 0; i < Layers.Count; i++)
        {
            var t0 = Profile is null ? 0 : Stopwatch.GetTimestamp();
            Layers[i].Forward(_acts[i], _acts[i + 1], training);
            if (Profile is not null) Profile.Forward[i] += Stopwatch.GetTimestamp() - t0;
        }
        return _acts[^1].Active;
    }

    /// <summary>Back-propagates <paramref name="dOutput"/> (gradient of the loss w.r.t. the last outputs), filling every <see cref="Parameter.Grad"/>.</summary>
    public void Backward(ReadOnlySpan<float> dOutput)
    {
        var n = _acts[^1].N;
        _grads[^1].N = n;
        dOutput[..(n * Outputs)].CopyTo(_grads[^1].Data);
        for (var i = Layers.Count - 1; i >= 0; i--)
        {
            var t0 = Profile is null ? 0 : Stopwatch.GetTimestamp();
            Layers[i].Backward(_acts[i], _acts[i + 1], _grads[i + 1], i == 0 ? null : _grads[i]);
            if (Profile is not null) Profile.Backward[i] += Stopwatch.GetTimestamp() - t0;
        }
    }

    /// <summary>The output of layer <paramref name="layer"/> from the last forward pass (valid until the next one).</summary>
    public Tensor ActivationOf(int layer) => _acts[layer + 1];

    /// <summary>Gradient of the loss with respect to the input of the last backward pass (for tests).</summary>
    internal Tensor? InputGradient => _grads.Length > 0 ? _grads[0] : null;

    /// <summary>Makes room for batches of <paramref name="n"/> samples.</summary>
    public void EnsureCapacity(int n)
    {
        if (_acts.Length > 0 && _acts[0].Capacity >= n) return;
        var shapes = new[] { InputShape }.Concat(Layers.Select(l => l.OutputShape)).ToArray();
        _acts = shapes.Select(s => new Tensor(n, s)).ToArray();
        _grads = shapes.Select(s => new Tensor(n, s)).ToArray();
    }

    /// <summary>Reseeds every dropout layer (the trainer does so per batch, for reproducibility).</summary>
    public void SeedDropout(int seed)
    {
        var i = 0;
        foreach (var d in Layers.OfType<Dropout>()) d.Rng = new Random(Augmentation.SplitMix.Seed(seed, i++, 0xD60));
    }

    /// <summary>
    /// Default architecture: 3x3 convs of 16/32/64/128 channels at 28/14/7/3 pixels, each halved by
    /// max pooling, then global average pooling and the classifier — 2.59 M multiply-accumulates
    /// and 99 k parameters for 11 classes. Depth at small resolutions buys accuracy cheaply: the
    /// 128-channel conv on 3x3 costs a quarter of what one 32-channel conv costs at 14x14.
    /// </summary>
    public const string DefaultSpec = "c16,p,c32,p,c64,p,c128,gap,fc";

    /// <summary>
    /// Builds a classifier from a comma-separated architecture: <c>cN</c> = 3x3 conv (pad 1, no
    /// bias) + BatchNorm + ReLU with N channels (scaled by <paramref name="width"/>); <c>p</c> =
    /// 2x2 max pool; <c>a</c> = 2x2 average pool; <c>gap</c> = global average pool; <c>fc</c> =
    /// dropout (when <paramref name="dropout"/> &gt; 0) + linear layer to <paramref name="classes"/> outputs.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown token, a bad channel count, or no final <c>fc</c>.</exception>
    public static Network FromSpec(string spec, int classes, float dropout = 0f, float width = 1f, int threads = 1, int seed = 0)
    {
        var tokens = SpecTokens(spec, "architecture", classes, width);
        var layers = new List<Layer>();
        foreach (var token in tokens)
        {
            switch (token)
            {
                case "p": layers.Add(new MaxPool2d(2)); break;
                case "a": layers.Add(new AvgPool2d(2)); break;
                case "gap": layers.Add(new GlobalAvgPool()); break;
                case "fc":
                    if (dropout > 0) layers.Add(new Dropout(dropout));
                    layers.Add(new Linear(classes));
                    break;
                default:
                    if (token.Length > 1 && token[0] == 'c' && int.TryParse(token.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var ch) && ch > 0)
                    {
                        layers.Add(new Conv2d(Math.Max(1, (int)Math.Round(ch * width)), 3, 1, 1, bias: false));
                        layers.Add(new BatchNorm2d());
                        layers.Add(new ReLU());
                        break;
                    }
                    throw new ArgumentException($"architecture '{spec}': unknown token '{token}' (cN, p, a, gap, fc)", nameof(spec));
            }
        }
        return new Network(layers, new Shape(1, 28, 28), threads, seed, spec);
    }
    /// <summary>
    /// The default ink sequence architecture (<see cref="FromSequenceSpec"/>): 1x5 convolutions of 32/64/64/96 channels
    /// over 64/32/16/8 points, then the classifier over all 8 positions (where along the path a feature lies matters).
    /// </summary>
    public const string DefaultSequenceSpec = "c32,c64/2,c64/2,c96/2,fc";

    /// <summary>Kernel length of every convolution of a sequence network: five points, a 16th of a 64-point digit.</summary>
    public const int SequenceKernel = 5;

    /// <summary>
    /// Builds a classifier over sequences <c>[channels, 1, length]</c> from a comma-separated architecture:
    /// <c>cN</c> = 1x<see cref="SequenceKernel"/> convolution (padding keeps the length, no bias) + BatchNorm + ReLU with N channels
    /// (scaled by <paramref name="width"/>), <c>cN/2</c> the same with stride 2 (halves the length); <c>gap</c> = average
    /// over the points; <c>fc</c> = dropout (when <paramref name="dropout"/> &gt; 0) + linear layer over what is left.
    /// </summary>
    /// <exception cref="ArgumentException">An unknown token, a bad channel count, or no final <c>fc</c>.</exception>
    public static Network FromSequenceSpec(string spec, int channels, int length, int classes, float dropout = 0f, float width = 1f, int threads = 1, int seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(length, 2);
        var tokens = SpecTokens(spec, "sequence architecture", classes, width);
        var layers = new List<Layer>();
        foreach (var token in tokens)
        {
            if (token == "fc")
            {
                if (dropout > 0) layers.Add(new Dropout(dropout));
                layers.Add(new Linear(classes));
                continue;
            }
            if (token == "gap") { layers.Add(new GlobalAvgPool()); continue; }
            var body = token.EndsWith("/2", StringComparison.Ordinal) ? token[..^2] : token;
            int stride = body.Length == token.Length ? 1 : 2;
            if (body.Length > 1 && body[0] == 'c' && int.TryParse(body.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var ch) && ch > 0)
            {
                layers.Add(new Conv2d(Math.Max(1, (int)Math.Round(ch * width)), 1, SequenceKernel, 0, SequenceKernel / 2, stride, bias: false));
                layers.Add(new BatchNorm2d());
                layers.Add(new ReLU());
                continue;
            }
            throw new ArgumentException($"sequence architecture '{spec}': unknown token '{token}' (cN, cN/2, gap, fc)", nameof(spec));
        }
        return new Network(layers, new Shape(channels, 1, length), threads, seed, spec);
    }

    /// <summary>The tokens of an architecture string, after checking the class count, the width and the final <c>fc</c>.</summary>
    private static string[] SpecTokens(string spec, string what, int classes, float width)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(classes, 2);
        if (width <= 0 || float.IsNaN(width)) throw new ArgumentOutOfRangeException(nameof(width), "width must be positive");
        var tokens = spec.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        if (tokens.Length == 0 || tokens[^1] != "fc") throw new ArgumentException($"{what} '{spec}' must end with 'fc'", nameof(spec));
        return tokens;
    }
}
