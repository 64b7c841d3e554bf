using System.Diagnostics;

namespace EdgeDigits.Training.Trainer;

/// <summary>
/// A one-line progress bar redrawn in place (carriage return) on a text writer, at most a few
/// times a second: epoch, batch, running loss and accuracy, elapsed time and ETA.
/// </summary>
public sealed class ProgressBar
{
    private readonly TextWriter _out;
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private int _lastLength;

    /// <summary>Creates a bar writing to <paramref name="output"/> (typically standard error).</summary>
    public ProgressBar(TextWriter output) => _out = output;

    /// <summary>Redraws the line unless it was drawn less than 200 ms ago (or <paramref name="force"/>).</summary>
    public void Update(int epoch, int epochs, int batch, int batches, double loss, double accuracy, TimeSpan elapsed, TimeSpan eta, bool force = false)
    {
        if (!force && _sinceDraw.ElapsedMilliseconds < 200) return;
        _sinceDraw.Restart();
        const int width = 20;
        var filled = batches == 0 ? width : (int)((long)width * batch / batches);
        var line = $"epoch {epoch}/{epochs} [{new string('#', filled)}{new string('.', width - filled)}] {batch}/{batches} loss {loss:F4} acc {accuracy * 100:F2}% {Format(elapsed)} ETA {Format(eta)}";
        var pad = Math.Max(0, _lastLength - line.Length);
        _out.Write("\r" + line + new string(' ', pad));
        _lastLength = line.Length;
        _out.Flush();
    }

    /// <summary>Ends the line so the next message starts on its own.</summary>
    public void Finish(string? message = null)
    {
        var pad = Math.Max(0, _lastLength - (message?.Length ?? 0));
        _out.WriteLine("\r" + (message ?? "") + new string(' ', pad));
        _lastLength = 0;
    }

    /// <summary>Formats a duration as <c>1h02m</c>, <c>3m05s</c> or <c>42s</c>.</summary>
    public static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" :
        t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{Math.Max(0, (int)t.TotalSeconds)}s";
}
