namespace EdgeDigits.Device.Recognition;

/// <summary>Where every mode posts its readings: keeps the recent ones for the page and fans them out to the sinks.</summary>
public sealed class ReadingHub
{
    private readonly LinkedList<DeviceReading> _recent = new();
    private readonly int _capacity;
    private readonly object _gate = new();
    private long _nextId;

    /// <summary>Creates a hub remembering <paramref name="capacity"/> readings.</summary>
    public ReadingHub(int capacity = 50) => _capacity = Math.Max(1, capacity);

    /// <summary>Raised (on the caller's thread) for every reading added.</summary>
    public event Action<DeviceReading>? Added;

    /// <summary>The most recent reading, or null.</summary>
    public DeviceReading? Last { get { lock (_gate) return _recent.First?.Value; } }

    /// <summary>Readings added since start.</summary>
    public long Total => Interlocked.Read(ref _nextId);

    /// <summary>Assigns the next id.</summary>
    public long NextId() => Interlocked.Increment(ref _nextId);

    /// <summary>Stores <paramref name="reading"/> (giving it an id if it has none) and notifies the sinks; returns the stored reading.</summary>
    public DeviceReading Add(DeviceReading reading)
    {
        if (reading.Id == 0) reading = reading with { Id = NextId() };
        lock (_gate)
        {
            _recent.AddFirst(reading);
            while (_recent.Count > _capacity) _recent.RemoveLast();
        }
        Added?.Invoke(reading);
        return reading;
    }

    /// <summary>The newest <paramref name="n"/> readings, newest first.</summary>
    public IReadOnlyList<DeviceReading> Recent(int n)
    {
        lock (_gate) return _recent.Take(Math.Max(0, n)).ToList();
    }

    /// <summary>The stored reading with <paramref name="id"/>, or null when unknown or already forgotten.</summary>
    public DeviceReading? Find(long id)
    {
        lock (_gate) return _recent.FirstOrDefault(r => r.Id == id);
    }
}
