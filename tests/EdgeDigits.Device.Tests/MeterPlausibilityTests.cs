using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Tests;

public class MeterPlausibilityTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    internal static DeviceReading Read(string text, params float[] conf) => new()
    {
        Text = text,
        Digits = text.Select((c, i) => new DigitResult(c.ToString(), conf.Length > i ? conf[i] : 0.99f, [i * 10, 0, 10, 20])).ToList(),
    };

    [Fact]
    public void Check_IncreasingValues_AcceptedWithRate()
    {
        var m = new MeterPlausibility(new MeterOptions());
        Assert.True(m.Check(Read("01234"), T0).Accepted);
        var d = m.Check(Read("01240"), T0.AddHours(2));
        Assert.True(d.Accepted);
        Assert.Equal(1240, d.Value);
        Assert.Equal(3.0, d.RatePerHour!.Value, 6);
        Assert.Equal("ok", d.Status);
    }

    [Fact]
    public void Check_Decrease_RejectedKeepsLastGoodValueWithReason()
    {
        var m = new MeterPlausibility(new MeterOptions());
        m.Check(Read("500"), T0);
        var d = m.Check(Read("499"), T0.AddMinutes(1));
        Assert.False(d.Accepted);
        Assert.Equal(500, d.Value);
        Assert.Contains("went down from 500 to 499", d.Reason);
        Assert.Equal(500, m.LastValue);
    }

    [Fact]
    public void Check_DecreaseAllowed_Accepted()
    {
        var m = new MeterPlausibility(new MeterOptions { AllowDecrease = true });
        m.Check(Read("500"), T0);
        Assert.True(m.Check(Read("000"), T0.AddMinutes(1)).Accepted);
        Assert.Equal(0, m.LastValue);
    }

    [Fact]
    public void Check_RateAboveMax_Rejected()
    {
        var m = new MeterPlausibility(new MeterOptions { MaxRatePerHour = 10 });
        m.Check(Read("100"), T0);
        var d = m.Check(Read("150"), T0.AddHours(1));
        Assert.False(d.Accepted);
        Assert.Contains("exceeds MaxRatePerHour 10", d.Reason);
        Assert.True(m.Check(Read("105"), T0.AddHours(1)).Accepted);
    }

    [Fact]
    public void Check_LowConfidenceDigit_FallsBackToPreviousDigit()
    {
        var m = new MeterPlausibility(new MeterOptions { ConfidenceThreshold = 0.8f });
        m.Check(Read("1234"), T0);
        var d = m.Check(Read("1295", 0.99f, 0.99f, 0.3f, 0.95f), T0.AddHours(1));
        Assert.True(d.Accepted);
        Assert.Equal("1235", d.Text);
        Assert.Equal([2], d.FallbackDigits);
        Assert.Contains("kept from the previous value", d.Reason);
    }

    [Fact]
    public void Check_LowestDigitUncertain_RejectedNeverTakenFromThePreviousValue()
    {
        // The lowest wheel turns every reading: its old digit would publish the meter as standing still.
        var m = new MeterPlausibility(new MeterOptions { ConfidenceThreshold = 0.8f });
        m.Check(Read("1234"), T0);
        var d = m.Check(Read("1236", 0.99f, 0.99f, 0.99f, 0.3f), T0.AddMinutes(1));
        Assert.False(d.Accepted);
        Assert.Equal(1234, d.Value);
        Assert.Contains("lowest digit ('6') uncertain (0.30 < 0.80)", d.Reason);
    }

    [Fact]
    public void Check_LowestDigitBetweenTwoValues_RejectedWaitingToSettle()
    {
        var m = new MeterPlausibility(new MeterOptions());
        m.Check(Read("1234"), T0);
        var d = m.Check(Read("123?"), T0.AddMinutes(1));
        Assert.False(d.Accepted);
        Assert.Equal(1234, d.Value);
        Assert.Contains("lowest digit between two values", d.Reason);
    }

    [Fact]
    public void Check_RateOnTheLowestWheelsRoll_OneDigitMisreadAheadRejected()
    {
        // 509.3 then 510.7 a minute later is 1.4 a minute (84/h) although the counted values differ by one (60/h).
        var m = new MeterPlausibility(new MeterOptions { MaxRatePerHour = 60 });
        Assert.True(m.Check(Read("509") with { Position = 509.3 }, T0).Accepted);
        var d = m.Check(Read("510") with { Position = 510.7 }, T0.AddMinutes(1));
        Assert.False(d.Accepted);
        Assert.Contains("rate 84/h from 509 to 510 exceeds MaxRatePerHour 60", d.Reason);
        var ok = m.Check(Read("510") with { Position = 510.1 }, T0.AddMinutes(2));
        Assert.True(ok.Accepted, ok.Reason);
        Assert.Equal(24, ok.RatePerHour!.Value, 6);
    }

    [Fact]
    public void Check_LowConfidenceWithoutPrevious_RejectedSaysWhy()
    {
        var m = new MeterPlausibility(new MeterOptions());
        var d = m.Check(Read("123", 0.99f, 0.2f, 0.99f), T0);
        Assert.False(d.Accepted);
        Assert.Null(d.Value);
        Assert.Contains("position 2 ('2') uncertain", d.Reason);
        Assert.Contains("no previous value", d.Reason);
    }

    [Fact]
    public void Check_NoDigits_Rejected()
    {
        var m = new MeterPlausibility(new MeterOptions());
        Assert.Equal("no digits found", m.Check(new DeviceReading(), T0).Reason);
    }

    [Fact]
    public void Check_RolloverPastMaximum_IsAnIncrease()
    {
        var m = new MeterPlausibility(new MeterOptions { Maximum = 99999, MaxRatePerHour = 100 });
        m.Check(Read("99998"), T0);
        var d = m.Check(Read("00003"), T0.AddHours(1));
        Assert.True(d.Accepted, d.Reason);
        Assert.Equal(3, d.Value);
        Assert.Equal(5.0, d.RatePerHour!.Value, 6);
        Assert.Contains("rolled over past 99999", d.Reason);
    }

    [Fact]
    public void Check_LargeDropWithMaximum_IsStillADecrease()
    {
        var m = new MeterPlausibility(new MeterOptions { Maximum = 99999, RecoverAfter = 0 });
        m.Check(Read("60000"), T0);
        var d = m.Check(Read("10000"), T0.AddHours(1));
        Assert.False(d.Accepted);
        Assert.Contains("went down from 60000 to 10000", d.Reason);
    }

    [Fact]
    public void Check_ConsistentReadingsAboveMaxRate_RecoverAfterN()
    {
        // The meter was swapped: 100 -> 5000. Two readings are refused, the third that agrees is taken and says so.
        var m = new MeterPlausibility(new MeterOptions { MaxRatePerHour = 10, RecoverAfter = 3 });
        m.Check(Read("00100"), T0);
        Assert.False(m.Check(Read("05000"), T0.AddMinutes(10)).Accepted);
        Assert.False(m.Check(Read("05001"), T0.AddMinutes(20)).Accepted);
        var d = m.Check(Read("05001"), T0.AddMinutes(30));
        Assert.True(d.Accepted);
        Assert.Equal(5001, d.Value);
        Assert.Contains("accepted after 3 consistent readings", d.Reason);
        Assert.Equal(5001, m.LastValue);
    }

    [Fact]
    public void Check_InconsistentRejectedReadings_DoNotRecover()
    {
        // Misreads that jump around never agree: the last good value stays.
        var m = new MeterPlausibility(new MeterOptions { MaxRatePerHour = 10, RecoverAfter = 3 });
        m.Check(Read("00100"), T0);
        Assert.False(m.Check(Read("05000"), T0.AddMinutes(10)).Accepted);
        Assert.False(m.Check(Read("00007"), T0.AddMinutes(20)).Accepted);
        Assert.False(m.Check(Read("08000"), T0.AddMinutes(30)).Accepted);
        Assert.Equal(100, m.LastValue);
    }

    [Fact]
    public void Check_RecoverAfterZero_NeverRecovers()
    {
        var m = new MeterPlausibility(new MeterOptions { MaxRatePerHour = 10, RecoverAfter = 0 });
        m.Check(Read("00100"), T0);
        for (var i = 1; i <= 5; i++) Assert.False(m.Check(Read("05000"), T0.AddMinutes(10 * i)).Accepted);
    }

    /// <summary>A window-by-window reading of <paramref name="text"/> whose lowest wheel rolled <paramref name="tenth"/> tenths past its digit.</summary>
    private static DeviceReading Tenths(string text, int tenth) => Read(text) with { Tenth = tenth };

    private static MeterPlausibility WithTenth(MeterOptions? o = null)
    {
        o ??= new MeterOptions();
        o.PublishTenth = true;
        return new MeterPlausibility(o);
    }

    [Fact]
    public void Check_PublishTenth_ValueCarriesTheTenthAndAlwaysOneDecimal()
    {
        var m = WithTenth();
        var d = m.Check(Tenths("00123", 4), T0);
        Assert.True(d.Accepted);
        Assert.Equal(123.4m, d.Value);
        Assert.Equal("00123", d.Text);
        var whole = m.Check(Tenths("00124", 0), T0.AddMinutes(1));
        Assert.Equal("124.0", whole.Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(124.0m, m.LastValue);
    }

    [Fact]
    public void Check_PublishTenthOff_ValueIsTheWholeNumberEvenWithATenthRead()
    {
        var d = new MeterPlausibility(new MeterOptions()).Check(Tenths("00123", 4), T0);
        Assert.Equal("123", d.Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Theory]
    [InlineData(1, 2)]
    [InlineData(0, 3)]
    public void Check_PublishTenth_DropBeyondTenthJitterIsADecrease(int jitter, int tenth)
    {
        var m = WithTenth(new MeterOptions { TenthJitter = jitter });
        m.Check(Tenths("123", 4), T0);
        var d = m.Check(Tenths("123", tenth), T0.AddMinutes(1));
        Assert.False(d.Accepted);
        Assert.Equal(123.4m, d.Value);
        Assert.Contains($"value went down from 123.4 to 123.{tenth} (AllowDecrease is false)", d.Reason);
    }

    [Fact]
    public void Check_PublishTenth_OneTenthBackIsTheMeterStandingStill_ValueStaysAndNeverGoesDown()
    {
        // 123.4 then 123.3 (a wheel between two tenths reads either): accepted, the value stays 123.4; readings that stay at
        // 123.3 never bring it down (they are not rejected, so RecoverAfter does not publish them), and 123.5 moves it on.
        var m = WithTenth(new MeterOptions { RecoverAfter = 3 });
        m.Check(Tenths("123", 4), T0);
        for (var i = 1; i <= 5; i++)
        {
            var d = m.Check(Tenths("123", 3), T0.AddMinutes(i));
            Assert.True(d.Accepted);
            Assert.Equal(123.4m, d.Value);
            Assert.Equal(0, d.RatePerHour);
            Assert.Equal("read 123.3, 1 tenth(s) below 123.4: within TenthJitter 1, the value stays", d.Reason);
        }
        Assert.Equal(123.5m, m.Check(Tenths("123", 5), T0.AddMinutes(6)).Value);
        // Across a digit too: 124.0 then 123.9 keeps 124.0, with its digits.
        m.Check(Tenths("124", 0), T0.AddMinutes(7));
        var across = m.Check(Tenths("123", 9), T0.AddMinutes(8));
        Assert.Equal((true, 124.0m, "124"), (across.Accepted, across.Value, across.Text));
    }

    [Fact]
    public void Check_PublishTenth_RolloverPastMaximumPointNineIsAnIncrease()
    {
        // Maximum 999: the counter shows 999.9 at most, then 000.0; 999.9 -> 000.1 in a minute is 0.2, 12/h.
        var m = WithTenth(new MeterOptions { Maximum = 999, MaxRatePerHour = 60 });
        Assert.True(m.Check(Tenths("999", 9), T0).Accepted);
        var d = m.Check(Tenths("000", 1), T0.AddMinutes(1));
        Assert.True(d.Accepted, d.Reason);
        Assert.Equal(0.1m, d.Value);
        Assert.Equal(12.0, d.RatePerHour!.Value, 6);
        Assert.Contains("rolled over past 999.9", d.Reason);
    }

    [Fact]
    public void Check_PublishTenth_RateOnTenths()
    {
        // 509.3 then 510.7 a minute later is 1.4 a minute (84/h): over 60/h; 509.3 -> 509.9 is 36/h.
        var m = WithTenth(new MeterOptions { MaxRatePerHour = 60, RecoverAfter = 0 });
        m.Check(Tenths("509", 3), T0);
        var d = m.Check(Tenths("510", 7), T0.AddMinutes(1));
        Assert.False(d.Accepted);
        Assert.Contains("rate 84/h from 509.3 to 510.7 exceeds MaxRatePerHour 60", d.Reason);
        var ok = m.Check(Tenths("509", 9), T0.AddMinutes(1));
        Assert.True(ok.Accepted, ok.Reason);
        Assert.Equal(36, ok.RatePerHour!.Value, 6);
    }

    [Fact]
    public void Check_PublishTenth_RecoveryComparesTenths()
    {
        // A swapped meter: 100.0 -> 5000.1, 5000.0 (a tenth back from the one before: they do not agree), 5000.2, 5000.3: the
        // third in a row that agrees is taken.
        var m = WithTenth(new MeterOptions { MaxRatePerHour = 10, RecoverAfter = 3 });
        m.Check(Tenths("00100", 0), T0);
        Assert.False(m.Check(Tenths("05000", 1), T0.AddMinutes(10)).Accepted);
        Assert.False(m.Check(Tenths("05000", 0), T0.AddMinutes(20)).Accepted);
        Assert.False(m.Check(Tenths("05000", 2), T0.AddMinutes(30)).Accepted);
        var d = m.Check(Tenths("05000", 3), T0.AddMinutes(40));
        Assert.True(d.Accepted);
        Assert.Equal(5000.3m, d.Value);
        Assert.Contains("accepted after 3 consistent readings", d.Reason);
    }

    [Fact]
    public void Check_PublishTenthHigherDigitFallsBack_TenthStillPublished()
    {
        var m = WithTenth(new MeterOptions { ConfidenceThreshold = 0.8f });
        m.Check(Tenths("1234", 5), T0);
        var d = m.Check(Read("1295", 0.99f, 0.99f, 0.3f, 0.99f) with { Tenth = 2 }, T0.AddHours(1));
        Assert.True(d.Accepted, d.Reason);
        Assert.Equal(1235.2m, d.Value);
        Assert.Equal([2], d.FallbackDigits);
    }

    [Fact]
    public void Check_PublishTenthButNoTenthRead_RejectedSaysWhy()
    {
        var d = WithTenth().Check(Read("123"), T0);
        Assert.False(d.Accepted);
        Assert.Equal("the lowest wheel's tenth was not read (PublishTenth needs digit windows)", d.Reason);
    }
}
