using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeDigits.Device.Mqtt;

/// <summary>One message waiting in the <see cref="DiskOutbox"/>.</summary>
public sealed record OutboxEntry(
    [property: JsonPropertyName("seq")] long Seq,
    [property: JsonPropertyName("topic")] string Topic,
    [property: JsonPropertyName("payload")] string Payload,
    [property: JsonPropertyName("retain")] bool Retain);

/// <summary>
/// A bounded, durable FIFO of MQTT messages: each message is appended to <c>outbox.log</c> and fsync'd before
/// <see cref="Enqueue"/> returns, and stays there until the broker acknowledged it (<see cref="Ack"/>), so readings
/// survive a broker outage and a device restart and are replayed in order.
/// </summary>
/// <remarks>
/// <c>outbox.ack</c> holds the highest acknowledged sequence number, replaced atomically (write temp, fsync, rename).
/// A torn last line (power cut mid-append) is skipped on load. When full, the oldest message is dropped and counted in
/// <see cref="Dropped"/>: for a meter the newest value matters more than the oldest.
/// </remarks>
public sealed class DiskOutbox : IDisposable
{
    private const int CompactAfterAcked = 2000;
    private readonly object _gate = new();
    private readonly LinkedList<OutboxEntry> _pending = new();
    private readonly string _logPath;
    private readonly string _ackPath;
    private readonly int _capacity;
    private FileStream _log;
    private long _nextSeq;
    private long _ackedInFile;
    private readonly SemaphoreSlim _signal = new(0);

    /// <summary>Opens (or creates) the outbox in <paramref name="dir"/> and loads the messages not yet acknowledged.</summary>
    public DiskOutbox(string dir, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Directory.CreateDirectory(dir);
        _capacity = capacity;
        _logPath = Path.Combine(dir, "outbox.log");
        _ackPath = Path.Combine(dir, "outbox.ack");
        long acked = 0;
        if (File.Exists(_ackPath) && long.TryParse(File.ReadAllText(_ackPath).Trim(), out var a)) acked = a;
        _nextSeq = acked + 1;
        if (File.Exists(_logPath))
        {
            foreach (var line in File.ReadLines(_logPath))
            {
                OutboxEntry? e = null;
                try { e = JsonSerializer.Deserialize(line, Web.DeviceJsonContext.Default.OutboxEntry); }
                catch (JsonException) { CorruptLines++; }
                if (e is null) continue;
                _nextSeq = Math.Max(_nextSeq, e.Seq + 1);
                if (e.Seq <= acked) { _ackedInFile++; continue; }
                _pending.AddLast(e);
            }
            while (_pending.Count > _capacity) { _pending.RemoveFirst(); Dropped++; }
        }
        _log = new FileStream(_logPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        if (_pending.Count > 0) _signal.Release();
    }

    /// <summary>Messages waiting for the broker.</summary>
    public int Count { get { lock (_gate) return _pending.Count; } }

    /// <summary>Messages dropped because the outbox was full.</summary>
    public long Dropped { get; private set; }

    /// <summary>Unreadable lines skipped when loading (a torn write).</summary>
    public int CorruptLines { get; }

    /// <summary>Appends a message durably and returns its sequence number.</summary>
    public long Enqueue(string topic, string payload, bool retain)
    {
        lock (_gate)
        {
            var e = new OutboxEntry(_nextSeq++, topic, payload, retain);
            var bytes = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(e, Web.DeviceJsonContext.Default.OutboxEntry) + "\n");
            _log.Write(bytes);
            _log.Flush(flushToDisk: true);
            _pending.AddLast(e);
            if (_pending.Count > _capacity)
            {
                var dropped = _pending.First!.Value;
                _pending.RemoveFirst();
                Dropped++;
                WriteAck(dropped.Seq);
            }
            _signal.Release();
            return e.Seq;
        }
    }

    /// <summary>The oldest unacknowledged message, or null.</summary>
    public OutboxEntry? Peek()
    {
        lock (_gate) return _pending.First?.Value;
    }

    /// <summary>Waits until a message may be available.</summary>
    public async Task WaitAsync(TimeSpan timeout, CancellationToken ct)
    {
        if (Count > 0) return;
        await _signal.WaitAsync(timeout, ct).ConfigureAwait(false);
    }

    /// <summary>Marks the message <paramref name="seq"/> (the current head) as delivered.</summary>
    public void Ack(long seq)
    {
        lock (_gate)
        {
            if (_pending.First is not { } head || head.Value.Seq != seq) return;
            _pending.RemoveFirst();
            WriteAck(seq);
            if (_ackedInFile > CompactAfterAcked && _ackedInFile > _pending.Count) Compact();
        }
    }

    private void WriteAck(long seq)
    {
        var tmp = _ackPath + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            fs.Write(Encoding.ASCII.GetBytes(seq.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            fs.Flush(flushToDisk: true);
        }
        File.Move(tmp, _ackPath, overwrite: true);
        _ackedInFile++;
    }

    private void Compact()
    {
        var tmp = _logPath + ".tmp";
        using (var fs = new FileStream(tmp, FileMode.Create, FileAccess.Write))
        {
            foreach (var e in _pending) fs.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(e, Web.DeviceJsonContext.Default.OutboxEntry) + "\n"));
            fs.Flush(flushToDisk: true);
        }
        _log.Dispose();
        File.Move(tmp, _logPath, overwrite: true);
        _log = new FileStream(_logPath, FileMode.Append, FileAccess.Write, FileShare.Read);
        _ackedInFile = 0;
    }

    /// <inheritdoc />
    public void Dispose()
    {
        lock (_gate) _log.Dispose();
        _signal.Dispose();
    }
}
