namespace EdgeDigits.Training.Nn;

/// <summary>One layer of a <see cref="Network"/>: a forward map and its exact backward pass.</summary>
public abstract class Layer
{
    /// <summary>The per-sample input shape, set by <see cref="Build"/>.</summary>
    public Shape InputShape { get; private set; }

    /// <summary>The per-sample output shape, set by <see cref="Build"/>.</summary>
    public Shape OutputShape { get; private set; }

    /// <summary>The worker split used by the layer, set by <see cref="Build"/>.</summary>
    protected Parallelism Parallel { get; private set; } = new(1);

    /// <summary>Short description for logs and checkpoints, e.g. <c>conv3x3(16-&gt;24)</c>.</summary>
    public abstract string Describe();

    /// <summary>Trainable parameters (empty for parameter-free layers).</summary>
    public virtual IReadOnlyList<Parameter> Parameters => [];

    /// <summary>Non-trained state saved with the model (BatchNorm running statistics).</summary>
    public virtual IReadOnlyList<float[]> Buffers => [];

    /// <summary>Multiply-accumulates per sample in inference.</summary>
    public virtual long Macs => 0;

    /// <summary>Fixes the input shape, allocates and initializes parameters.</summary>
    public void Build(Shape input, Parallelism parallel, Random rng)
    {
        InputShape = input;
        Parallel = parallel;
        OutputShape = ComputeOutputShape(input);
        if (OutputShape.C <= 0 || OutputShape.H <= 0 || OutputShape.W <= 0)
            throw new ArgumentException($"{Describe()}: input {input} gives an empty output {OutputShape}");
        OnBuild(rng);
    }

    /// <summary>The output shape for <paramref name="input"/>.</summary>
    protected abstract Shape ComputeOutputShape(Shape input);

    /// <summary>Allocates parameters once the shapes are known.</summary>
    protected virtual void OnBuild(Random rng) { }

    /// <summary>Computes <paramref name="y"/> from <paramref name="x"/> for the <c>x.N</c> samples in use.</summary>
    public abstract void Forward(Tensor x, Tensor y, bool training);

    /// <summary>
    /// Given the forward tensors and the loss gradient <paramref name="dy"/>, writes the parameter
    /// gradients (overwriting) and, unless <paramref name="dx"/> is null, the input gradient.
    /// </summary>
    public abstract void Backward(Tensor x, Tensor y, Tensor dy, Tensor? dx);

    /// <summary>Fills <paramref name="values"/> with N(0, std²) samples (Box–Muller).</summary>
    protected static void FillNormal(float[] values, double std, Random rng)
    {
        for (var i = 0; i < values.Length; i++)
        {
            var u1 = 1.0 - rng.NextDouble();
            var u2 = rng.NextDouble();
            values[i] = (float)(std * Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2));
        }
    }
}
