namespace EdgeDigits.Device.Recognition;

/// <summary>Opens a model file as an <see cref="IRecognizer"/> over the recognition core.</summary>
public static class RecognizerFactory
{
    /// <summary>Returns a loader that opens models with <paramref name="threads"/> intra-op threads.</summary>
    public static Func<string, IRecognizer> Load(int threads) =>
        path => throw new NotSupportedException($"recognition core not wired yet (model {path}, {threads} threads)");
}
