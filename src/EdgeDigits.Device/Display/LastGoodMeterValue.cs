using System.Globalization;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Display;

/// <summary>
/// Which reading's value a status display (LCD, OLED, 7-segment module) shows — one rule for all of them: a meter reading whose
/// value was published is shown and remembered (unless the value stayed while the wheel read a tenth back, <see cref="ValueStayed"/>);
/// a rejected or refused one keeps the last published value (none before the first:
/// the display's value stays blank), so a bad frame never blanks the number nor shows a value that was not published. Readings
/// of other modes (kiosk, sorter) are shown as they are. Not thread-safe: each display keeps one and calls it under its own lock.
/// </summary>
public sealed class LastGoodMeterValue
{
    /// <summary>The mode name of the readings this rule applies to (<see cref="DeviceReading.Mode"/> of meter mode).</summary>
    public const string MeterMode = "meter";

    /// <summary>The last meter reading whose value was published, or null before the first.</summary>
    public DeviceReading? Reading { get; private set; }

    /// <summary>
    /// A meter reading's verdict: its <see cref="DeviceReading.Status"/>, else <c>ok</c> when it has a value, <c>refused</c> when it read
    /// no digits, <c>rejected</c> otherwise.
    /// </summary>
    public static string Verdict(DeviceReading r) => r.Status ?? (r.Value is not null ? "ok" : r.Digits.Count == 0 ? "refused" : "rejected");

    /// <summary>Whether <paramref name="r"/> is a meter reading whose value was not published (rejected or refused): a display shows an older value for it.</summary>
    public static bool IsStale(DeviceReading r) => r.Mode == MeterMode && Verdict(r) != "ok";

    /// <summary>
    /// Takes in the newest reading <paramref name="r"/> and returns the reading whose value to show: <paramref name="r"/> itself when it is
    /// not a meter reading or its value was published (it becomes <see cref="Reading"/>); for a rejected or refused meter reading the last
    /// published one, or null before the first.
    /// </summary>
    public DeviceReading? ValueFor(DeviceReading r)
    {
        if (IsStale(r) || ValueStayed(r, Reading)) return Reading;
        if (r.Mode == MeterMode) Reading = r;
        return r;
    }

    /// <summary>
    /// Whether the accepted meter reading <paramref name="r"/> published the value of <paramref name="kept"/> while it read another number:
    /// a wheel read a tenth back within <c>Meter:TenthJitter</c> (read 123.3, the value stays 123.4). A display then keeps showing
    /// <paramref name="kept"/>, whose digits are the value. A reading with an uncertain digit ('?', kept from the previous value) is shown as read.
    /// </summary>
    public static bool ValueStayed(DeviceReading r, DeviceReading? kept) =>
        r.Mode == MeterMode && r.Value is { } value && kept?.Value == value
        && decimal.TryParse(r.Shown, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var read) && read != value;

    /// <summary>The digits to show for the newest reading <paramref name="r"/> (<see cref="ValueFor"/> through <see cref="ShownDigits"/>); none before the first published meter value.</summary>
    public IReadOnlyList<ShownDigit> DigitsFor(DeviceReading r) => ValueFor(r) is { } shown ? ShownDigits.Of(shown) : [];
}
