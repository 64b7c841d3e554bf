using System.CommandLine.Parsing;
using EdgeDigits.Training.Data.PenDigits;

namespace EdgeDigits.Tool.Commands;

/// <summary>Checks a <c>--pen-writers</c> value at parse time, so a bad range is a usage error with the parser's message.</summary>
internal static class WriterRangeOption
{
    /// <summary>Adds an error to <paramref name="result"/> when its value is not a writer range.</summary>
    public static void Validate(OptionResult result)
    {
        try
        {
            WriterRange.Parse(result.GetValueOrDefault<string>() ?? "");
        }
        catch (ArgumentException ex)
        {
            result.AddError(ex.Message);
        }
    }
}
