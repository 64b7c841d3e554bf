namespace EdgeDigits.Deploy.Tests.TestInfrastructure;

/// <summary>Runs <c>dotnet publish</c> of the device app one at a time: publishes for different RIDs rewrite the same
/// obj/project.assets.json files, so two at once from parallel test classes would race.</summary>
internal static class Publisher
{
    private static readonly object Gate = new();

    public static ProcessResult Publish(string outDir, params string[] extra)
    {
        lock (Gate)
        {
            return ProcessRunner.Run("dotnet", ["publish", Path.Combine(RepoPaths.Root, "src/EdgeDigits.Device"), "-o", outDir, .. extra],
                timeout: TimeSpan.FromMinutes(5));
        }
    }
}
