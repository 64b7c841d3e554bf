using System.Text.Json;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Mqtt;
using Microsoft.Extensions.DependencyInjection;

namespace EdgeDigits.Device.Modes;

/// <summary>
/// One way of using the device (kiosk, meter, sorter): it owns its loop, its options, its section of <c>/api/health</c> and
/// its MQTT topics. A new mode is a class and one line in <see cref="ModeCatalog"/>.
/// </summary>
public interface IDeviceMode : IDisposable
{
    /// <summary>The mode's name in health, heartbeats and readings (<c>kiosk</c>, <c>meter</c>, <c>sorter</c>).</summary>
    string Name { get; }

    /// <summary>Starts the mode on the opened board; returns its loop, which ends when <paramref name="stop"/> is cancelled.</summary>
    Task StartAsync(DeviceBoard board, CancellationToken stop);

    /// <summary>The mode's section of <c>/api/health</c> (under <see cref="Name"/>), or null before it started.</summary>
    JsonElement? HealthSection();

    /// <summary>The mode's camera and what it is doing, or null when the mode has none.</summary>
    CameraStatus? Camera { get; }
}

/// <summary>How a mode is wired in: its configuration name, the parts it needs on the board, its services and its MQTT sensors.</summary>
/// <param name="Name">The <c>EdgeDigits:Modes</c> entry (any case).</param>
/// <param name="OpenParts">Opens the parts only this mode uses (kiosk display and touch, gates and trigger).</param>
/// <param name="AddServices">Registers the mode as an <see cref="IDeviceMode"/> (and any API it serves).</param>
/// <param name="Sensors">The Home Assistant sensors of the mode's topics.</param>
public sealed record ModeRegistration(
    string Name,
    Action<DeviceBoard> OpenParts,
    Action<IServiceCollection> AddServices,
    Func<DeviceOptions, IEnumerable<MqttSensor>> Sensors);
