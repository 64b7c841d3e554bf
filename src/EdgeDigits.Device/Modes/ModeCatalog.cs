using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Mqtt;

namespace EdgeDigits.Device.Modes;

/// <summary>The modes the app knows: one registration each.</summary>
public static class ModeCatalog
{
    /// <summary>Every mode, in the order they start.</summary>
    public static readonly IReadOnlyList<ModeRegistration> All = [KioskMode.Registration, MeterMode.Registration, SorterMode.Registration];

    /// <summary>The names accepted in <c>EdgeDigits:Modes</c>.</summary>
    public static IReadOnlyList<string> Names => All.Select(m => m.Name).ToArray();

    /// <summary>The registrations of the modes <paramref name="options"/> turns on.</summary>
    public static IEnumerable<ModeRegistration> Configured(DeviceOptions options) => All.Where(m => options.HasMode(m.Name));

    /// <summary>The Home Assistant sensors of the configured modes.</summary>
    public static IEnumerable<MqttSensor> Sensors(DeviceOptions options) => Configured(options).SelectMany(m => m.Sensors(options));
}
