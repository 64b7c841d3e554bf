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

    [Fact]
    public void Decode_RivalConfidence_IgnoresMassSpreadThinOverTheWheel()
    {
        // 0.8 on 3.0, the other 0.2 spread evenly over 4.0 … 8.9 (0.004 a class): no other position stands out.
        var p = Peaks((30, 0.8f));
        for (var c = 40; c < 90; c++) p[c] = 0.2f / 50;
        var mass = new TenthsDecoder { ConfidenceThreshold = 0.9f }.Decode(p);
        var rival = new TenthsDecoder { ConfidenceThreshold = 0.9f, Confidence = TenthsConfidence.Rival }.Decode(p);
        Assert.Equal(0.8f, mass.Confidence, 4);
        Assert.Null(mass.Digit);
        // strongest rival: any 7 neighbouring classes of the spread, 7 × 0.004 = 0.028; (0.8 − 0.028) / (0.8 + 0.028)
        Assert.Equal((0.8f - 0.028f) / (0.8f + 0.028f), rival.Confidence, 4);
        Assert.Equal(3, rival.Digit);
        Assert.Equal(mass.Value, rival.Value);
    }

    [Fact]
    public void Decode_RivalConfidence_AnotherDigitWithMassCountsAgainst()
    {
        // 0.6 on 3.0, 0.4 on 8.0 (a font confusion): the mass alone says 0.6, against the rival it is (0.6 − 0.4) / 1.
        var p = Peaks((30, 0.6f), (80, 0.4f));
        Assert.Equal(3, new TenthsDecoder { ConfidenceThreshold = 0.5f }.Decode(p).Digit);
        var rival = new TenthsDecoder { ConfidenceThreshold = 0.5f, Confidence = TenthsConfidence.Rival }.Decode(p);
        Assert.Equal(0.2f, rival.Confidence, 4);
        Assert.Null(rival.Digit);
    }

    [Theory]
    [InlineData(94, 0.4f)] // 7 classes from 0.1 across 0.0: the rival window centred there
    [InlineData(96, 0.4f)] // 5 classes away, outside the decoded window: a window not overlapping it still holds it
    [InlineData(3, 1f)]    // within the decoded window (0.1 ± 3): part of the reading's own mass
    public void Decode_RivalConfidence_OnlyMassOutsideTheDecodedWindowRivals(int other, float expected)
    {
        var r = new TenthsDecoder { Confidence = TenthsConfidence.Rival }.Decode(Peaks((1, 0.7f), (other, 0.3f)));
        Assert.Equal(expected, r.Confidence, 4);
    }

    [Fact]
    public void Decode_RivalConfidence_EvenMassEverywhere_IsZero()
    {
        var p = Enumerable.Repeat(1f / TenthsDecoder.Classes, TenthsDecoder.Classes).ToArray();
        Assert.Equal(0f, new TenthsDecoder { Confidence = TenthsConfidence.Rival }.Decode(p).Confidence, 4);
        Assert.Equal(0.07f, new TenthsDecoder().Decode(p).Confidence, 4);
    }

    [Fact]
    public void ConfidenceNames_RoundTrip()
    {
        foreach (var measure in Enum.GetValues<TenthsConfidence>())
            Assert.Equal(measure, TenthsDecoder.ConfidenceNames[TenthsDecoder.NameOf(measure)]);
        Assert.Equal(["mass", "rival"], TenthsDecoder.ConfidenceNames.Keys.Order());
    }
}
