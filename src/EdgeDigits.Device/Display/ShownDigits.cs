using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Display;

/// <summary>One digit position of a reading on a display: the character drawn, whether it is uncertain, whether the decimal point follows it.</summary>
/// <param name="Digit">'0'…'9', or '?' when there is no digit to draw (a class such as "none", a tenth not read).</param>
/// <param name="Uncertain">Marked on the display (underlined, or '-' on a 7-segment module), never shown as a plain digit.</param>
/// <param name="PointAfter">The decimal point after this digit (before the meter's tenth).</param>
public readonly record struct ShownDigit(char Digit, bool Uncertain, bool PointAfter);

/// <summary>What every display (LCD, OLED, 7-segment module) shows of a reading, position by position.</summary>
public static class ShownDigits
{
    /// <summary>
    /// The digits of <paramref name="r"/> left to right: an uncertain one as its best guess's first character (the lower digit of
    /// a rolling wheel's "6.4"; '?' for a guess that is no digit, such as "none"), flagged; then, when the reading shows its tenth
    /// (<see cref="DeviceReading.ShownTenth"/>), the point after the last digit and the tenth ('?' and flagged when not read).
    /// </summary>
    public static IReadOnlyList<ShownDigit> Of(DeviceReading r)
    {
        var shown = new List<ShownDigit>(r.Digits.Count + 1);
        var tenth = r.ShownTenth;
        for (var i = 0; i < r.Digits.Count; i++)
        {
            var d = r.Digits[i];
            var uncertain = d.Digit == "?";
            var c = uncertain ? d.Best : d.Digit;
            shown.Add(new ShownDigit(c.Length > 0 && char.IsAsciiDigit(c[0]) ? c[0] : '?', uncertain, tenth is not null && i == r.Digits.Count - 1));
        }
        if (tenth is { } t) shown.Add(new ShownDigit(t, t == '?', false));
        return shown;
    }
}
