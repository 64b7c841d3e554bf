using EdgeDigits.Training.Evaluation;

namespace EdgeDigits.Training.Tests.Evaluation;

public sealed class PenReadFiguresTests
{
    [Fact]
    public void Add_FourReadings_TalliesCorrectUnsureWrongAndLength()
    {
        var f = PenReadFigures.Empty.Add("123", "123").Add("1?3", "123").Add("128", "123").Add("12", "123");
        Assert.Equal(new PenReadFigures(4, 1, 1, 2, 1), f);
        Assert.Equal(0.25, f.Accuracy);
        Assert.Equal(0.5, f.WrongRate);
        Assert.Equal(0.25, (double)f.ToJson()["unsureRate"]!);
    }
}
