using System.Globalization;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Modes;

/// <summary>The outcome of one meter reading after plausibility checks.</summary>
public sealed record MeterDecision
{
    /// <summary>True when the reading became the new value.</summary>
    public bool Accepted { get; init; }

    /// <summary>
    /// The value after this reading: the new one when accepted, else the last good one (null before the first). With
    /// <see cref="MeterOptions.PublishTenth"/> it has one decimal, the lowest wheel's tenth (371458.3, 371458.0); without, none.
    /// </summary>
    public decimal? Value { get; init; }

    /// <summary>The text read, after low-confidence digits fell back to the previous value's digits.</summary>
    public string Text { get; init; } = "";

    /// <summary>Increase per hour since the previous good value, when known.</summary>
    public double? RatePerHour { get; init; }

    /// <summary><c>ok</c> or <c>rejected</c>.</summary>
    public string Status => Accepted ? "ok" : "rejected";

    /// <summary>Why it was rejected, or what was substituted when accepted; null when nothing to say.</summary>
    public string? Reason { get; init; }

    /// <summary>Positions (0-based, left to right) whose digit came from the previous value.</summary>
    public IReadOnlyList<int> FallbackDigits { get; init; } = [];
}

/// <summary>
/// Meter plausibility: a meter only runs forwards (unless allowed; past its maximum it rolls over to 0, which is an
/// increase), at most so fast, and a digit the model is unsure of is taken from the previous value rather than guessed.
/// A rejected reading keeps the last good value and says why; after a few rejected readings in a row that agree with
/// each other, the newest is accepted and says so, so a meter never stays stuck on a wrong value.
/// Two rules for the lowest digit: it is never taken from the previous value (it turns every reading, so the old digit would
/// be published as if the meter had stood still; the reading is rejected instead), and when the reader gives the lowest
/// wheel's roll (<see cref="DeviceReading.Position"/>) the rate is measured on it, so a lowest wheel misread one digit ahead
/// (9.7 read as 0.7) is a jump, not a plausible step of one.
/// With <see cref="MeterOptions.PublishTenth"/> the value is counted in tenths (the digits and the lowest wheel's
/// <see cref="DeviceReading.Tenth"/>): every rule works on them (123.4 → 123.3 goes down; the rollover is past
/// <see cref="MeterOptions.Maximum"/>.9, so 99999.9 → 00000.1 is an increase of 0.2), and a reading at most
/// <see cref="MeterOptions.TenthJitter"/> tenths below the value is the wheel read a tenth back: accepted, the value stays.
/// </summary>
public sealed class MeterPlausibility
{
    private readonly MeterOptions _options;
    private readonly double _confidenceThreshold;

    /// <summary>Counter units per unit of the value: 10 with <see cref="MeterOptions.PublishTenth"/> (the value counted in tenths), else 1.</summary>
    private readonly int _scale;

    /// <summary>The last accepted value in counter units (<see cref="_scale"/>), or null.</summary>
    private long? _lastUnits;

    /// <summary>
    /// Creates the checker with no previous value. <paramref name="confidenceThreshold"/> (default the options'
    /// <see cref="MeterOptions.ConfidenceThreshold"/>) is the digit confidence below which a digit falls back on the
    /// previous value's; the digit-window reader settles its wheels itself and passes its own, lower bound.
    /// </summary>
    public MeterPlausibility(MeterOptions options, double? confidenceThreshold = null)
    {
        _options = options;
        _confidenceThreshold = confidenceThreshold ?? options.ConfidenceThreshold;
        _scale = options.PublishTenth ? 10 : 1;
    }

    /// <summary>The last accepted value (with its tenth under <see cref="MeterOptions.PublishTenth"/>), or null.</summary>
    public decimal? LastValue => _lastUnits is { } units ? Published(units) : null;

    /// <summary>The last accepted value with its lowest wheel's roll (<see cref="DeviceReading.Position"/>), when the reading had it.</summary>
    public double? LastPosition { get; private set; }

    /// <summary>The text of the last accepted value (with its leading zeros).</summary>
    public string? LastText { get; private set; }

    /// <summary>When the last value was accepted.</summary>
    public DateTimeOffset? LastTime { get; private set; }

    /// <summary>Checks <paramref name="reading"/> taken at <paramref name="time"/> and updates the last good value if it passes.</summary>
    public MeterDecision Check(DeviceReading reading, DateTimeOffset time)
    {
        if (reading.Digits.Count == 0) return Reject("no digits found");
        var chars = new char[reading.Digits.Count];
        var fallbacks = new List<int>();
        for (var i = 0; i < chars.Length; i++)
        {
            var d = reading.Digits[i];
            var ok = d.Confidence >= _confidenceThreshold && d.Digit.Length == 1 && char.IsAsciiDigit(d.Digit[0]);
            if (ok) { chars[i] = d.Digit[0]; continue; }
            if (i == chars.Length - 1)
                return Reject(d.Confidence >= _confidenceThreshold
                    ? $"lowest digit between two values ('{d.Best}'), waiting for it to settle"
                    : $"lowest digit ('{d.Best}') uncertain ({d.Confidence:0.00} < {_confidenceThreshold:0.00}); it turns every reading, so the previous value's digit is no guess");
            if (LastText is null)
                return Reject($"position {i + 1} ('{d.Best}') uncertain ({d.Confidence:0.00} < {_confidenceThreshold:0.00}) and no previous value to fall back on");
            if (LastText.Length != chars.Length)
                return Reject($"position {i + 1} ('{d.Best}') uncertain ({d.Confidence:0.00}) and the previous value has {LastText.Length} digits, not {chars.Length}");
            chars[i] = LastText[i];
            fallbacks.Add(i);
        }
        var text = new string(chars);
        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
            return Reject($"'{text}' is not a number");
        var units = value;
        if (_options.PublishTenth)
        {
            if (reading.Tenth is not { } tenth) return Reject("the lowest wheel's tenth was not read (PublishTenth needs digit windows)", text, fallbacks);
            units = value * 10 + tenth;
        }

        double? rate = null;
        string? note = null;
        if (_lastUnits is { } prev && LastTime is { } prevTime)
        {
            var increase = units - prev;
            var modulus = (_options.Maximum + 1) * _scale;
            if (increase < 0 && _options.Maximum > 0 && units < modulus && prev < modulus)
            {
                // Past its maximum a counter shows 0 again: 99998 -> 00003 is an increase of 5 (99999.9 -> 00000.1: 0.2).
                var wrapped = modulus - prev + units;
                if (wrapped < modulus / 2)
                {
                    increase = wrapped;
                    note = $"rolled over past {Format(modulus - 1)}";
                }
            }
            if (_options.PublishTenth && increase < 0 && -increase <= _options.TenthJitter)
            {
                // A wheel standing between two tenths reads either: one tenth back is the meter standing still, not running backwards.
                _rejected.Clear();
                LastTime = time;
                return new MeterDecision
                {
                    Accepted = true, Value = LastValue, Text = LastText ?? text, RatePerHour = 0, FallbackDigits = fallbacks,
                    Reason = $"read {Format(units)}, {-increase} tenth(s) below {Format(prev)}: within TenthJitter {_options.TenthJitter}, the value stays",
                };
            }
            // A floor of one second keeps two readings close together from producing an infinite rate.
            var hours = Math.Max((time - prevTime).TotalHours, 1.0 / 3600);
            double step = (double)increase / _scale;
            // On the lowest wheel's roll when both readings have it: 509.3 -> 510.7 is 1.4, not 1 (with PublishTenth the value has it already).
            if (_scale == 1 && reading.Position is { } position && fallbacks.Count == 0 && LastPosition is { } lastPosition)
                step += (position - value) - (lastPosition - prev);
            rate = step / hours;
            string? problem = null;
            if (increase < 0 && !_options.AllowDecrease)
                problem = $"value went down from {Format(prev)} to {Format(units)} (AllowDecrease is false)";
            else if (_options.MaxRatePerHour > 0 && rate > _options.MaxRatePerHour)
                problem = $"rate {rate:0.##}/h from {Format(prev)} to {Format(units)} exceeds MaxRatePerHour {_options.MaxRatePerHour:0.##}";
            if (problem is not null)
            {
                if (!Recovered(units, time)) return Reject(problem, text, fallbacks);
                note = $"accepted after {_options.RecoverAfter} consistent readings in a row ({problem} at first)";
                rate = null;
            }
        }
        _rejected.Clear();
        LastPosition = fallbacks.Count == 0 ? reading.Position : null;
        _lastUnits = units;
        LastText = text;
        LastTime = time;
        var fallbackNote = fallbacks.Count == 0 ? null : $"digit(s) {string.Join(",", fallbacks.Select(f => f + 1))} uncertain, kept from the previous value";
        return new MeterDecision
        {
            Accepted = true, Value = Published(units), Text = text, RatePerHour = rate, FallbackDigits = fallbacks,
            Reason = note is null ? fallbackNote : fallbackNote is null ? note : $"{note}; {fallbackNote}",
        };
    }

    /// <summary>Rejected readings in a row since the last accepted one (counter units, time), for <see cref="MeterOptions.RecoverAfter"/>.</summary>
    private readonly List<(long Units, DateTimeOffset Time)> _rejected = [];

    /// <summary>
    /// Records a rejected reading; true once <see cref="MeterOptions.RecoverAfter"/> of them in a row agree with each
    /// other (none going down from the one before, none faster than the rate limit), so the newest can be taken.
    /// </summary>
    private bool Recovered(long units, DateTimeOffset time)
    {
        if (_options.RecoverAfter <= 0) return false;
        if (_rejected.Count > 0)
        {
            var (last, lastTime) = _rejected[^1];
            var hours = Math.Max((time - lastTime).TotalHours, 1.0 / 3600);
            var consistent = units >= last && (_options.MaxRatePerHour <= 0 || (double)(units - last) / _scale / hours <= _options.MaxRatePerHour);
            if (!consistent) _rejected.Clear();
        }
        _rejected.Add((units, time));
        return _rejected.Count >= _options.RecoverAfter;
    }

    /// <summary>
    /// The value of <paramref name="units"/> counter units as published: a whole number, or with <see cref="MeterOptions.PublishTenth"/>
    /// always one decimal (3714580 tenths is 371458.0, so the payload shows the tenth even when it is 0).
    /// </summary>
    private decimal Published(long units) => _scale == 1 ? units : units / 10m + 0.0m;

    private string Format(long units) => Published(units).ToString(CultureInfo.InvariantCulture);

    private MeterDecision Reject(string reason, string text = "", IReadOnlyList<int>? fallbacks = null) =>
        new() { Accepted = false, Value = LastValue, Text = text, Reason = reason, FallbackDigits = fallbacks ?? [] };
}
