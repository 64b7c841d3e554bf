using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Modes;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Simulator;
using EdgeDigits.Device.Web;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeDigits.Device.Hosting;

/// <summary>
/// Opens the board and starts the configured modes; shows each reading on the status displays; on stop, cancels the
/// mode loops and leaves the hardware safe (gates off, displays cleared and dark).
/// </summary>
public sealed class ModeRunner(IOptions<DeviceOptions> options, IEnumerable<IDeviceMode> modes, ReadingHub hub, ILogger<ModeRunner> log) : IHostedService, IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = new();

    /// <summary>Registers the runner, the configured modes, and the page's LCD mirror and simulator inputs where they apply.</summary>
    public static void AddServices(WebApplicationBuilder builder, DeviceOptions o)
    {
        var s = builder.Services;
        s.AddSingleton<ModeRunner>();
        s.AddHostedService(sp => sp.GetRequiredService<ModeRunner>());
        foreach (var mode in ModeCatalog.Configured(o)) mode.AddServices(s);
        if (o.HasMode(KioskMode.Registration.Name) || o.Displays.Ili9341) s.AddSingleton<ILcdMirror, LcdMirror>();
        if (o.IsSimulated) s.AddSingleton<ISimulatorInputs, SimulatorInputs>();
    }

    /// <summary>The board, once started.</summary>
    public DeviceBoard? Board { get; private set; }

    /// <summary>The running modes.</summary>
    public IReadOnlyList<IDeviceMode> Modes { get; } = modes.ToList();

    /// <summary>The running mode of type <typeparamref name="T"/>, or null.</summary>
    public T? Mode<T>() where T : class, IDeviceMode => Modes.OfType<T>().FirstOrDefault();

    /// <inheritdoc />
    public Task StartAsync(CancellationToken cancellationToken)
    {
        Board = DeviceBoard.Open(options.Value, log);
        try
        {
            foreach (var mode in Modes) _loops.Add(mode.StartAsync(Board, _stop.Token));
        }
        catch
        {
            _stop.Cancel();
            foreach (var mode in Modes) mode.Dispose();
            Board.Dispose();
            throw;
        }
        if (Board.StatusDisplays.Count > 0) hub.Added += ShowOnStatusDisplays;
        Board.Leds?.Ok();
        return Task.CompletedTask;
    }

    private void ShowOnStatusDisplays(DeviceReading r)
    {
        try { Board?.ShowOnStatusDisplays(r); }
        catch (Exception ex) { log.LogWarning("status display: {Error}", ex.Message); }
    }

    /// <inheritdoc />
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _stop.Cancel();
        hub.Added -= ShowOnStatusDisplays;
        try { await Task.WhenAll(_loops).WaitAsync(TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false); }
        catch (TimeoutException) { log.LogWarning("modes did not stop within 5 s"); }
        catch (OperationCanceledException) { }
        foreach (var mode in Modes) mode.Dispose();
        Board?.Dispose();
    }

    /// <inheritdoc />
    public void Dispose() => _stop.Dispose();
}
