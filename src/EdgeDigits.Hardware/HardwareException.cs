namespace EdgeDigits.Hardware;

/// <summary>Base of the errors a driver reports; the message always names the device and, where one is involved, the bus or pin.</summary>
public class HardwareException : Exception
{
    /// <summary>Creates the error.</summary>
    public HardwareException(string device, string message, Exception? inner = null) : base($"{device}: {message}", inner) => Device = device;

    /// <summary>The device (chip name and bus/pin) the error is about, e.g. "ILI9341 on /dev/spidev0.0".</summary>
    public string Device { get; }
}

/// <summary>The bus, pin or device node a driver needs does not exist or cannot be opened on this machine.</summary>
public sealed class HardwareUnavailableException : HardwareException
{
    /// <summary>Creates the error.</summary>
    public HardwareUnavailableException(string device, string message, Exception? inner = null) : base(device, message, inner) { }
}

/// <summary>A transfer on a bus failed, after the retries that made sense for it.</summary>
public sealed class HardwareFaultException : HardwareException
{
    /// <summary>Creates the error.</summary>
    public HardwareFaultException(string device, string message, Exception? inner = null) : base(device, message, inner) { }
}
