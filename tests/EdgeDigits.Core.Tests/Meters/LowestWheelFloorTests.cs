using EdgeDigits.Core.Meters;

namespace EdgeDigits.Core.Tests.Meters;

public sealed class LowestWheelFloorTests
{
    private static readonly LowestWheelFloor Rule = new();

    private static LowestWheelCount Counted(int digit) => new(digit, 0, false, 0);

    [Theory]
    [InlineData(3.0f, 3)]
    [InlineData(3.5f, 3)]
    [InlineData(3.85f, 3)]
    [InlineData(9.89f, 9)]
    [InlineData(0.02f, 0)]
    public void Count_AwayFromTheNextDigit_IsTheFloor(float position, int digit)
    {
        var c = Rule.Count(position, null);
        Assert.Equal(digit, c.Digit);
        Assert.Equal(position - MathF.Floor(position), c.Roll, 4);
        Assert.False(c.Kept);
    }

    [Theory]
    [InlineData(3.91f, 4)]
    [InlineData(3.97f, 4)]
    [InlineData(9.95f, 0)]
    public void Count_LessThanSettleBelowADigit_WaitsAtIt(float position, int at)
    {
        var c = Rule.Count(position, Counted((at + 9) % 10));
        Assert.Null(c.Digit);
        Assert.Equal(1, c.Waiting);
        Assert.Equal(at, c.WaitingAt);
    }

    [Theory]
    [InlineData(3.86f)]
    [InlineData(3.95f)]
    [InlineData(3.999f)]
    public void Count_WithinBandBelowTheDigitCountedBefore_KeepsIt(float position)
    {
        var c = Rule.Count(position, Counted(4));
        Assert.Equal(4, c.Digit);
        Assert.True(c.Kept);
        Assert.Equal(0, c.Roll);
    }

    [Fact]
    public void Count_FurtherThanBandBelowTheDigitCountedBefore_FallsBackToTheFloor()
    {
        var c = Rule.Count(3.8f, Counted(4));
        Assert.Equal(3, c.Digit);
        Assert.False(c.Kept);
    }

    [Fact]
    public void Count_StandingBelowADigitForSettleReadings_CountsTheDigitBelowAndKeepsIt()
    {
        LowestWheelCount? previous = Counted(3);
        for (int i = 1; i < Rule.SettleReadings; i++)
        {
            previous = Rule.Count(3.95f, previous);
            Assert.Null(previous.Value.Digit);
            Assert.Equal(i, previous.Value.Waiting);
        }
        var settled = Rule.Count(3.96f, previous);
        Assert.Equal(3, settled.Digit);
        Assert.Equal(0.96f, settled.Roll, 4);
        // Still standing there: no new wait.
        Assert.Equal(3, Rule.Count(3.95f, settled).Digit);
    }

    [Theory]
    [InlineData(3.985f, 4)]
    [InlineData(9.99f, 0)]
    public void Count_LessThanSnapBelowADigit_StandsOnIt(float position, int digit)
    {
        var c = Rule.Count(position, Counted((digit + 9) % 10));
        Assert.Equal(digit, c.Digit);
        Assert.Equal(0, c.Roll);
    }

    [Fact]
    public void Count_FirstReadingJustBelowADigit_CountsThatDigit()
    {
        var c = Rule.Count(3.97f, null);
        Assert.Equal(4, c.Digit);
        Assert.Equal(0, c.Roll);
        Assert.Equal(4, Rule.Count(3.97f, c).Digit);
    }

    [Fact]
    public void Count_JustBelowADigitAfterAnUnreadWheel_Waits()
    {
        var c = Rule.Count(3.97f, new LowestWheelCount(null, 0, false, 0));
        Assert.Null(c.Digit);
    }

    [Fact]
    public void Count_WaitingBelowAnotherDigit_StartsCountingAgain()
    {
        var waiting = Rule.Count(3.95f, Counted(3));
        var c = Rule.Count(5.95f, waiting);
        Assert.Null(c.Digit);
        Assert.Equal(1, c.Waiting);
        Assert.Equal(6, c.WaitingAt);
    }

    [Fact]
    public void Count_SettleZero_NeverWaits()
    {
        var c = (Rule with { Settle = 0, Snap = 0 }).Count(3.99f, Counted(3));
        Assert.Equal(3, c.Digit);
    }

    [Fact]
    public void Count_BandZero_NeverKeeps()
    {
        var c = (Rule with { Band = 0, Settle = 0, Snap = 0 }).Count(3.99f, Counted(4));
        Assert.Equal(3, c.Digit);
        Assert.False(c.Kept);
    }

    [Theory]
    [InlineData(3.0f, 3, 0)]
    [InlineData(3.44f, 3, 4)]
    [InlineData(4.04f, 4, 0)]
    [InlineData(3.86f, 3, 9)]
    [InlineData(9.62f, 9, 6)]
    public void Tenth_FloorCounted_IsTheRollToATenth(float position, int digit, int tenth)
    {
        var c = Rule.Count(position, null);
        Assert.Equal(digit, c.Digit);
        Assert.Equal(tenth, c.Tenth);
    }

    [Fact]
    public void Tenth_StandingBelowADigitUntilItCountsTheDigitBelow_StopsAtNineNeverTheNextDigit()
    {
        // 3.96 counted 3 is 3.9: rounded it would be 4.0 (a digit the wheel does not count) or, wrapped, 3.0.
        LowestWheelCount? previous = Counted(3);
        for (int i = 1; i < Rule.SettleReadings; i++)
        {
            previous = Rule.Count(3.96f, previous);
            Assert.Null(previous.Value.Tenth);
        }
        var settled = Rule.Count(3.96f, previous);
        Assert.Equal(3, settled.Digit);
        Assert.Equal(LowestWheelCount.MaxTenth, settled.Tenth);
    }

    [Theory]
    [InlineData(3.95f)]
    [InlineData(3.87f)]
    public void Tenth_KeptAtTheDigitCountedBefore_IsZero(float position)
    {
        // A wheel counting 4 from below (Band) publishes 4.0, never 4.9 or 3.9 with the digit 4.
        var c = Rule.Count(position, Counted(4));
        Assert.Equal(4, c.Digit);
        Assert.Equal(0, c.Tenth);
    }

    [Fact]
    public void Tenth_WhileWaiting_IsNull()
    {
        var c = Rule.Count(3.95f, Counted(3));
        Assert.Null(c.Digit);
        Assert.Null(c.Tenth);
    }
}
