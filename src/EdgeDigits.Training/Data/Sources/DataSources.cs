namespace EdgeDigits.Training.Data.Sources;

/// <summary>The data sets <c>edgedigits data fetch</c> knows, by name. A new data set is one <see cref="IDataSource"/> class and one line here.</summary>
public static class DataSources
{
    /// <summary>Every known source, in the order <c>--help</c> lists them.</summary>
    public static IReadOnlyList<IDataSource> All { get; } =
    [
        new MnistSource(),
        new MeterDigitsSource(),
        new PenDigitsSource(),
        new UspsSource(),
    ];

    /// <summary>The source called <paramref name="name"/> (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No source has that name; the message lists the known ones.</exception>
    public static IDataSource Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown data set '{name}' (known: {string.Join(", ", All.Select(s => s.Name))})");
}
