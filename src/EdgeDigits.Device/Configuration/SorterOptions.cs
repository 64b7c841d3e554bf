namespace EdgeDigits.Device.Configuration;

/// <summary>Sorter mode: trigger → capture → read → gate.</summary>
public sealed class SorterOptions
{
    /// <summary>The gates.</summary>
    public List<GateOptions> Gates { get; set; } = [];

    /// <summary>Rules in order; the first match wins.</summary>
    public List<SortRuleOptions> Rules { get; set; } = [];

    /// <summary>Gate pulsed for low confidence or no match.</summary>
    public string RejectGate { get; set; } = "reject";

    /// <summary>Any digit below this confidence rejects the parcel.</summary>
    public double MinConfidence { get; set; } = 0.8;

    /// <summary>Gate pulse length.</summary>
    public int PulseMs { get; set; } = 150;

    /// <summary>Trigger debounce.</summary>
    public int DebounceMs { get; set; } = 5;

    /// <summary>Events waiting to be processed; further triggers are dropped and counted.</summary>
    public int QueueCapacity { get; set; } = 16;

    /// <summary>The camera.</summary>
    public CameraOptions Camera { get; set; } = new();
}

/// <summary>A gate output (relay/solenoid).</summary>
public sealed class GateOptions
{
    /// <summary>Gate name used by the rules.</summary>
    public string Name { get; set; } = "";

    /// <summary>BCM pin; -1 or missing is a configuration error.</summary>
    public int Pin { get; set; } = -1;

    /// <summary>True when the relay board is active-low.</summary>
    public bool ActiveLow { get; set; }
}

/// <summary>One sorter rule; exactly one of <see cref="Exact"/>, <see cref="Prefix"/> or <see cref="Min"/>/<see cref="Max"/> is set.</summary>
public sealed class SortRuleOptions
{
    /// <summary>The code must equal this text.</summary>
    public string? Exact { get; set; }

    /// <summary>The code must start with this text.</summary>
    public string? Prefix { get; set; }

    /// <summary>Lowest number (inclusive) of a numeric range.</summary>
    public long? Min { get; set; }

    /// <summary>Highest number (inclusive) of a numeric range.</summary>
    public long? Max { get; set; }

    /// <summary>Name of the gate pulsed on a match.</summary>
    public string Gate { get; set; } = "";
}
