using EdgeDigits.Training.Nn;

namespace EdgeDigits.Training.Tests.Nn;

/// <summary>Every layer's backward pass against central finite differences of L = sum(r * y).</summary>
public class GradientCheckTests
{
    public static TheoryData<string> LayerNames => new()
    {
        "conv3x3", "conv3x3-first", "conv5x5-stride2-bias", "conv1x1", "conv1x5-sequence-stride2", "conv3x5-rect", "batchnorm", "relu", "maxpool", "avgpool", "gap", "linear", "dropout",
    };

    private static (Layer Layer, Shape Input) Make(string name) => name switch
    {
        "conv3x3" => (new Conv2d(5, 3, 1, 1), new Shape(3, 7, 6)),
        "conv3x3-first" => (new Conv2d(8, 3, 1, 1), new Shape(1, 6, 6)),
        "conv5x5-stride2-bias" => (new Conv2d(4, 5, 2, 2, bias: true), new Shape(2, 9, 8)),
        "conv1x1" => (new Conv2d(17, 1, 0, 1, bias: true), new Shape(3, 4, 4)),
        "conv1x5-sequence-stride2" => (new Conv2d(6, 1, 5, 0, 2, 2, bias: true), new Shape(3, 1, 13)),
        "conv3x5-rect" => (new Conv2d(4, 3, 5, 1, 2), new Shape(2, 5, 7)),
        "batchnorm" => (new BatchNorm2d(), new Shape(3, 4, 5)),
        "relu" => (new ReLU(), new Shape(2, 5, 5)),
        "maxpool" => (new MaxPool2d(2), new Shape(2, 6, 7)),
        "avgpool" => (new AvgPool2d(2), new Shape(2, 6, 6)),
        "gap" => (new GlobalAvgPool(), new Shape(3, 4, 4)),
        "linear" => (new Linear(6), new Shape(3, 2, 2)),
        "dropout" => (new Dropout(0.3f), new Shape(2, 3, 3)),
        _ => throw new ArgumentException(name),
    };

    [Theory]
    [MemberData(nameof(LayerNames))]
    public void Backward_Layer_MatchesFiniteDifferences(string name)
    {
        foreach (var threads in new[] { 1, 2 })
        {
            var (layer, shape) = Make(name);
            const int n = 3;
            var rng = new Random(7);
            layer.Build(shape, new Parallelism(threads), rng);
            // Non-trivial BatchNorm scale/shift so their gradients are exercised.
            if (layer is BatchNorm2d bn)
                for (var c = 0; c < shape.C; c++) { bn.Gamma.Value[c] = 0.5f + c; bn.Beta.Value[c] = 0.1f * c; }
            var x = new Tensor(n, shape);
            // Values spaced away from 0 and from each other: ReLU and max pooling have kinks there.
            var pool = Enumerable.Range(0, x.Data.Length).Select(i => (float)((i % 2 == 0 ? 1 : -1) * (0.2 + 0.9 * i / x.Data.Length))).ToArray();
            new Random(3).Shuffle(pool);
            pool.CopyTo(x.Data, 0);
            var y = new Tensor(n, layer.OutputShape);
            var r = Enumerable.Range(0, y.Data.Length).Select(_ => (float)(rng.NextDouble() * 2 - 1)).ToArray();

            double Loss()
            {
                if (layer is Dropout d) d.Rng = new Random(5);
                layer.Forward(x, y, training: true);
                double s = 0;
                for (var i = 0; i < y.Data.Length; i++) s += (double)r[i] * y.Data[i];
                return s;
            }

            Loss();
            var dy = new Tensor(n, layer.OutputShape);
            r.CopyTo(dy.Data, 0);
            var dx = new Tensor(n, shape);
            layer.Backward(x, y, dy, dx);
            var analyticX = (float[])dx.Data.Clone();
            var analyticP = layer.Parameters.Select(p => (float[])p.Grad.Clone()).ToArray();

            const float h = 1e-2f;
            for (var i = 0; i < x.Data.Length; i++)
                AssertClose(Numeric(x.Data, i, h, Loss), analyticX[i], $"{name} t={threads} dx[{i}]");
            for (var pi = 0; pi < layer.Parameters.Count; pi++)
            {
                var p = layer.Parameters[pi];
                for (var i = 0; i < p.Value.Length; i++)
                    AssertClose(Numeric(p.Value, i, h, Loss), analyticP[pi][i], $"{name} t={threads} d{p.Name}[{i}]");
            }
        }
    }

    [Fact]
    public void Backward_WholeNetworkWithLoss_MatchesFiniteDifferences()
    {
        var net = new Network([new Conv2d(4), new BatchNorm2d(), new ReLU(), new MaxPool2d(), new Conv2d(6), new BatchNorm2d(), new ReLU(), new GlobalAvgPool(), new Linear(3)],
            new Shape(1, 8, 8), threads: 2, seed: 4);
        var rng = new Random(9);
        var input = Enumerable.Range(0, 4 * 64).Select(_ => (float)rng.NextDouble()).ToArray();
        int[] labels = [0, 2, 1, 2];
        var grad = new float[4 * 3];
        double Loss() => SoftmaxCrossEntropy.Compute(net.Forward(input, 4, true), labels, 3, 0.1f, grad, out _);
        Loss();
        net.Backward(grad);
        var analytic = net.Parameters.Select(p => (float[])p.Grad.Clone()).ToArray();
        for (var pi = 0; pi < net.Parameters.Count; pi++)
        {
            var p = net.Parameters[pi];
            for (var i = 0; i < p.Value.Length; i += 3)
                AssertClose(Numeric(p.Value, i, 1e-2f, Loss), analytic[pi][i], $"param {pi} ({p.Name})[{i}]");
        }
    }

    private static double Numeric(float[] values, int i, float h, Func<double> loss)
    {
        var keep = values[i];
        values[i] = keep + h;
        var plus = loss();
        values[i] = keep - h;
        var minus = loss();
        values[i] = keep;
        return (plus - minus) / (2 * h);
    }

    private static void AssertClose(double numeric, float analytic, string what)
    {
        var tol = 2e-2 * Math.Max(1, Math.Abs(numeric));
        Assert.True(Math.Abs(numeric - analytic) <= tol, $"{what}: analytic {analytic}, numeric {numeric}");
    }
}

public class NetworkTests
{
    [Fact]
    public void DefaultSpec_ElevenClasses_CountsMacsExactly()
    {
        var net = Network.FromSpec(Network.DefaultSpec, 11);
        // conv 1->16 @28x28, 16->32 @14x14, 32->64 @7x7, 64->128 @3x3 (9 taps each), GAP 128x3x3, linear 128->11.
        long expected = 28 * 28 * 16 * 1 * 9 + 14 * 14 * 32 * 16 * 9 + 7 * 7 * 64 * 32 * 9 + 3 * 3 * 128 * 64 * 9 + 128 * 9 + 128 * 11;
        Assert.Equal(expected, net.Macs);
        Assert.True(net.Macs <= 3_000_000);
        Assert.Equal(new Shape(11, 1, 1), net.OutputShape);
    }

    [Theory]
    [InlineData("c16,p,c32")]
    [InlineData("c16,q,fc")]
    [InlineData("c0,fc")]
    public void FromSpec_BadArchitecture_Throws(string spec)
    {
        Assert.Throws<ArgumentException>(() => Network.FromSpec(spec, 10));
    }
}
