namespace EdgeDigits.Core.Recognition;

/// <summary>A model or its metadata cannot be used (missing, corrupt, or disagreeing with each other).</summary>
public sealed class ModelLoadException : Exception
{
    /// <summary>Creates the exception with a one-line message naming the model file and the problem.</summary>
    public ModelLoadException(string message, Exception? inner = null) : base(message, inner) { }
}
