namespace EdgeDigits.Core.Tests.TestInfrastructure;

/// <summary>Measures what a steady-state operation allocates on the calling thread.</summary>
/// <remarks>
/// Early in a test process the runtime itself now and then allocates on the calling thread (a method
/// promoted by tiered compilation, a type loaded), and one measured window then shows a kilobyte or
/// three that the code under test never asked for. So the operation is measured in several windows
/// and the fewest bytes count: an allocation the code makes on every call shows in every window.
/// </remarks>
internal static class Allocations
{
    /// <summary>
    /// Runs <paramref name="once"/> <paramref name="warmup"/> times, then up to <paramref name="windows"/>
    /// windows of <paramref name="callsPerWindow"/> calls, and returns the fewest bytes one window allocated.
    /// </summary>
    public static long SteadyState(Action once, int callsPerWindow = 5, int windows = 5, int warmup = 3)
    {
        for (int i = 0; i < warmup; i++) once();
        long least = long.MaxValue;
        for (int w = 0; w < windows && least > 0; w++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < callsPerWindow; i++) once();
            least = Math.Min(least, GC.GetAllocatedBytesForCurrentThread() - before);
        }
        return least;
    }
}
