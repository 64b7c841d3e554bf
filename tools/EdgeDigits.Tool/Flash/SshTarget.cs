using System.Text.RegularExpressions;

namespace EdgeDigits.Tool.Flash;

/// <summary>A board reached with the system's ssh/scp (user@host[:port]), with ssh failures turned into one clear line.</summary>
public sealed partial class SshTarget
{
    /// <summary>user@host (or host) without the port.</summary>
    public string Target { get; }

    /// <summary>The SSH port.</summary>
    public int Port { get; }

    /// <summary>The spec as given, for messages.</summary>
    public string Spec { get; }

    private readonly string? _identity;
    private readonly IReadOnlyList<string> _options;

    /// <summary>Parses <paramref name="spec"/> (user@host[:port]); <paramref name="port"/> overrides the port in it.</summary>
    public SshTarget(string spec, string? identity = null, int? port = null, IReadOnlyList<string>? sshOptions = null)
    {
        var m = SpecRegex().Match(spec);
        if (!m.Success) throw new FlashException($"--host '{spec}' is not user@host[:port]", ExitCodes.Usage);
        if (identity is not null && !File.Exists(identity)) throw new FlashException($"--identity {identity}: no such key file", ExitCodes.BadInput);
        Spec = spec;
        Target = m.Groups[1].Value;
        Port = port ?? (m.Groups[2].Success ? int.Parse(m.Groups[2].Value, System.Globalization.CultureInfo.InvariantCulture) : 22);
        _identity = identity;
        _options = sshOptions ?? [];
    }

    private List<string> CommonOptions()
    {
        var a = new List<string> { "-o", "BatchMode=yes", "-o", "ConnectTimeout=10", "-o", "StrictHostKeyChecking=accept-new" };
        foreach (var o in _options) { a.Add("-o"); a.Add(o); }
        if (_identity is not null) { a.AddRange(["-i", _identity, "-o", "IdentitiesOnly=yes"]); }
        return a;
    }

    /// <summary>Runs <paramref name="script"/> with bash on the board; ssh's own failures (exit 255) become a <see cref="FlashException"/>.</summary>
    public ToolResult Run(string script)
    {
        var args = CommonOptions();
        args.InsertRange(0, ["-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        args.AddRange([Target, "bash -s"]);
        var r = ExternalTool.Run("ssh", args, stdin: script, timeout: TimeSpan.FromMinutes(5));
        if (r.ExitCode == 255) throw new FlashException(Reason(r.StdErr), ExitCodes.Unavailable);
        return r;
    }

    /// <summary>Copies local files into <paramref name="remoteDir"/> (which must exist) with scp.</summary>
    public void Copy(IEnumerable<string> localFiles, string remoteDir)
    {
        var args = CommonOptions();
        args.InsertRange(0, ["-q", "-P", Port.ToString(System.Globalization.CultureInfo.InvariantCulture)]);
        args.AddRange(localFiles);
        args.Add($"{Target}:{remoteDir}/");
        var r = ExternalTool.Run("scp", args, timeout: TimeSpan.FromMinutes(30));
        if (r.ExitCode != 0) throw new FlashException(r.StdErr.Contains("Permission denied (publickey", StringComparison.Ordinal) || r.StdErr.Contains("Could not resolve", StringComparison.Ordinal)
            ? Reason(r.StdErr) : $"copy to {Spec}:{remoteDir} failed: {ExternalTool.LastLine(r.StdErr)}", ExitCodes.Unavailable);
    }

    /// <summary>One line naming what went wrong with the connection.</summary>
    public string Reason(string stderr)
    {
        if (stderr.Contains("Could not resolve hostname", StringComparison.Ordinal)) return $"unknown host {Spec} (name does not resolve)";
        if (stderr.Contains("Connection refused", StringComparison.Ordinal)) return $"host {Spec} unreachable: connection refused (sshd not running or wrong port)";
        if (stderr.Contains("timed out", StringComparison.Ordinal) || stderr.Contains("No route to host", StringComparison.Ordinal)) return $"host {Spec} unreachable: {ExternalTool.LastLine(stderr)}";
        if (stderr.Contains("Permission denied", StringComparison.Ordinal)) return $"host {Spec} refused the key{(_identity is null ? "" : " " + _identity)} (Permission denied (publickey))";
        if (stderr.Contains("Host key verification failed", StringComparison.Ordinal)) return $"host {Spec}: host key verification failed (known_hosts mismatch)";
        return $"host {Spec}: ssh failed: {ExternalTool.LastLine(stderr)}";
    }

    /// <summary>Quotes <paramref name="s"/> for a POSIX shell.</summary>
    public static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^((?:[A-Za-z0-9._-]+@)?[A-Za-z0-9._-]+)(?::([0-9]{1,5}))?$")]
    private static partial Regex SpecRegex();
}
