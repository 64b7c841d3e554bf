using System.ComponentModel;
using System.Diagnostics;

namespace EdgeDigits.Hardware.Camera;

/// <summary>A started camera command with its stdout as a stream and the tail of its stderr kept for error messages.</summary>
internal sealed class CameraProcess : IDisposable
{
    private readonly Process _process;
    private readonly Queue<string> _stderr = new();

    private CameraProcess(Process process)
    {
        _process = process;
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (_stderr)
            {
                _stderr.Enqueue(e.Data);
                while (_stderr.Count > 5) _stderr.Dequeue();
            }
        };
        process.BeginErrorReadLine();
    }

    public Stream Output => _process.StandardOutput.BaseStream;

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Last stderr lines, joined, for an error message.</summary>
    public string StderrTail
    {
        get
        {
            lock (_stderr) return string.Join(" | ", _stderr);
        }
    }

    /// <summary>Starts <paramref name="command"/>; a program that does not exist becomes a <see cref="HardwareUnavailableException"/> naming it.</summary>
    public static CameraProcess Start(CameraCommand command, string device)
    {
        var psi = new ProcessStartInfo(command.FileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            CreateNoWindow = true,
        };
        foreach (var a in command.Arguments) psi.ArgumentList.Add(a);
        try
        {
            var p = Process.Start(psi) ?? throw new HardwareUnavailableException(device, $"camera command '{command.FileName}' did not start");
            p.StandardInput.Close(); // nothing to say to it; ffmpeg must not wait for keys
            return new CameraProcess(p);
        }
        catch (Win32Exception ex)
        {
            throw new HardwareUnavailableException(device, $"camera command '{command.FileName}' not found or not executable ({ex.Message}); install it or set the camera command", ex);
        }
    }

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cts.Token).ConfigureAwait(false);
            return _process.ExitCode;
        }
        catch (OperationCanceledException)
        {
            Kill();
            return -1;
        }
    }

    public void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (Exception ex) when (ex is InvalidOperationException or Win32Exception)
        {
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }
}
