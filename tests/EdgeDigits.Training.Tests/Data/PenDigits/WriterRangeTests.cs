using EdgeDigits.Training.Data.PenDigits;

namespace EdgeDigits.Training.Tests.Data.PenDigits;

public sealed class WriterRangeTests
{
    [Theory]
    [InlineData("1-24", new[] { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24 })]
    [InlineData("25-30", new[] { 25, 26, 27, 28, 29, 30 })]
    [InlineData("1,3,5-7", new[] { 1, 3, 5, 6, 7 })]
    [InlineData(" 7 , 2 ", new[] { 2, 7 })]
    [InlineData("4-4,4", new[] { 4 })]
    public void Parse_ValidText_HoldsExactlyThoseWriters(string text, int[] writers)
    {
        var range = WriterRange.Parse(text);
        Assert.Equal(writers, range.Writers);
        Assert.True(range.Contains(writers[0]));
        Assert.False(range.Contains(writers[^1] + 1));
    }

    [Theory]
    [InlineData("", "writer range is empty")]
    [InlineData("a-b", "'a-b' is not a writer number or a range a-b")]
    [InlineData("1-", "'1-' is not a writer number")]
    [InlineData("1-2-3", "'1-2-3' is not a writer number")]
    [InlineData("30-25", "'30-25' runs backwards")]
    [InlineData("0-3", "writers are numbered 1 to")]
    [InlineData("1,,2", "'' is not a writer number")]
    public void Parse_BadText_ThrowsQuotingTheBadPart(string text, string message)
    {
        var ex = Assert.Throws<ArgumentException>(() => WriterRange.Parse(text));
        Assert.Contains(message, ex.Message);
    }

    [Fact]
    public void ToString_SpacedList_NormalizedText()
    {
        Assert.Equal("1-3,9", WriterRange.Parse("1-3, 9").ToString());
    }
}
