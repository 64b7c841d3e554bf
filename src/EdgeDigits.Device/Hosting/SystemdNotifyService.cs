using System.Globalization;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Systemd;

namespace EdgeDigits.Device.Hosting;

/// <summary>
/// Talks to systemd over <c>$NOTIFY_SOCKET</c> (Type=notify units): READY=1 once the app has started, WATCHDOG=1 at half
/// of <c>$WATCHDOG_USEC</c> (WatchdogSec=) so systemd restarts a hung device, and STOPPING=1 on shutdown. Does nothing
/// when not started by systemd.
/// </summary>
public sealed class SystemdNotifyService : BackgroundService
{
    private readonly ISystemdNotifier _notifier;
    private readonly IHostApplicationLifetime _lifetime;
    private readonly HealthState _health;

    /// <summary>Creates the service.</summary>
    public SystemdNotifyService(ISystemdNotifier notifier, IHostApplicationLifetime lifetime, HealthState health)
    {
        _notifier = notifier;
        _lifetime = lifetime;
        _health = health;
    }

    /// <summary>The watchdog interval systemd asked for, or null.</summary>
    public static TimeSpan? WatchdogInterval =>
        long.TryParse(Environment.GetEnvironmentVariable("WATCHDOG_USEC"), NumberStyles.None, CultureInfo.InvariantCulture, out var us) && us > 0
            ? TimeSpan.FromMicroseconds(us) : null;

    /// <inheritdoc />
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_notifier.IsEnabled) return;
        var started = new TaskCompletionSource();
        using (_lifetime.ApplicationStarted.Register(() => started.TrySetResult()))
        using (stoppingToken.Register(() => started.TrySetCanceled()))
        {
            try { await started.Task.ConfigureAwait(false); } catch (OperationCanceledException) { return; }
        }
        _notifier.Notify(new ServiceState("READY=1\nSTATUS=running"));
        if (WatchdogInterval is not { } interval) return;
        using var timer = new PeriodicTimer(interval / 2);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                // Only pet the watchdog while the app is healthy, so a stuck mode loop leads to a restart.
                if (_health.IsAlive()) _notifier.Notify(new ServiceState("WATCHDOG=1"));
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <inheritdoc />
    public override Task StopAsync(CancellationToken cancellationToken)
    {
        if (_notifier.IsEnabled) _notifier.Notify(ServiceState.Stopping);
        return base.StopAsync(cancellationToken);
    }
}
