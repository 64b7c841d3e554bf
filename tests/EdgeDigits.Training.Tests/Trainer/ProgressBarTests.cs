using EdgeDigits.Training.Trainer;

namespace EdgeDigits.Training.Tests.Trainer;

public class ProgressBarTests
{
    [Fact]
    public void Report_NotATerminal_PlainLinesAtIntervalsNoCarriageReturns()
    {
        var log = new StringWriter();
        var bar = new ProgressBar(log);
        Assert.False(bar.Interactive);
        for (var i = 1; i <= 5000; i++) bar.Report($"eval: {i}/5000", force: i == 5000);
        bar.Finish();
        var lines = log.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.DoesNotContain('\r', log.ToString());
        // The first report, then nothing for LogInterval, then the forced last one.
        Assert.Equal(["eval: 1/5000", "eval: 5000/5000"], lines);
    }

    [Fact]
    public void Report_Terminal_RedrawsOneLineInPlace()
    {
        var log = new StringWriter();
        var bar = new ProgressBar(log, interactive: true);
        bar.Report("quantize: 10%");
        bar.Report("quantize: 100%", force: true);
        bar.Finish("done");
        Assert.Equal("\rquantize: 10%\rquantize: 100%\rdone          " + Environment.NewLine, log.ToString());
    }
}
