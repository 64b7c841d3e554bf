namespace EdgeDigits.Core.Imaging;

/// <summary>An image could not be decoded or is refused (corrupt, truncated, unsupported, too large).</summary>
public sealed class ImageFormatException : Exception
{
    /// <summary>Creates the exception with a one-line message naming the image and the problem.</summary>
    public ImageFormatException(string message, Exception? inner = null) : base(message, inner) { }
}
