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
