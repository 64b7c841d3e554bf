namespace EdgeDigits.Hardware.Gpio;

/// <summary>The sorter's gates by name, with one call for the safe state (all off) on start, on error and on shutdown.</summary>
public sealed class GateBank : IDisposable
{
    private readonly Dictionary<string, Gate> _gates;

    /// <summary>Takes ownership of <paramref name="gates"/>, keyed by their <see cref="Gate.Name"/>, and switches them all off.</summary>
    public GateBank(IEnumerable<Gate> gates)
    {
        _gates = gates.ToDictionary(g => g.Name, StringComparer.OrdinalIgnoreCase);
        AllOff();
    }

    /// <summary>The gate names.</summary>
    public IReadOnlyCollection<string> Names => _gates.Keys;

    /// <summary>The gate called <paramref name="name"/>; throws naming the known gates when there is none.</summary>
    public Gate this[string name] => _gates.TryGetValue(name, out var g) ? g : throw new KeyNotFoundException($"no gate '{name}' (known: {string.Join(", ", _gates.Keys)})");

    /// <summary>De-energises every gate; an error on one does not stop the others.</summary>
    public void AllOff()
    {
        List<Exception>? errors = null;
        foreach (var g in _gates.Values)
        {
            try
            {
                g.Off();
            }
            catch (Exception ex)
            {
                (errors ??= new()).Add(ex);
            }
        }
        if (errors is not null) throw new AggregateException("could not switch every gate off", errors);
    }

    /// <summary>Switches everything off and disposes the gates.</summary>
    public void Dispose()
    {
        foreach (var g in _gates.Values) g.Dispose();
    }
}
