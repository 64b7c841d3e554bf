using System.Runtime.InteropServices;
using EdgeDigits.Hardware.Linux;

namespace EdgeDigits.Hardware.Simulation.Linux;

/// <summary>
/// A touchscreen's event device (<c>/dev/input/eventN</c> as the kernel's ads7846 driver fills it) stood in by a named pipe at
/// <see cref="Path"/>: the real <see cref="EvdevTouchReader"/> opens and reads it like the device node, blocking until events come.
/// <see cref="Touch"/> and <see cref="Lift"/> write what the kernel would (BTN_TOUCH on contact, ABS_X/ABS_Y/ABS_PRESSURE only when
/// they changed, SYN_REPORT); any other writer (a test) may write raw <c>struct input_event</c> bytes to the same path. The emulator
/// keeps its own end open, so a writer that closes does not end the reader's stream; disposing it does (like unplugging).
/// </summary>
public sealed partial class EvdevTouchEmulator : IDisposable
{
    private readonly object _gate = new();
    private readonly FileStream _pipe;
    private bool _down;
    private int _x = -1, _y = -1, _pressure = -1;

    /// <summary>Creates the pipe at <paramref name="path"/> (replacing a stale pipe there); events are <paramref name="eventSize"/> bytes (default: this process's layout).</summary>
    /// <exception cref="IOException">The path exists and is not a pipe, or the pipe cannot be made.</exception>
    public EvdevTouchEmulator(string path, int? eventSize = null)
    {
        Path = System.IO.Path.GetFullPath(path);
        EventSize = eventSize ?? InputEvent.NativeSize;
        if (EventSize is not (InputEvent.Size64 or InputEvent.Size32)) throw new ArgumentOutOfRangeException(nameof(eventSize), $"input_event is {InputEvent.Size64} or {InputEvent.Size32} bytes");
        if (System.IO.Path.GetDirectoryName(Path) is { Length: > 0 } dir) Directory.CreateDirectory(dir);
        if (Directory.Exists(Path) || (File.Exists(Path) && new FileInfo(Path).Length > 0))
            throw new IOException($"{Path}: something else is there (a folder or a file with data); refusing to replace it with an emulated event device");
        // A stale pipe (or an empty file) from an earlier run is replaced.
        if (File.Exists(Path)) File.Delete(Path);
        if (MkFifo(Path, 0b110_110_110) != 0)
            throw new IOException($"{Path}: cannot make the emulated event device (mkfifo errno {Marshal.GetLastPInvokeError()})");
        // O_RDWR on a FIFO never blocks and counts as a writer, so readers never see end-of-file while the emulator lives.
        _pipe = new FileStream(Path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite, bufferSize: 0);
    }

    /// <summary>The named pipe standing in for the device node.</summary>
    public string Path { get; }

    /// <summary>Bytes per event written (24 on 64-bit Linux, 16 with a 32-bit time_t).</summary>
    public int EventSize { get; }

    /// <summary>Events written by <see cref="Touch"/>, <see cref="Lift"/> and <see cref="Write"/>.</summary>
    public long EventsWritten { get; private set; }

    /// <summary>Pen on the glass at raw (<paramref name="rawX"/>, <paramref name="rawY"/>): one report, as ads7846 sends per sample.</summary>
    public void Touch(int rawX, int rawY, int pressure = 200)
    {
        lock (_gate)
        {
            var now = Now();
            var events = new List<InputEvent>(5);
            if (!_down) events.Add(new(now, EvdevCodes.EvKey, EvdevCodes.BtnTouch, 1));
            // evdev drops values equal to the last one sent: the reader must remember them.
            if (rawX != _x) events.Add(new(now, EvdevCodes.EvAbs, EvdevCodes.AbsX, rawX));
            if (rawY != _y) events.Add(new(now, EvdevCodes.EvAbs, EvdevCodes.AbsY, rawY));
            if (pressure != _pressure) events.Add(new(now, EvdevCodes.EvAbs, EvdevCodes.AbsPressure, pressure));
            events.Add(new(now, EvdevCodes.EvSyn, EvdevCodes.SynReport, 0));
            WriteLocked(events);
            (_down, _x, _y, _pressure) = (true, rawX, rawY, pressure);
        }
    }

    /// <summary>Pen lifted: BTN_TOUCH 0, ABS_PRESSURE 0, SYN_REPORT (nothing when already up).</summary>
    public void Lift()
    {
        lock (_gate)
        {
            if (!_down) return;
            var now = Now();
            WriteLocked([new(now, EvdevCodes.EvKey, EvdevCodes.BtnTouch, 0), new(now, EvdevCodes.EvAbs, EvdevCodes.AbsPressure, 0), new(now, EvdevCodes.EvSyn, EvdevCodes.SynReport, 0)]);
            (_down, _pressure) = (false, 0);
        }
    }

    /// <summary>Writes events as they are, in one write (a reader sees them whole when they fit the pipe's 4 KiB atomic limit).</summary>
    public void Write(IReadOnlyList<InputEvent> events)
    {
        lock (_gate) WriteLocked(events);
    }

    /// <summary>Encodes events in the kernel layout, <paramref name="eventSize"/> bytes each.</summary>
    public static byte[] Encode(IReadOnlyList<InputEvent> events, int eventSize)
    {
        var bytes = new byte[events.Count * eventSize];
        for (var i = 0; i < events.Count; i++) events[i].WriteTo(bytes.AsSpan(i * eventSize, eventSize), eventSize);
        return bytes;
    }

    /// <summary>Closes the emulator's end and removes the pipe: a reader with no other writer sees end-of-file, like an unplugged device.</summary>
    public void Dispose()
    {
        _pipe.Dispose();
        try { File.Delete(Path); } catch (IOException) { }
    }

    private void WriteLocked(IReadOnlyList<InputEvent> events)
    {
        _pipe.Write(Encode(events, EventSize));
        EventsWritten += events.Count;
    }

    // CLOCK_REALTIME, like the kernel's default event clock.
    private static TimeSpan Now() => DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch;

    [LibraryImport("libc", EntryPoint = "mkfifo", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int MkFifo(string path, uint mode);
}
