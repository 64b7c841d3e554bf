using EdgeDigits.Training.Nn;

namespace EdgeDigits.Training.Tests.Nn;

public class SequenceSpecTests
{
    [Fact]
    public void FromSequenceSpec_Default_1x5ConvsHalvingTheLengthThenAClassifierOverEveryPosition()
    {
        var net = Network.FromSequenceSpec(Network.DefaultSequenceSpec, channels: 5, length: 64, classes: 10, dropout: 0.3f);
        var convs = net.Layers.OfType<Conv2d>().ToArray();
        Assert.Equal([32, 64, 64, 96], convs.Select(c => c.OutChannels));
        Assert.All(convs, c => Assert.Equal((1, 5, 0, 2), (c.KernelH, c.KernelW, c.PaddingH, c.PaddingW)));
        Assert.Equal([64, 32, 16, 8], convs.Select(c => c.OutputShape.W));
        Assert.All(convs, c => Assert.Equal(1, c.OutputShape.H));
        Assert.Equal(96 * 8, net.Layers.OfType<Linear>().Single().InputShape.Size);
        Assert.Equal(new Shape(10, 1, 1), net.OutputShape);
        Assert.Equal(960_000, net.Macs);
    }

    [Theory]
    [InlineData("c32,p,fc", "unknown token 'p'")]
    [InlineData("c32,c64/3,fc", "unknown token 'c64/3'")]
    [InlineData("c32", "must end with 'fc'")]
    public void FromSequenceSpec_BadSpec_ThrowsNamingTheToken(string spec, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => Network.FromSequenceSpec(spec, 5, 64, 10)).Message);
}
