using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Web;

/// <summary>The body of <c>GET /api/health</c>; each running mode adds its own section (<c>meter</c>, <c>sorter</c>) beside these fields.</summary>
public sealed record HealthResponse
{
    /// <summary><c>ok</c>, <c>degraded</c> (an error or MQTT down) or <c>error</c> (no model).</summary>
    public required string Status { get; init; }

    /// <summary>The device id.</summary>
    public required string Device { get; init; }

    /// <summary>The profile the app started with.</summary>
    public required string Profile { get; init; }

    /// <summary>The configured modes.</summary>
    public required IReadOnlyList<string> Modes { get; init; }

    /// <summary>The active model.</summary>
    public required ModelHealth Model { get; init; }

    /// <summary>Seconds since start.</summary>
    public double UptimeSeconds { get; init; }

    /// <summary>Readings since start.</summary>
    public long Readings { get; init; }

    /// <summary>The newest reading.</summary>
    public DeviceReading? LastReading { get; init; }

    /// <summary>The MQTT link, when enabled.</summary>
    public MqttHealth? Mqtt { get; init; }

    /// <summary>Current errors by part.</summary>
    public required IReadOnlyDictionary<string, string> Errors { get; init; }

    /// <summary>The modes' cameras by mode name.</summary>
    public required IReadOnlyDictionary<string, CameraHealth> Cameras { get; init; }

    /// <summary>Resident memory, MB.</summary>
    public double MemoryMb { get; init; }

    /// <summary>The modes' sections by mode name, written beside the fields above.</summary>
    [JsonExtensionData]
    public Dictionary<string, JsonElement>? ModeSections { get; set; }
}

/// <summary>The active model (or, with none loaded, why).</summary>
public sealed record ModelHealth(string? Path, string? Name, DateTimeOffset? ActivatedAt, string? LastError,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Error = null);

/// <summary>The MQTT link: connected, messages waiting in the outbox, dropped when it was full, delivered.</summary>
public sealed record MqttHealth(bool Connected, int Pending, long Dropped, long Delivered, string? LastError);

/// <summary>A camera: its kind and source, the process behind it, restarts, frames, the last problem.</summary>
public sealed record CameraHealth(string Kind, string Source, int? Pid, int Restarts, long Frames, int? LastExitCode, string? LastProblem, string? Error, string? Note);

/// <summary>The meter mode's section: the last accepted value (with its tenth under <c>Meter:PublishTenth</c>) and when.</summary>
public sealed record MeterHealth(decimal? LastValue, DateTimeOffset? LastTime);

/// <summary>The sorter mode's section: parcels per gate, dropped triggers, errors, trigger-to-gate latency.</summary>
public sealed record SorterHealth(IReadOnlyDictionary<string, long> Gates, long Dropped, long Errors, double? LatencyP50Ms, double? LatencyP99Ms);

/// <summary>The retained <c>/meter</c> MQTT state; <paramref name="Value"/> has one decimal, the lowest wheel's tenth, under <c>Meter:PublishTenth</c> (371458.3).</summary>
public sealed record MeterState(decimal? Value, string Text, double? RatePerHour, string Status, string? Reason, string Time, string Source);

/// <summary>Source-generated JSON for the health response and the meter state (camelCase, so a trimmed build needs no reflection for them).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HealthResponse))]
[JsonSerializable(typeof(MeterHealth))]
[JsonSerializable(typeof(SorterHealth))]
[JsonSerializable(typeof(MeterState))]
public sealed partial class HealthJsonContext : JsonSerializerContext;
