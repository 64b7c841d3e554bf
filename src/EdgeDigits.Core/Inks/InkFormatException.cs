namespace EdgeDigits.Core.Inks;

/// <summary>An ink JSON document is malformed; the message names the source and the line/column.</summary>
public sealed class InkFormatException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InkFormatException(string message, long line = 0, long column = 0, Exception? inner = null) : base(message, inner)
    {
        Line = line;
        Column = column;
    }

    /// <summary>1-based line of the problem (0 when unknown).</summary>
    public long Line { get; }

    /// <summary>1-based column (byte in line) of the problem (0 when unknown).</summary>
    public long Column { get; }
}
