using EdgeDigits.Core.Recognition;

namespace EdgeDigits.Device.Recognition;

/// <summary>Opens a model file as an <see cref="IRecognizer"/> over the recognition core.</summary>
public static class RecognizerFactory
{
    /// <summary>
    /// Returns a loader that opens models with <paramref name="threads"/> intra-op threads, each with the ink sequence
    /// model <paramref name="inkModelPath"/> beside it (null = none); a bad model throws with the reason.
    /// </summary>
    public static Func<string, IRecognizer> Load(int threads, string? inkModelPath = null) => path =>
    {
        try { return new CoreRecognizer(path, threads, inkModelPath); }
        catch (ModelLoadException ex) { throw new InvalidDataException(ex.Message, ex); }
    };
}
