namespace EdgeDigits.Hardware.Camera;

/// <summary>Still-capture mode: runs a command that writes one image to stdout (rpicam-still, ffmpeg) per capture, with a timeout, and checks that what came back is an image.</summary>
public sealed class StillCaptureCamera
{
    private readonly CameraCommand _command;
    private readonly TimeProvider _time;
    private long _sequence;

    /// <summary>Creates the camera; <paramref name="timeout"/> bounds one capture (default 10 s; rpicam-still needs ~1 s for auto exposure).</summary>
    public StillCaptureCamera(CameraCommand? command = null, TimeSpan? timeout = null, TimeProvider? time = null)
    {
        _command = command ?? CameraCommand.RpicamStill();
        Timeout = timeout ?? TimeSpan.FromSeconds(10);
        _time = time ?? TimeProvider.System;
        Name = $"camera '{_command.FileName}'";
    }

    /// <summary>Description for logs and errors.</summary>
    public string Name { get; }

    /// <summary>Longest time one capture may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>Takes one picture; errors name the command and include its stderr.</summary>
    public async Task<CameraFrame> CaptureAsync(CancellationToken cancellationToken = default)
    {
        using var process = CameraProcess.Start(_command, Name);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(Timeout);
        var output = new MemoryStream();
        try
        {
            await process.Output.CopyToAsync(output, cts.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill();
            throw new HardwareFaultException(Name, $"no image within {Timeout.TotalSeconds:0.###} s (command: {_command})");
        }
        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        var data = output.ToArray();
        if (code != 0) throw new HardwareFaultException(Name, $"exited with code {code}: {process.StderrTail} (command: {_command})");
        if (!LooksLikeImage(data)) throw new HardwareFaultException(Name, $"wrote {data.Length} bytes that are not a JPEG or PNG (command: {_command})");
        return new CameraFrame(data, _sequence++, _time.GetUtcNow(), Name);
    }

    private static bool LooksLikeImage(byte[] d) =>
        d.Length > 8 && ((d[0] == 0xFF && d[1] == 0xD8) || (d[0] == 0x89 && d[1] == (byte)'P' && d[2] == (byte)'N' && d[3] == (byte)'G'));
}
