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
    public void Check_LowConfidenceWithoutPrevious_RejectedSaysWhy()
    {
        var m = new MeterPlausibility(new MeterOptions());
        var d = m.Check(Read("12", 0.99f, 0.2f), T0);
        Assert.False(d.Accepted);
        Assert.Null(d.Value);
        Assert.Contains("digit 2 uncertain", d.Reason);
        Assert.Contains("no previous value", d.Reason);
    }

    [Fact]
    public void Check_NoDigits_Rejected()
    {
        var m = new MeterPlausibility(new MeterOptions());
        Assert.Equal("no digits found", m.Check(new DeviceReading(), T0).Reason);
    }
}
