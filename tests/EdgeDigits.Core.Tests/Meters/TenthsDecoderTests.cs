using EdgeDigits.Core.Meters;

namespace EdgeDigits.Core.Tests.Meters;

public sealed class TenthsDecoderTests
{
    private static float[] Peaks(params (int Class, float P)[] peaks)
    {
        var p = new float[TenthsDecoder.Classes];
        foreach (var (c, v) in peaks) p[c] = v;
        return p;
    }

    [Fact]
    public void Decode_AllMassOnThirty_IsCleanThree()
    {
        var r = new TenthsDecoder().Decode(Peaks((30, 1f)));
        Assert.Equal(3f, r.Value, 4);
        Assert.Equal(3, r.Digit);
        Assert.Equal('3', r.Text);
        Assert.Equal(1f, r.Confidence, 4);
    }

    [Fact]
    public void Decode_MassSharedByThirtyFourAndThirtyFive_IsRollingBetweenThreeAndFour()
    {
        var r = new TenthsDecoder().Decode(Peaks((34, 0.5f), (35, 0.5f)));
        Assert.Equal(3.45f, r.Value, 3);
        Assert.Null(r.Digit);
        Assert.Equal('?', r.Text);
        Assert.Equal(3, r.Lower);
        Assert.Equal(4, r.Upper);
        Assert.Equal(0.45f, r.Roll, 3);
    }

    [Fact]
    public void Decode_MassAcrossNineNineAndZero_WrapsToCleanZero()
    {
        // 9.9 and 0.1 are neighbours of 0.0 on the wheel: the mean is 0.0, not 5.0.
        var r = new TenthsDecoder().Decode(Peaks((99, 0.3f), (0, 0.4f), (1, 0.3f)));
        Assert.True(r.Value < 0.01f || r.Value > 9.99f, $"value {r.Value}");
        Assert.Equal(0, r.Digit);
    }

    [Fact]
    public void Decode_NineNineAlmostArrived_ShowsZeroWithinTolerance()
    {
        var r = new TenthsDecoder { CleanTolerance = 0.15f }.Decode(Peaks((99, 1f)));
        Assert.Equal(9.9f, r.Value, 3);
        Assert.Equal(0, r.Digit);
        Assert.Equal(9, r.Lower);
        Assert.Equal(0, r.Upper);
    }

    [Fact]
    public void Decode_CleanPositionButLowConfidence_WithholdsDigit()
    {
        // 0.4 near 7.0, the rest spread far away: the position is clean but the model is unsure.
        var p = Peaks((70, 0.4f));
        for (var c = 20; c < 60; c++) p[c] = 0.6f / 40;
        var r = new TenthsDecoder { ConfidenceThreshold = 0.5f }.Decode(p);
        Assert.Equal(7f, r.Value, 3);
        Assert.Null(r.Digit);
        Assert.Equal(0.4f, r.Confidence, 3);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(99)]
    [InlineData(101)]
    public void Decode_WrongLength_Throws(int n)
    {
        Assert.Throws<ArgumentException>(() => new TenthsDecoder().Decode(new float[n]));
    }

    [Fact]
    public void ClassLabels_AreHundredTenthsInOrder()
    {
        Assert.Equal(100, TenthsDecoder.ClassLabels.Length);
        Assert.Equal("0.0", TenthsDecoder.ClassLabels[0]);
        Assert.Equal("3.4", TenthsDecoder.ClassLabels[34]);
        Assert.Equal("9.9", TenthsDecoder.ClassLabels[99]);
        Assert.True(TenthsDecoder.IsTenths(TenthsDecoder.ClassLabels));
        Assert.False(TenthsDecoder.IsTenths(["0", "1"]));
    }

    [Fact]
    public void Combine_BurstAroundNineNineAndZero_AveragesOnTheWheel()
    {
        var d = new TenthsDecoder();
        var r = d.Combine([new RollingDigit(9.9f, 0, 0.9f), new RollingDigit(0.1f, 0, 0.9f), new RollingDigit(0.0f, 0, 0.9f)]);
        Assert.True(r.Value < 0.05f || r.Value > 9.95f, $"value {r.Value}");
        Assert.Equal(0, r.Digit);
        Assert.Equal(0.9f, r.Confidence, 4);
    }

    [Fact]
    public void Combine_OneFrameUnsure_CountsLess()
    {
        // Two frames see 3.0 surely, one glinted frame sees 3.6 unsurely: the wheel stands on 3.
        var d = new TenthsDecoder { ConfidenceThreshold = 0.5f };
        var r = d.Combine([new RollingDigit(3.0f, 3, 0.95f), new RollingDigit(3.6f, null, 0.2f), new RollingDigit(3.0f, 3, 0.95f)]);
        Assert.InRange(r.Value, 2.95f, 3.1f);
        Assert.Equal(3, r.Digit);
    }

    [Fact]
    public void Combine_NoReadings_Throws()
    {
        Assert.Throws<ArgumentException>(() => new TenthsDecoder().Combine([]));
    }

    [Theory]
    [InlineData(3.4f, "3.4")]
    [InlineData(0f, "0.0")]
    [InlineData(9.94f, "9.9")]
    [InlineData(9.97f, "0.0")]
    [InlineData(7.96f, "8.0")]
    public void RollingDigit_Position_IsTheTenthOnTheWheelsCircle(float value, string position)
    {
        Assert.Equal(position, new RollingDigit(value, null, 0.9f).Position);
    }
}
