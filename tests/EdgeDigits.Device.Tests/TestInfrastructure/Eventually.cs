namespace EdgeDigits.Device.Tests.TestInfrastructure;

/// <summary>Polling for a state that arrives on another thread (the caller asserts on it afterwards).</summary>
internal static class Eventually
{
    /// <summary>Waits until <paramref name="condition"/> holds or <paramref name="timeout"/> passes; returns whether it held.</summary>
    public static async Task<bool> UntilAsync(Func<bool> condition, TimeSpan timeout, int pollMs = 20)
    {
        var end = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow >= end) return false;
            await Task.Delay(pollMs);
        }
        return true;
    }
}
