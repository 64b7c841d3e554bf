using System.Runtime.CompilerServices;

namespace EdgeDigits.Hardware.Camera;

/// <summary>Options of <see cref="ProcessMjpegSource"/>.</summary>
public sealed record ProcessMjpegOptions
{
    /// <summary>Restart the command when it exits (a camera process); false ends the stream on a clean exit (a video file).</summary>
    public bool RestartOnExit { get; init; } = true;

    /// <summary>Restarts allowed in a row without a frame in between before giving up; -1 for no limit.</summary>
    public int MaxRestarts { get; init; } = 10;

    /// <summary>First wait before a restart; doubles per failed restart up to <see cref="MaxBackoff"/>, back to this after a frame arrives.</summary>
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Longest wait between restarts.</summary>
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>No byte for this long means the camera hung: the process is killed and restarted.</summary>
    public TimeSpan StallTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Largest frame accepted.</summary>
    public int MaxFrameBytes { get; init; } = 16 * 1024 * 1024;
}

/// <summary>Frames from a command that writes MJPEG to stdout (rpicam-vid, ffmpeg): reassembles JPEGs across read boundaries, skips garbage, and restarts the process with back-off when it exits or stalls.</summary>
public sealed class ProcessMjpegSource : IFrameSource
{
    private readonly CameraCommand _command;
    private readonly ProcessMjpegOptions _options;
    private readonly TimeProvider _time;

    /// <summary>Creates the source; nothing runs until frames are read.</summary>
    public ProcessMjpegSource(CameraCommand command, ProcessMjpegOptions? options = null, TimeProvider? time = null)
    {
        _command = command ?? throw new ArgumentNullException(nameof(command));
        _options = options ?? new ProcessMjpegOptions();
        _time = time ?? TimeProvider.System;
        Name = $"camera '{command.FileName}'";
    }

    /// <inheritdoc />
    public string Name { get; }

    /// <summary>Times the process was restarted.</summary>
    public int Restarts { get; private set; }

    /// <summary>Process id of the running camera command, or null while none runs (before the first start, between restarts, after the end).</summary>
    public int? ProcessId { get; private set; }

    /// <summary>Frames delivered so far, over all runs of the command.</summary>
    public long Frames { get; private set; }

    /// <summary>Exit code of the last process that ended (null while none has).</summary>
    public int? LastExitCode { get; private set; }

    /// <summary>Why the last process ended ("exit code 1: …stderr…", "stalled"), for health reporting.</summary>
    public string? LastProblem { get; private set; }

    /// <summary>Bytes skipped as garbage so far.</summary>
    public long SkippedBytes { get; private set; }

    /// <summary>Raised when the process ended and is about to be restarted (reason, wait).</summary>
    public event Action<string, TimeSpan>? Restarting;

    /// <inheritdoc />
    public async IAsyncEnumerable<CameraFrame> ReadFramesAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var parser = new MjpegFrameParser(_options.MaxFrameBytes);
        var buffer = new byte[64 * 1024];
        long sequence = 0;
        var backoff = _options.InitialBackoff;
        var failuresInRow = 0;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            using var process = CameraProcess.Start(_command, Name);
            ProcessId = process.Id;
            var gotFrame = false;
            int? exitCode = null;
            string problem;
            try
            {
                while (true)
                {
                    int n;
                    using (var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
                    {
                        stall.CancelAfter(_options.StallTimeout);
                        try
                        {
                            n = await process.Output.ReadAsync(buffer, stall.Token).ConfigureAwait(false);
                        }
                        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                        {
                            n = -1;
                        }
                    }
                    if (n < 0)
                    {
                        problem = $"no data for {_options.StallTimeout.TotalSeconds:0.###} s (stalled)";
                        process.Kill();
                        break;
                    }
                    if (n == 0)
                    {
                        var code = await process.WaitForExitAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
                        LastExitCode = exitCode = code;
                        var tail = process.StderrTail;
                        problem = $"exited with code {code}" + (tail.Length > 0 ? $": {tail}" : "");
                        break;
                    }
                    parser.Append(buffer.AsSpan(0, n));
                    SkippedBytes = parser.SkippedBytes;
                    while (parser.TryTake(out var jpeg))
                    {
                        gotFrame = true;
                        Frames++;
                        failuresInRow = 0;
                        backoff = _options.InitialBackoff;
                        yield return new CameraFrame(jpeg, sequence++, _time.GetUtcNow(), Name);
                    }
                }
            }
            finally
            {
                ProcessId = null;
                process.Kill();
            }

            LastProblem = problem;
            parser.Reset();
            if (!_options.RestartOnExit && exitCode == 0) yield break;
            if (!_options.RestartOnExit)
                throw new HardwareFaultException(Name, $"{_command} {problem}");
            if (!gotFrame) failuresInRow++;
            if (_options.MaxRestarts >= 0 && failuresInRow > _options.MaxRestarts)
                throw new HardwareFaultException(Name, $"gave up after {failuresInRow} starts without a frame; last run {problem} (command: {_command})");
            Restarting?.Invoke(problem, backoff);
            await Task.Delay(backoff, _time, cancellationToken).ConfigureAwait(false);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
            Restarts++;
        }
    }
}
