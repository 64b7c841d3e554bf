using EdgeDigits.Device.Display;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Tests;

public class LastGoodMeterValueTests
{
    private static DeviceReading Meter(string text, string? status, decimal? value = null) => new()
    {
        Mode = "meter", Text = text, Status = status, Value = value,
        Digits = [.. text.Select(c => new DigitResult(c.ToString(), 0.99f, [0, 0, 1, 1]))],
    };

    [Fact]
    public void ValueFor_MeterSequence_BadReadingsGiveTheLastPublishedOne()
    {
        var rule = new LastGoodMeterValue();
        var refused = new DeviceReading { Mode = "meter", Status = "refused" };
        Assert.Null(rule.ValueFor(refused));
        Assert.Null(rule.ValueFor(Meter("0458", "rejected")));
        Assert.Equal([], rule.DigitsFor(refused));

        var good = Meter("0458", "ok", 458);
        Assert.Same(good, rule.ValueFor(good));
        Assert.Same(good, rule.ValueFor(refused));
        Assert.Same(good, rule.ValueFor(Meter("3458", "rejected")));
        Assert.Equal("0458", string.Concat(rule.DigitsFor(Meter("3458", "rejected")).Select(d => d.Digit)));
        Assert.Same(good, rule.Reading);

        var next = Meter("0459", "ok", 459);
        Assert.Same(next, rule.ValueFor(next));
        Assert.Same(next, rule.Reading);
    }

    [Fact]
    public void ValueFor_AcceptedWithinTenthJitter_TheReadingWhoseDigitsAreTheValueStays()
    {
        var rule = new LastGoodMeterValue();
        var good = Meter("0123", "ok", 123.4m) with { Tenth = 4, ShowsTenth = true };
        rule.ValueFor(good);
        // Read 0123.3, one tenth back: accepted, the value published stays 123.4.
        var jitter = Meter("0123", "ok", 123.4m) with { Tenth = 3, ShowsTenth = true, Reason = "read 123.3, 1 tenth(s) below 123.4: within TenthJitter 1, the value stays" };
        Assert.True(LastGoodMeterValue.ValueStayed(jitter, good));
        Assert.Same(good, rule.ValueFor(jitter));
        Assert.Equal("0123.4", string.Concat(rule.DigitsFor(jitter).Select(d => d.Digit + (d.PointAfter ? "." : ""))));
        // Read again as 123.4 (the same value, read as it is) and then 123.5: each is shown.
        var again = good with { Id = 2 };
        Assert.Same(again, rule.ValueFor(again));
        var up = Meter("0123", "ok", 123.5m) with { Tenth = 5, ShowsTenth = true };
        Assert.Same(up, rule.ValueFor(up));
        // An uncertain digit kept from the previous value: shown as read (marked), not replaced.
        var uncertain = Meter("01?3", "ok", 123.5m) with { Tenth = 5, ShowsTenth = true };
        Assert.False(LastGoodMeterValue.ValueStayed(uncertain, up));
        Assert.Same(uncertain, rule.ValueFor(uncertain));
    }

    [Fact]
    public void ValueFor_ReadingOfAnotherMode_ShownAsItIsAndTheMeterValueKept()
    {
        var rule = new LastGoodMeterValue();
        var good = Meter("0458", "ok", 458);
        rule.ValueFor(good);
        var kiosk = new DeviceReading { Mode = "kiosk", Text = "" };
        Assert.Same(kiosk, rule.ValueFor(kiosk));
        Assert.False(LastGoodMeterValue.IsStale(kiosk));
        Assert.Same(good, rule.Reading);
    }

    [Theory]
    [InlineData("ok", false, 2, "ok")]
    [InlineData("rejected", true, 2, "rejected")]
    [InlineData(null, true, 2, "ok")]
    [InlineData(null, false, 2, "rejected")]
    [InlineData(null, false, 0, "refused")]
    public void Verdict_StatusOrWhatTheReadingHas(string? status, bool hasValue, int digits, string expected)
    {
        var r = Meter(new string('1', digits), status, hasValue ? 11 : null);
        Assert.Equal(expected, LastGoodMeterValue.Verdict(r));
        Assert.Equal(expected != "ok", LastGoodMeterValue.IsStale(r));
    }
}
