namespace EdgeDigits.Training.Nn;

/// <summary>Updates parameters from their gradients.</summary>
public abstract class Optimizer
{
    /// <summary>Creates the optimizer for <paramref name="parameters"/>.</summary>
    protected Optimizer(IReadOnlyList<Parameter> parameters, float weightDecay)
    {
        Parameters = parameters;
        WeightDecay = weightDecay;
    }

    /// <summary>The parameters updated by <see cref="Step"/>.</summary>
    public IReadOnlyList<Parameter> Parameters { get; }

    /// <summary>Weight decay applied to parameters with <see cref="Parameter.Decay"/>.</summary>
    public float WeightDecay { get; }

    /// <summary>Applies one update with learning rate <paramref name="lr"/>.</summary>
    public abstract void Step(float lr);

    /// <summary>The optimizer's own state arrays (moments), in a fixed order, for checkpoints.</summary>
    public abstract IReadOnlyList<float[]> State { get; }

    /// <summary>Number of steps taken so far.</summary>
    public long Steps { get; set; }

    /// <summary>Creates an optimizer by name: <c>adamw</c>, <c>adam</c> or <c>sgd</c>.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static Optimizer Create(string name, IReadOnlyList<Parameter> parameters, float weightDecay, float momentum = 0.9f) => name.ToLowerInvariant() switch
    {
        "adamw" => new Adam(parameters, weightDecay, decoupled: true),
        "adam" => new Adam(parameters, weightDecay, decoupled: false),
        "sgd" => new SgdMomentum(parameters, weightDecay, momentum),
        _ => throw new ArgumentException($"unknown optimizer '{name}' (adamw, adam or sgd)", nameof(name)),
    };
}

/// <summary>
/// Adam (Kingma &amp; Ba) with bias correction; with <c>decoupled</c> the weight decay is AdamW's
/// (Loshchilov &amp; Hutter: shrink weights directly), otherwise L2 added to the gradient.
/// </summary>
public sealed class Adam : Optimizer
{
    private readonly float[][] _m;
    private readonly float[][] _v;

    /// <summary>Creates the optimizer.</summary>
    public Adam(IReadOnlyList<Parameter> parameters, float weightDecay, bool decoupled = true, float beta1 = 0.9f, float beta2 = 0.999f, float epsilon = 1e-8f)
        : base(parameters, weightDecay)
    {
        Decoupled = decoupled;
        Beta1 = beta1;
        Beta2 = beta2;
        Epsilon = epsilon;
        _m = parameters.Select(p => new float[p.Value.Length]).ToArray();
        _v = parameters.Select(p => new float[p.Value.Length]).ToArray();
    }

    /// <summary>Whether weight decay is decoupled (AdamW).</summary>
    public bool Decoupled { get; }

    /// <summary>First-moment decay.</summary>
    public float Beta1 { get; }

    /// <summary>Second-moment decay.</summary>
    public float Beta2 { get; }

    /// <summary>Denominator guard.</summary>
    public float Epsilon { get; }

    /// <inheritdoc />
    public override IReadOnlyList<float[]> State => [.. _m, .. _v];

    /// <inheritdoc />
    public override void Step(float lr)
    {
        Steps++;
        var c1 = 1 - Math.Pow(Beta1, Steps);
        var c2 = 1 - Math.Pow(Beta2, Steps);
        var stepSize = (float)(lr * Math.Sqrt(c2) / c1);
        for (var pi = 0; pi < Parameters.Count; pi++)
        {
            var p = Parameters[pi];
            var w = p.Value;
            var g = p.Grad;
            var m = _m[pi];
            var v = _v[pi];
            var wd = p.Decay ? WeightDecay : 0f;
            for (var i = 0; i < w.Length; i++)
            {
                var gi = g[i];
                if (!Decoupled) gi += wd * w[i];
                m[i] = Beta1 * m[i] + (1 - Beta1) * gi;
                v[i] = Beta2 * v[i] + (1 - Beta2) * gi * gi;
                if (Decoupled) w[i] -= lr * wd * w[i];
                w[i] -= stepSize * m[i] / (MathF.Sqrt(v[i]) + Epsilon);
            }
        }
    }
}

/// <summary>SGD with (heavy-ball) momentum and L2 weight decay.</summary>
public sealed class SgdMomentum : Optimizer
{
    private readonly float[][] _velocity;

    /// <summary>Creates the optimizer.</summary>
    public SgdMomentum(IReadOnlyList<Parameter> parameters, float weightDecay, float momentum = 0.9f, bool nesterov = true)
        : base(parameters, weightDecay)
    {
        Momentum = momentum;
        Nesterov = nesterov;
        _velocity = parameters.Select(p => new float[p.Value.Length]).ToArray();
    }

    /// <summary>Momentum coefficient.</summary>
    public float Momentum { get; }

    /// <summary>Whether the Nesterov variant is used.</summary>
    public bool Nesterov { get; }

    /// <inheritdoc />
    public override IReadOnlyList<float[]> State => _velocity;

    /// <inheritdoc />
    public override void Step(float lr)
    {
        Steps++;
        for (var pi = 0; pi < Parameters.Count; pi++)
        {
            var p = Parameters[pi];
            var w = p.Value;
            var g = p.Grad;
            var vel = _velocity[pi];
            var wd = p.Decay ? WeightDecay : 0f;
            for (var i = 0; i < w.Length; i++)
            {
                var gi = g[i] + wd * w[i];
                vel[i] = Momentum * vel[i] + gi;
                w[i] -= lr * (Nesterov ? gi + Momentum * vel[i] : vel[i]);
            }
        }
    }
}

/// <summary>Learning-rate schedules over a fixed number of steps.</summary>
public static class LearningRateSchedule
{
    /// <summary>
    /// The learning rate at <paramref name="step"/> of <paramref name="total"/> for schedule
    /// <paramref name="name"/>: <c>cosine</c> (linear warm-up over the first 3%, then cosine to 0),
    /// <c>onecycle</c> (linear from max/25 up to max over 30%, cosine down to max/1e4) or <c>constant</c>.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown schedule.</exception>
    public static float At(string name, float maxLr, long step, long total)
    {
        var t = total <= 1 ? 1.0 : Math.Clamp((double)step / (total - 1), 0, 1);
        switch (name.ToLowerInvariant())
        {
            case "constant":
                return maxLr;
            case "cosine":
            {
                const double warm = 0.03;
                if (t < warm) return (float)(maxLr * (t / warm * 0.9 + 0.1));
                var u = (t - warm) / (1 - warm);
                return (float)(maxLr * 0.5 * (1 + Math.Cos(Math.PI * u)));
            }
            case "onecycle":
            {
                const double up = 0.3;
                double start = maxLr / 25.0, end = maxLr / 1e4;
                if (t < up) return (float)(start + (maxLr - start) * t / up);
                var u = (t - up) / (1 - up);
                return (float)(end + (maxLr - end) * 0.5 * (1 + Math.Cos(Math.PI * u)));
            }
            default:
                throw new ArgumentException($"unknown learning-rate schedule '{name}' (cosine, onecycle or constant)", nameof(name));
        }
    }

    /// <summary>The schedule names <see cref="At"/> accepts.</summary>
    public static IReadOnlyList<string> Names { get; } = ["cosine", "onecycle", "constant"];
}
