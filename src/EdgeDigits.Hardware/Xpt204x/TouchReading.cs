namespace EdgeDigits.Hardware.Xpt204x;

/// <summary>One filtered XPT2046 measurement in raw ADC counts (0..4095).</summary>
/// <param name="RawX">Filtered X conversion.</param>
/// <param name="RawY">Filtered Y conversion.</param>
/// <param name="Z1">Z1 pressure conversion.</param>
/// <param name="Z2">Z2 pressure conversion.</param>
/// <param name="ResistanceOhms">Touch resistance from Z1/Z2 (lower = harder press); +inf when Z1 is zero.</param>
/// <param name="IsTouched">Pressure passed the threshold and the samples agreed.</param>
/// <param name="IsNoisy">The position samples spread more than allowed (a spike or a sliding pen): not used as a touch.</param>
public readonly record struct TouchReading(int RawX, int RawY, int Z1, int Z2, double ResistanceOhms, bool IsTouched, bool IsNoisy);

/// <summary>A touch in display pixels.</summary>
/// <param name="X">Display x.</param>
/// <param name="Y">Display y.</param>
/// <param name="ResistanceOhms">Touch resistance (pressure).</param>
/// <param name="Raw">The raw reading it came from.</param>
public readonly record struct TouchPoint(double X, double Y, double ResistanceOhms, TouchReading Raw);

/// <summary>How the several position samples of one reading are combined.</summary>
public enum TouchFilter
{
    /// <summary>The median sample.</summary>
    Median,
    /// <summary>Mean of the samples after dropping the lowest and highest quarter.</summary>
    TrimmedMean,
}
