using EdgeDigits.Tool;

namespace EdgeDigits.Tool.Tests;

public class HardwareCommandTests
{
    [Theory]
    [InlineData("hardware figures")]
    [InlineData("hardware figures --spi-clock 16000000 --digit 48x64 --samples 3 --repetitions 2")]
    public void Parse_ValidCommandLine_HasNoErrors(string line)
    {
        var result = EdgeDigitsCli.CreateRootCommand().Parse(line);
        Assert.Empty(result.Errors);
    }

    [Theory]
    [InlineData("hardware figures --digit 400x10", "--digit '400x10' is not WxH inside 320x240")]
    [InlineData("hardware figures --digit big", "--digit 'big' is not WxH")]
    [InlineData("hardware figures --touch-clock 4000000", "--touch-clock 4000000 Hz is outside 1..2500000")]
    [InlineData("hardware figures --samples 0", "--samples must be 1..32")]
    [InlineData("hardware figures --spi-clock 0", "--spi-clock must be a positive frequency")]
    public void Parse_BadOption_ReportsWhatIsWrong(string line, string message)
    {
        var result = EdgeDigitsCli.CreateRootCommand().Parse(line);
        Assert.Contains(result.Errors, e => e.Message.Contains(message));
        Assert.Equal(ExitCodes.Usage, EdgeDigitsCli.Run(line.Split(' ')));
    }

    [Fact]
    public void Run_Figures_PrintsFullFrameAndDigitBytes()
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        int code;
        try
        {
            code = EdgeDigitsCli.Run(["hardware", "figures", "--repetitions", "2"]);
        }
        finally
        {
            Console.SetOut(previous);
        }
        var text = output.ToString();
        Assert.Equal(ExitCodes.Success, code);
        Assert.Contains("| ILI9341 full frame 320x240 | 153,611 | 38.40 ms |", text);
        Assert.Contains("| ILI9341 one digit 64x96 | 12,299 | 3.07 ms |", text);
        Assert.Contains("9,259 readings/s bus limit", text);
        Assert.Contains("decoded \"12:34\"", text);
    }
}
