using System.Globalization;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Modes;

/// <summary>Which gate a parcel goes to and why.</summary>
public sealed record SortDecision(string Gate, bool Rejected, string Reason);

/// <summary>Sorter rules: the first rule that matches the read code (exact, prefix, numeric range) names the gate; an uncertain read or no match goes to the reject gate.</summary>
public sealed class SortRules
{
    private readonly SorterOptions _options;

    /// <summary>Creates the rule set from the sorter options.</summary>
    public SortRules(SorterOptions options) => _options = options;

    /// <summary>Decides the gate for <paramref name="reading"/>.</summary>
    public SortDecision Decide(DeviceReading reading)
    {
        if (reading.Digits.Count == 0 || reading.Text.Length == 0) return Reject("no digits read");
        var low = reading.Digits.Select((d, i) => (d, i)).FirstOrDefault(x => x.d.Confidence < _options.MinConfidence || x.d.Digit == "?");
        if (low.d is not null) return Reject($"digit {low.i + 1} low confidence ({low.d.Confidence:0.00} < {_options.MinConfidence:0.00})");
        var code = reading.Text;
        for (var i = 0; i < _options.Rules.Count; i++)
        {
            var r = _options.Rules[i];
            if (r.Exact is not null && code == r.Exact) return new(r.Gate, false, $"rule {i + 1}: code = {r.Exact}");
            if (r.Prefix is not null && code.StartsWith(r.Prefix, StringComparison.Ordinal)) return new(r.Gate, false, $"rule {i + 1}: prefix {r.Prefix}");
            if ((r.Min is not null || r.Max is not null) && long.TryParse(code, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
                && n >= (r.Min ?? long.MinValue) && n <= (r.Max ?? long.MaxValue))
                return new(r.Gate, false, $"rule {i + 1}: {r.Min}..{r.Max}");
        }
        return Reject($"no rule matches '{code}'");
    }

    private SortDecision Reject(string reason) => new(_options.RejectGate, true, reason);
}
