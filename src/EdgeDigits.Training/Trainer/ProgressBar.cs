using System.Diagnostics;

namespace EdgeDigits.Training.Trainer;

/// <summary>
/// A one-line progress bar redrawn in place (carriage return) on a terminal, at most a few times a second: epoch,
/// batch, running loss and accuracy, elapsed time and ETA. When the output is not a terminal (a log file, a pipe,
/// systemd's journal) it prints a plain line every <see cref="LogInterval"/> instead of thousands of carriage returns.
/// </summary>
public sealed class ProgressBar
{
    private readonly TextWriter _out;
    private readonly Stopwatch _sinceDraw = Stopwatch.StartNew();
    private int _lastLength;
    private bool _drawn;

    /// <summary>Creates a bar writing to <paramref name="output"/> (typically standard error); <paramref name="interactive"/> defaults to whether that is a terminal.</summary>
    public ProgressBar(TextWriter output, bool? interactive = null)
    {
        _out = output;
        Interactive = interactive ?? IsTerminal(output);
    }

    /// <summary>How often a plain progress line is printed when the output is not a terminal.</summary>
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);

    /// <summary>True when the bar redraws one line in place; false when it prints periodic plain lines.</summary>
    public bool Interactive { get; }

    /// <summary>True when <paramref name="output"/> is the console's stdout or stderr and that is not redirected.</summary>
    public static bool IsTerminal(TextWriter output) =>
        (ReferenceEquals(output, Console.Error) && !Console.IsErrorRedirected) || (ReferenceEquals(output, Console.Out) && !Console.IsOutputRedirected);

    /// <summary>Redraws the line unless it was drawn less than 200 ms ago (or <paramref name="force"/>).</summary>
    public void Update(int epoch, int epochs, int batch, int batches, double loss, double accuracy, TimeSpan elapsed, TimeSpan eta, bool force = false)
    {
        if (!Due(force)) return;
        const int width = 20;
        var filled = batches == 0 ? width : (int)((long)width * batch / batches);
        Draw($"epoch {epoch}/{epochs} [{new string('#', filled)}{new string('.', width - filled)}] {batch}/{batches} loss {loss:F4} acc {accuracy * 100:F2}% {Format(elapsed)} ETA {Format(eta)}");
    }

    /// <summary>Shows <paramref name="line"/> as the current progress (redrawn in place, or a plain line when due), unless too soon after the last one.</summary>
    public void Report(string line, bool force = false)
    {
        if (Due(force)) Draw(line);
    }

    private bool Due(bool force)
    {
        var interval = Interactive ? 200 : LogInterval.TotalMilliseconds;
        if (!force && _drawn && _sinceDraw.ElapsedMilliseconds < interval) return false;
        _sinceDraw.Restart();
        _drawn = true;
        return true;
    }

    private void Draw(string line)
    {
        if (!Interactive)
        {
            _out.WriteLine(line);
            return;
        }
        var pad = Math.Max(0, _lastLength - line.Length);
        _out.Write("\r" + line + new string(' ', pad));
        _lastLength = line.Length;
        _out.Flush();
    }

    /// <summary>Ends the line so the next message starts on its own.</summary>
    public void Finish(string? message = null)
    {
        if (!Interactive)
        {
            if (message is { Length: > 0 }) _out.WriteLine(message);
            return;
        }
        var pad = Math.Max(0, _lastLength - (message?.Length ?? 0));
        _out.WriteLine("\r" + (message ?? "") + new string(' ', pad));
        _lastLength = 0;
    }

    /// <summary>Formats a duration as <c>1h02m</c>, <c>3m05s</c> or <c>42s</c>.</summary>
    public static string Format(TimeSpan t) =>
        t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes:00}m" :
        t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds:00}s" : $"{Math.Max(0, (int)t.TotalSeconds)}s";
}
