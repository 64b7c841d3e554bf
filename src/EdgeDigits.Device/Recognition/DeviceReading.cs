using System.Text.Json.Serialization;

namespace EdgeDigits.Device.Recognition;

/// <summary>One digit of a <see cref="DeviceReading"/>: its text ("?" when uncertain), confidence and box in the source frame.</summary>
public sealed record DigitResult(
    [property: JsonPropertyName("digit")] string Digit,
    [property: JsonPropertyName("confidence")] float Confidence,
    [property: JsonPropertyName("box")] int[] Box)
{
    /// <summary>The most likely class even when <see cref="Digit"/> is "?" (for fallbacks and corrections).</summary>
    [JsonPropertyName("best")]
    public string Best { get; init; } = Digit;
}

/// <summary>What the device publishes for one recognized frame or ink: the text, each digit, where it came from and how long it took.</summary>
public sealed record DeviceReading
{
    /// <summary>Sequence number since start-up.</summary>
    [JsonPropertyName("id")] public long Id { get; init; }

    /// <summary>When the reading was made.</summary>
    [JsonPropertyName("time")] public DateTimeOffset Time { get; init; }

    /// <summary>Which mode produced it (<c>kiosk</c>, <c>meter</c>, <c>sorter</c>, <c>file</c>).</summary>
    [JsonPropertyName("mode")] public string Mode { get; init; } = "";

    /// <summary>The source: a file name, <c>touch</c>, <c>camera</c>.</summary>
    [JsonPropertyName("source")] public string Source { get; init; } = "";

    /// <summary>The recognized text; uncertain digits show as <c>?</c>.</summary>
    [JsonPropertyName("text")] public string Text { get; init; } = "";

    /// <summary>Per-digit results, left to right.</summary>
    [JsonPropertyName("digits")] public IReadOnlyList<DigitResult> Digits { get; init; } = [];

    /// <summary>Recognition time in milliseconds.</summary>
    [JsonPropertyName("latencyMs")] public double LatencyMs { get; init; }

    /// <summary>
    /// A meter read window by window: <see cref="Text"/> with the lowest wheel's roll to a tenth (00371458.6 while the text is
    /// 00371458), for the rate rule; null when a digit is '?' or the reading is not a wheel row.
    /// </summary>
    [JsonPropertyName("position")] public double? Position { get; init; }

    /// <summary>
    /// A meter read window by window: the lowest wheel's roll past the digit it counted, to a tenth (0 … 9; never the next digit), or
    /// null when the lowest wheel counted nothing or the reading is not a wheel row. Known also when a higher digit is '?'.
    /// </summary>
    [JsonPropertyName("tenth")] public int? Tenth { get; init; }

    /// <summary>
    /// A meter reading: the value meter mode published for it after the plausibility check (with the tenth under
    /// <see cref="Configuration.MeterOptions.PublishTenth"/>: 371458.3), or null when it was rejected or is not a meter reading.
    /// </summary>
    [JsonPropertyName("value")] public decimal? Value { get; init; }

    /// <summary>
    /// Whether the displays and the page's big number show <see cref="Tenth"/> after a point: set by meter mode on its readings
    /// under <see cref="Configuration.MeterOptions.PublishTenth"/>; not serialized.
    /// </summary>
    [JsonIgnore] public bool ShowsTenth { get; init; }

    /// <summary>
    /// The tenth the displays show after the point: <see cref="Tenth"/>'s digit, '?' when the lowest wheel's tenth was not read,
    /// or null when no tenth is shown (<see cref="ShowsTenth"/> off, or no digits).
    /// </summary>
    [JsonIgnore] public char? ShownTenth => ShowsTenth && Digits.Count > 0 ? Tenth is { } t ? (char)('0' + t) : '?' : null;

    /// <summary>The number as the displays and the page's big number show it: <see cref="Text"/>, then a point and <see cref="ShownTenth"/> when there is one (0796.4).</summary>
    [JsonPropertyName("shown")] public string Shown => ShownTenth is { } t ? $"{Text}.{t}" : Text;

    /// <summary>The lowest digit confidence (1 when there are no digits).</summary>
    [JsonPropertyName("minConfidence")]
    public float MinConfidence => Digits.Count == 0 ? 1f : Digits.Min(d => d.Confidence);

    /// <summary>The normalized 28x28 crops (white on black, row-major), kept for corrections; not serialized.</summary>
    [JsonIgnore] public IReadOnlyList<byte[]> Crops { get; init; } = [];

    /// <summary>
    /// For a meter read window by window, each digit window as it was cut from the (aligned) frame, at its own size, kept so
    /// that a correction saves it labeled in the meterdigits layout (<see cref="Configuration.MeterOptions.CorrectionsDir"/>); not serialized.
    /// </summary>
    [JsonIgnore] public IReadOnlyList<EdgeDigits.Core.Imaging.GrayImage> Windows { get; init; } = [];

    /// <summary>For kiosk readings, the ink as the kiosk collected it from the touch panel; not serialized.</summary>
    [JsonIgnore] public EdgeDigits.Core.Inks.Ink? Ink { get; init; }

    /// <summary>
    /// A meter reading's verdict: <c>ok</c> (its value was published), <c>rejected</c> (read, but the plausibility rules kept the last
    /// value) or <c>refused</c> (not read at all: a frame not aligned or undecodable); null outside meter mode. Not serialized (the
    /// page shows <see cref="Outcome"/>); the meter LCD colours its status line by it.
    /// </summary>
    [JsonIgnore] public string? Status { get; init; }

    /// <summary>
    /// A meter reading's reason in words, without the value: why it was rejected or refused, or for an accepted one what was settled
    /// or substituted (<c>wheels 3 settled from the wheel to their right; aligned 0.93</c>); null when there is nothing to say. Not serialized.
    /// </summary>
    [JsonIgnore] public string? Reason { get; init; }

    /// <summary>A mode-specific outcome (meter status, sorter gate), shown on the page.</summary>
    [JsonPropertyName("outcome")] public string? Outcome { get; init; }
}
