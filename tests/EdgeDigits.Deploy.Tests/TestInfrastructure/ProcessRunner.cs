using System.Diagnostics;

namespace EdgeDigits.Deploy.Tests.TestInfrastructure;

/// <summary>Result of a finished child process.</summary>
internal sealed record ProcessResult(int ExitCode, string StdOut, string StdErr, TimeSpan Elapsed)
{
    public string All => StdOut + "\n" + StdErr;
    public override string ToString() => $"exit {ExitCode} after {Elapsed.TotalSeconds:F1}s\n--- stdout\n{StdOut}\n--- stderr\n{StdErr}";
}

/// <summary>Runs real processes (bash, ssh, sshd, mtools, qemu) and captures their output.</summary>
internal static class ProcessRunner
{
    public static ProcessResult Run(string file, IEnumerable<string> args, string? workDir = null,
        IDictionary<string, string>? env = null, TimeSpan? timeout = null, string? stdin = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = stdin is not null,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? Environment.CurrentDirectory,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        if (env is not null) foreach (var (k, v) in env) psi.Environment[k] = v;
        var sw = Stopwatch.StartNew();
        using var p = Process.Start(psi) ?? throw new InvalidOperationException($"cannot start {file}");
        var so = p.StandardOutput.ReadToEndAsync();
        var se = p.StandardError.ReadToEndAsync();
        if (stdin is not null) { p.StandardInput.Write(stdin); p.StandardInput.Close(); }
        if (!p.WaitForExit((int)(timeout ?? TimeSpan.FromMinutes(2)).TotalMilliseconds))
        {
            p.Kill(entireProcessTree: true);
            throw new TimeoutException($"{file} {string.Join(' ', args)} did not finish in {timeout ?? TimeSpan.FromMinutes(2)}: {so.Result}{se.Result}");
        }
        p.WaitForExit();
        return new ProcessResult(p.ExitCode, so.Result, se.Result, sw.Elapsed);
    }

    /// <summary>Runs and throws with the captured output unless the exit code is 0.</summary>
    public static ProcessResult Check(string file, params string[] args)
    {
        var r = Run(file, args);
        if (r.ExitCode != 0) throw new InvalidOperationException($"{file} {string.Join(' ', args)} failed: {r}");
        return r;
    }
}
