using EdgeDigits.Tests.Shared;

namespace EdgeDigits.Training.Tests.TestInfrastructure;

/// <summary>Small committed excerpts of the UCI pen-digit training file (writers 1 and 25).</summary>
internal static class PenFixtures
{
    public static string Dir => Path.Combine(RepoPaths.Root, "tests", "EdgeDigits.Training.Tests", "TestData");

    /// <summary>Plain UNIPEN text: writer 1 digits 0-9, writer 25 digits 0-4 and 7, 16 segments.</summary>
    public static string PlainText => Path.Combine(Dir, "pendigits-sample.tra");

    /// <summary>The same text made by <c>compress</c> (ncompress 5.0, 16-bit codes).</summary>
    public static string Compressed => Path.Combine(Dir, "pendigits-sample.tra.Z");

    /// <summary>The same text made by <c>compress -b 10</c> (ncompress's own <c>-b 9</c> output is unreadable even to <c>uncompress</c>).</summary>
    public static string Compressed10Bit => Path.Combine(Dir, "pendigits-sample-b10.tra.Z");

    /// <summary>A folder laid out like a fetched set: the sample as <c>pendigits-orig.tra.Z</c>.</summary>
    public static string NewSetDir()
    {
        var dir = RepoPaths.NewTempDir("edgedigits-pen");
        File.Copy(Compressed, Path.Combine(dir, "pendigits-orig.tra.Z"));
        return dir;
    }
}
