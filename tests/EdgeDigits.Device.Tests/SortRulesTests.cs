using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Tests;

public class SortRulesTests
{
    internal static SorterOptions Sorter() => new()
    {
        Gates = [new() { Name = "A", Pin = 12 }, new() { Name = "B", Pin = 13 }, new() { Name = "C", Pin = 16 }, new() { Name = "reject", Pin = 26 }],
        Rules = [new() { Exact = "777", Gate = "C" }, new() { Prefix = "1", Gate = "A" }, new() { Min = 200, Max = 299, Gate = "B" }],
        RejectGate = "reject",
        MinConfidence = 0.8,
    };

    [Theory]
    [InlineData("777", "C")]
    [InlineData("123", "A")]
    [InlineData("1", "A")]
    [InlineData("250", "B")]
    [InlineData("299", "B")]
    [InlineData("300", "reject")]
    [InlineData("0250", "B")]
    public void Decide_Code_PicksFirstMatchingGate(string code, string gate)
    {
        var d = new SortRules(Sorter()).Decide(MeterPlausibilityTests.Read(code));
        Assert.Equal(gate, d.Gate);
        Assert.Equal(gate == "reject", d.Rejected);
    }

    [Fact]
    public void Decide_LowConfidence_RejectGateWithReason()
    {
        var d = new SortRules(Sorter()).Decide(MeterPlausibilityTests.Read("123", 0.99f, 0.5f, 0.99f));
        Assert.Equal("reject", d.Gate);
        Assert.Contains("digit 2 low confidence", d.Reason);
    }

    [Fact]
    public void Decide_NothingRead_Rejected()
    {
        var d = new SortRules(Sorter()).Decide(new DeviceReading());
        Assert.True(d.Rejected);
        Assert.Equal("no digits read", d.Reason);
    }
}
