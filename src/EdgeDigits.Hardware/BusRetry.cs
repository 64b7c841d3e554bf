namespace EdgeDigits.Hardware;

/// <summary>Retries a bus transfer that failed with an I/O error (a bad contact, an EMI glitch) a few times before giving up with a <see cref="HardwareFaultException"/>.</summary>
public static class BusRetry
{
    /// <summary>Runs <paramref name="transfer"/>, retrying on <see cref="IOException"/> up to <paramref name="attempts"/> times in total.</summary>
    public static void Run(string device, Action transfer, int attempts = 3)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                transfer();
                return;
            }
            catch (Exception ex) when (ex is IOException or TimeoutException)
            {
                if (attempt >= attempts) throw new HardwareFaultException(device, $"transfer failed {attempts} times: {ex.Message}", ex);
            }
        }
    }
}
