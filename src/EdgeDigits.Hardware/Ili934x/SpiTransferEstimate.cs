namespace EdgeDigits.Hardware.Ili934x;

/// <summary>Bytes a display update puts on the SPI bus and the time that takes at a clock, ignoring gaps between transfers (a lower bound).</summary>
/// <param name="Bytes">Command, parameter and pixel bytes.</param>
/// <param name="ClockHz">SPI clock.</param>
public readonly record struct SpiTransferEstimate(long Bytes, int ClockHz)
{
    /// <summary>Theoretical bus time: 8 clocks per byte.</summary>
    public TimeSpan Time => TimeSpan.FromSeconds(Bytes * 8.0 / ClockHz);

    /// <summary>Updates per second the bus could carry back to back.</summary>
    public double MaxUpdatesPerSecond => ClockHz / (Bytes * 8.0);

    /// <inheritdoc />
    public override string ToString() => $"{Bytes:N0} bytes, {Time.TotalMilliseconds:F2} ms at {ClockHz / 1e6:0.##} MHz ({MaxUpdatesPerSecond:F1}/s)";
}
