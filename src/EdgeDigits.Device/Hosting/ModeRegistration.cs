using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeDigits.Device.Hosting;

/// <summary>Registers the services of the configured modes (kiosk, meter, sorter) and the hardware they use.</summary>
public static class ModeRegistration
{
    /// <summary>Adds the mode services for <paramref name="options"/>.</summary>
    public static void Add(WebApplicationBuilder builder, DeviceOptions options)
    {
        var s = builder.Services;
        s.AddSingleton<DeviceModes>();
        s.AddHostedService(sp => sp.GetRequiredService<DeviceModes>());
        if (options.HasMode("Kiosk") || options.Displays.Ili9341) s.AddSingleton<ILcdMirror>(sp => sp.GetRequiredService<DeviceModes>());
        if (options.IsSimulated) s.AddSingleton<ISimulatorInputs>(sp => sp.GetRequiredService<DeviceModes>());
        if (options.HasMode("Meter")) s.AddSingleton<IMeterControl>(sp => sp.GetRequiredService<DeviceModes>());
    }
}
