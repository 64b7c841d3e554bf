using System.Runtime.CompilerServices;
using EdgeDigits.Hardware.Xpt204x;

namespace EdgeDigits.Hardware.Linux;

/// <summary>One complete touchscreen report (everything up to a SYN_REPORT), with the last known value of each axis (evdev only sends values that changed).</summary>
/// <param name="X">ABS_X (raw ADC counts for ads7846 without DT calibration).</param>
/// <param name="Y">ABS_Y.</param>
/// <param name="Pressure">ABS_PRESSURE (0 on release).</param>
/// <param name="Touching">BTN_TOUCH state.</param>
/// <param name="Time">Kernel timestamp of the SYN_REPORT.</param>
public readonly record struct EvdevTouchReport(int X, int Y, int Pressure, bool Touching, TimeSpan Time)
{
    /// <summary>The position mapped through a calibration to display pixels.</summary>
    public (double X, double Y) Map(TouchCalibration calibration) => calibration.Apply(X, Y);
}

/// <summary>Reads touch reports from a Linux input device (<c>/dev/input/eventN</c>) as the kernel's ads7846 driver (and most single-touch panels) deliver them: BTN_TOUCH, ABS_X, ABS_Y, ABS_PRESSURE, SYN_REPORT; honours SYN_DROPPED.</summary>
public sealed class EvdevTouchReader : IDisposable
{
    private readonly Stream _stream;
    private readonly bool _ownsStream;
    private readonly int _eventSize;
    private readonly byte[] _buffer;
    private int _filled;
    private int _x, _y, _pressure;
    private bool _touching;
    private bool _dropping;

    /// <summary>Reads from <paramref name="stream"/> (a device node, a recording); events are <paramref name="eventSize"/> bytes (default: this process's size).</summary>
    public EvdevTouchReader(Stream stream, string name = "touch (evdev)", int? eventSize = null, bool ownsStream = true)
    {
        ArgumentNullException.ThrowIfNull(stream);
        _stream = stream;
        _ownsStream = ownsStream;
        _eventSize = eventSize ?? InputEvent.NativeSize;
        if (_eventSize is not (InputEvent.Size64 or InputEvent.Size32)) throw new ArgumentOutOfRangeException(nameof(eventSize), $"{name}: input_event is 24 or 16 bytes");
        _buffer = new byte[_eventSize * 64];
        Name = name;
    }

    /// <summary>Opens an event device, e.g. <c>/dev/input/event0</c> or <c>/dev/input/by-path/…-event</c>.</summary>
    public static EvdevTouchReader Open(string path)
    {
        var name = $"touch on {path}";
        try
        {
            var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1, FileOptions.None);
            return new EvdevTouchReader(fs, name);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new HardwareUnavailableException(name, "no such input device (is the ads7846 overlay loaded? see /proc/bus/input/devices)", ex);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw new HardwareUnavailableException(name, "permission denied (add the user to the 'input' group)", ex);
        }
    }

    /// <summary>Name used in errors.</summary>
    public string Name { get; }

    /// <summary>Events parsed so far.</summary>
    public long Events { get; private set; }

    /// <summary>Reports discarded because the kernel signalled SYN_DROPPED.</summary>
    public int DroppedReports { get; private set; }

    /// <summary>Blocks until the next complete report; null at the end of the stream (a partial trailing event is ignored).</summary>
    public EvdevTouchReport? ReadReport()
    {
        while (true)
        {
            if (TryTakeReport(out var report)) return report;
            int n;
            try
            {
                n = _stream.Read(_buffer, _filled, _buffer.Length - _filled);
            }
            catch (IOException ex)
            {
                throw new HardwareFaultException(Name, $"read failed (device unplugged?): {ex.Message}", ex);
            }
            if (n <= 0) return null;
            _filled += n;
        }
    }

    /// <summary>Reports until the end of the stream or cancellation.</summary>
    public async IAsyncEnumerable<EvdevTouchReport> ReadReportsAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        while (true)
        {
            if (TryTakeReport(out var report))
            {
                yield return report;
                continue;
            }
            int n;
            try
            {
                n = await _stream.ReadAsync(_buffer.AsMemory(_filled), cancellationToken).ConfigureAwait(false);
            }
            catch (IOException ex)
            {
                throw new HardwareFaultException(Name, $"read failed (device unplugged?): {ex.Message}", ex);
            }
            if (n <= 0) yield break;
            _filled += n;
        }
    }

    /// <summary>Closes the stream when owned.</summary>
    public void Dispose()
    {
        if (_ownsStream) _stream.Dispose();
    }

    private bool TryTakeReport(out EvdevTouchReport report)
    {
        var offset = 0;
        try
        {
            while (_filled - offset >= _eventSize)
            {
                var e = InputEvent.Parse(_buffer.AsSpan(offset, _eventSize), _eventSize);
                offset += _eventSize;
                Events++;
                if (e.Type == EvdevCodes.EvSyn && e.Code == EvdevCodes.SynDropped)
                {
                    _dropping = true;
                    DroppedReports++;
                    continue;
                }
                if (e.Type == EvdevCodes.EvSyn && e.Code == EvdevCodes.SynReport)
                {
                    if (_dropping)
                    {
                        _dropping = false;
                        continue;
                    }
                    report = new EvdevTouchReport(_x, _y, _pressure, _touching, e.Time);
                    return true;
                }
                if (_dropping) continue;
                if (e.Type == EvdevCodes.EvKey && e.Code == EvdevCodes.BtnTouch) _touching = e.Value != 0;
                else if (e.Type == EvdevCodes.EvAbs)
                {
                    switch (e.Code)
                    {
                        case EvdevCodes.AbsX: _x = e.Value; break;
                        case EvdevCodes.AbsY: _y = e.Value; break;
                        case EvdevCodes.AbsPressure: _pressure = e.Value; break;
                    }
                }
            }
            report = default;
            return false;
        }
        finally
        {
            if (offset > 0)
            {
                Buffer.BlockCopy(_buffer, offset, _buffer, 0, _filled - offset);
                _filled -= offset;
            }
        }
    }
}
