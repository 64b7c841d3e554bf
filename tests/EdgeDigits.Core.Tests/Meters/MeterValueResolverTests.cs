using EdgeDigits.Core.Meters;

namespace EdgeDigits.Core.Tests.Meters;

public sealed class MeterValueResolverTests
{
    private static RollingDigit[] Wheels(params float[] values)
    {
        var decoder = new TenthsDecoder();
        return values.Select(v =>
        {
            var p = new float[TenthsDecoder.Classes];
            p[(int)MathF.Round(v * 10) % TenthsDecoder.Classes] = 1f;
            return decoder.Decode(p);
        }).ToArray();
    }

    [Fact]
    public void Resolve_AllClean_ReadsTheDigits()
    {
        var v = new MeterValueResolver().Resolve(Wheels(1f, 2f, 3f, 4f));
        Assert.Equal("1234", v.Text);
        Assert.Equal(1234.0, v.Value);
        Assert.Empty(v.SettledFromContext);
    }

    [Fact]
    public void Resolve_TensWheelHalfwayWhileUnitsNearNine_CountsTheDigitItIsLeaving()
    {
        // 0 2 9.5 carrying: units at 9.5 pull the tens from 2 towards 3; the reading is 029, not 039.
        var v = new MeterValueResolver().Resolve(Wheels(0f, 2.5f, 9.5f));
        Assert.Equal("029", v.Text);
        Assert.Equal(29.5, v.Value!.Value, 3);
        Assert.Equal(new[] { 1 }, v.SettledFromContext);
    }

    [Fact]
    public void Resolve_TensWheelReadJustBelowItsDigitAfterTheCarry_CountsTheNewDigit()
    {
        // Units at 0.2 have passed 0: the tens read 2.9 must be 3 (a reading error, not a roll).
        var v = new MeterValueResolver().Resolve(Wheels(1f, 2.9f, 0.2f));
        Assert.Equal("130", v.Text);
    }

    [Fact]
    public void Resolve_HundredsThousandsCarryingTogether_AllCountTheirOldDigits()
    {
        // 1 9.9 9.9 9.6: every wheel carries; the meter shows 1999 until the units reach 0.
        var v = new MeterValueResolver().Resolve(Wheels(1.9f, 9.9f, 9.9f, 9.6f));
        Assert.Equal("1999", v.Text);
        Assert.Equal(1999.6, v.Value!.Value, 3);
    }

    [Fact]
    public void Resolve_UnitsAtNinePointEightWhileLeftWheelsShowTheCarry_CountsNineWithEveryCarryPending()
    {
        // 1 9.9 9.9 9.8 is 1999.8: the floor of the units is 9 and no wheel has carried yet (never 2000 or 1990).
        var v = new MeterValueResolver().Resolve(Wheels(1.9f, 9.9f, 9.9f, 9.8f));
        Assert.Equal("1999", v.Text);
        Assert.Equal(1999.8, v.Value!.Value, 3);
    }

    [Fact]
    public void Resolve_UnitsJustPastZero_CarryDoneOnEveryWheel()
    {
        // 1 9.9 9.9 0.1 (the higher wheels read a little behind): 2000.1.
        var v = new MeterValueResolver().Resolve(Wheels(1.9f, 9.9f, 9.9f, 0.1f));
        Assert.Equal("2000", v.Text);
        Assert.Equal(2000.1, v.Value!.Value, 3);
    }

    [Fact]
    public void Resolve_UnsureWheel_IsQuestionMarkAndNoValue()
    {
        var wheels = Wheels(1f, 2f, 3f);
        wheels[1] = wheels[1] with { Confidence = 0.1f, Digit = null };
        var v = new MeterValueResolver().Resolve(wheels);
        Assert.Equal("1?3", v.Text);
        Assert.Null(v.Value);
    }

    [Fact]
    public void Resolve_NoWheels_IsEmpty()
    {
        var v = new MeterValueResolver().Resolve([]);
        Assert.Equal("", v.Text);
        Assert.Null(v.Value);
    }

    [Fact]
    public void Resolve_UnitsReadJustBelowZeroAfterCountingZero_KeepsZero()
    {
        // True 130.0, counted 130 a reading ago; now the units read 9.9 (within the band) and the tens 3.0: 130, never 139 or 129.
        var previous = new MeterValueResolver().Resolve(Wheels(1f, 3f, 0f));
        var v = new MeterValueResolver().Resolve(Wheels(1f, 3f, 9.9f), previous);
        Assert.Equal("130", v.Text);
        Assert.Equal(130.0, v.Value!.Value, 3);
        Assert.True(v.Lowest!.Value.Kept);
    }

    [Fact]
    public void Resolve_UnitsJustBelowADigitForTheFirstTime_WaitsWithQuestionMark()
    {
        // 1 3.9 9.95: the units are 9.9 or 0.0 at the model's resolution; the row waits rather than guess 139 or 140.
        var previous = new MeterValueResolver().Resolve(Wheels(1f, 3.6f, 9.5f));
        var wheels = Wheels(1f, 3.9f, 0f);
        wheels[2] = new RollingDigit(9.95f, 0, 0.9f);
        var v = new MeterValueResolver().Resolve(wheels, previous);
        Assert.Equal("13?", v.Text);
        Assert.Null(v.Value);
        Assert.Equal(1, v.Lowest!.Value.Waiting);
    }

    [Fact]
    public void Resolve_UnitsReadEightPointEight_CountsTheFloor()
    {
        // A meter's reading is the floor of its lowest wheel: 3.8 is 3, not 4 (the window mostly shows 4 already).
        var v = new MeterValueResolver().Resolve(Wheels(1f, 2f, 3.8f));
        Assert.Equal("123", v.Text);
        Assert.Equal(123.8, v.Value!.Value, 3);
    }

    [Fact]
    public void Resolve_UnitsRollingPastNineWhileTensAlreadyMoved_StaysContinuous()
    {
        // True 129.7; the tens are read 2.8 (moving with the carry): 129.7, not 139.7.
        var v = new MeterValueResolver().Resolve(Wheels(1f, 2.8f, 9.7f));
        Assert.Equal("129", v.Text);
        Assert.Equal(129.7, v.Value!.Value, 3);
    }

    /// <summary>A decoder output with the probability split between tenths classes <paramref name="lowTenths"/> and the next one (its share <paramref name="next"/>).</summary>
    private static RollingDigit Between(int lowTenths, float next)
    {
        var p = new float[TenthsDecoder.Classes];
        p[lowTenths % TenthsDecoder.Classes] = 1 - next;
        p[(lowTenths + 1) % TenthsDecoder.Classes] = next;
        return new TenthsDecoder().Decode(p);
    }

    [Fact]
    public void Resolve_LowestWheelJustBeforeADigit_TenthIsNine()
    {
        // 1 2 3.88 (a tenth class further below 4 waits, LowestWheelFloor.Settle): 123.9 (the double nearest 123.9, not 123 + 0.9).
        var v = new MeterValueResolver().Resolve([.. Wheels(1f, 2f), Between(38, 0.8f)]);
        Assert.Equal("123", v.Text);
        Assert.Equal(9, v.Tenth);
        Assert.Equal(123.9, v.Value);
    }

    [Fact]
    public void Resolve_LowestWheelJustAfterADigit_TenthOfTheNewDigit()
    {
        var previous = new MeterValueResolver().Resolve([.. Wheels(1f, 2f), Between(38, 0.8f)]);
        var v = new MeterValueResolver().Resolve([.. Wheels(1f, 2f), Between(40, 0.6f)], previous);
        Assert.Equal("124", v.Text);
        Assert.Equal(1, v.Tenth);
        Assert.Equal(124.1, v.Value);
    }

    [Fact]
    public void Resolve_LowestWheelHalfwayBetweenTwoTenthsBelowADigitAndSettled_CountsTheDigitBelowWithTenthNine()
    {
        // 3.95 (3.9 and 4.0 equally likely) after counting 3: it waits, and a wheel that stays there counts 3 — published 123.9,
        // never 123.0 (the roll wrapped) or 124.0 (a digit the wheel did not count).
        var resolver = new MeterValueResolver();
        var v = resolver.Resolve(Wheels(1f, 2f, 3.5f));
        for (int i = 1; i < resolver.LowestWheel.SettleReadings; i++)
        {
            v = resolver.Resolve([.. Wheels(1f, 2f), Between(39, 0.5f)], v);
            Assert.Equal("12?", v.Text);
            Assert.Null(v.Tenth);
        }
        v = resolver.Resolve([.. Wheels(1f, 2f), Between(39, 0.5f)], v);
        Assert.Equal("123", v.Text);
        Assert.Equal(9, v.Tenth);
        Assert.Equal(123.9, v.Value);
    }

    [Fact]
    public void Resolve_LowestWheelJustBelowTheDigitItCounted_TenthZeroWithThatDigit()
    {
        // Counted 124.0 a reading ago; now 3.95: kept at 4 (Band), so 124.0 — the tenth agrees with the digit.
        var previous = new MeterValueResolver().Resolve(Wheels(1f, 2f, 4f));
        var v = new MeterValueResolver().Resolve([.. Wheels(1f, 2f), Between(39, 0.5f)], previous);
        Assert.Equal("124", v.Text);
        Assert.Equal(0, v.Tenth);
        Assert.Equal(124.0, v.Value);
    }

    [Fact]
    public void Resolve_EveryWheelPastNineToZero_NineNineNinePointNineThenZeroPointZero()
    {
        // The meter's maximum and its rollover: 999.9 (the higher wheels carrying, the lowest at 9.88), then 000.0 once the lowest has passed 0.
        var before = new MeterValueResolver().Resolve([.. Wheels(9.9f, 9.9f), Between(98, 0.8f)]);
        Assert.Equal("999", before.Text);
        Assert.Equal(9, before.Tenth);
        Assert.Equal(999.9, before.Value);
        var after = new MeterValueResolver().Resolve(Wheels(0f, 0f, 0f), before);
        Assert.Equal("000", after.Text);
        Assert.Equal(0, after.Tenth);
        Assert.Equal(0.0, after.Value);
    }

    [Fact]
    public void Resolve_HigherWheelUnsure_TenthStillKnown()
    {
        var wheels = Wheels(1f, 2f, 3.4f);
        wheels[0] = wheels[0] with { Confidence = 0.1f, Digit = null };
        var v = new MeterValueResolver().Resolve(wheels);
        Assert.Equal("?23", v.Text);
        Assert.Null(v.Value);
        Assert.Equal(4, v.Tenth);
    }
}
