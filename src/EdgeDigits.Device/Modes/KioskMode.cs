using System.Text.Json;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Hosting;
using EdgeDigits.Device.Recognition;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeDigits.Device.Modes;

/// <summary>Kiosk mode: write a number on the touch panel, see it recognized on the display (<see cref="KioskController"/>).</summary>
public sealed class KioskMode(IOptions<DeviceOptions> options, ModelHost models, ReadingHub hub, HealthState health, ILogger<KioskMode> log) : IDeviceMode
{
    /// <summary>The kiosk's registration: its display (<c>Kiosk:Display</c>) and touch input (<c>Kiosk:Touch</c>), no MQTT topics of its own.</summary>
    public static readonly ModeRegistration Registration = new("Kiosk", PartFactory.OpenKioskParts, s =>
    {
        s.AddSingleton<KioskMode>();
        s.AddSingleton<IDeviceMode>(sp => sp.GetRequiredService<KioskMode>());
    }, _ => []);

    /// <summary>The controller, once started.</summary>
    public KioskController? Controller { get; private set; }

    /// <inheritdoc />
    public string Name => "kiosk";

    /// <inheritdoc />
    public CameraStatus? Camera => null;

    /// <inheritdoc />
    public Task StartAsync(DeviceBoard board, CancellationToken stop)
    {
        Controller = new KioskController(board, options.Value.Kiosk, ink => models.Current.ReadInk(ink), r => hub.Add(r), log);
        return Controller.RunAsync(stop, () => health.Beat(Name));
    }

    /// <inheritdoc />
    public JsonElement? HealthSection() => null;

    /// <inheritdoc />
    public void Dispose()
    {
        Controller?.Dispose();
        Controller = null;
    }
}
