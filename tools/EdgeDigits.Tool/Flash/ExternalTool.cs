using System.Diagnostics;

namespace EdgeDigits.Tool.Flash;

/// <summary>The captured result of an external program (mtools, debugfs, sfdisk, ssh, scp).</summary>
/// <param name="ExitCode">The process exit code.</param>
/// <param name="StdOut">Everything written to standard output.</param>
/// <param name="StdErr">Everything written to standard error.</param>
public sealed record ToolResult(int ExitCode, string StdOut, string StdErr);

/// <summary>Runs external programs without a shell (arguments passed verbatim) and reports a missing program clearly.</summary>
public static class ExternalTool
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="args"/>; a missing program becomes a <see cref="FlashException"/> naming its Debian package.</summary>
    public static ToolResult Run(string file, IEnumerable<string> args, string? stdin = null, TimeSpan? timeout = null)
    {
        var psi = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        // Tools print in the C locale so their messages can be matched.
        psi.Environment["LC_ALL"] = "C";
        // Card images made by other tools often have a FAT geometry mtools would otherwise refuse.
        psi.Environment["MTOOLS_SKIP_CHECK"] = "1";
        Process p;
        try { p = Process.Start(psi) ?? throw new FlashException($"{file}: could not start", ExitCodes.Unavailable); }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new FlashException($"{file} not found: install {PackageOf(file)} (tools/setup.sh does)", ExitCodes.Unavailable);
        }
        using (p)
        {
            var so = p.StandardOutput.ReadToEndAsync();
            var se = p.StandardError.ReadToEndAsync();
            try
            {
                if (stdin is not null) p.StandardInput.Write(stdin);
                p.StandardInput.Close();
            }
            // The program may exit before reading its input (ssh to an unknown host): its exit code tells why.
            catch (IOException) { }
            if (!p.WaitForExit((int)(timeout ?? TimeSpan.FromMinutes(10)).TotalMilliseconds))
            {
                p.Kill(entireProcessTree: true);
                throw new FlashException($"{file} did not finish within {timeout ?? TimeSpan.FromMinutes(10)}", ExitCodes.Failed);
            }
            p.WaitForExit();
            return new ToolResult(p.ExitCode, so.Result, se.Result);
        }
    }

    /// <summary>Runs and throws a <see cref="FlashException"/> with <paramref name="what"/> and the tool's last error line unless it exits 0.</summary>
    public static ToolResult Check(string what, string file, IEnumerable<string> args, string? stdin = null)
    {
        var r = Run(file, args, stdin);
        if (r.ExitCode != 0)
            throw new FlashException($"{what}: {file} failed ({LastLine(r.StdErr) ?? LastLine(r.StdOut) ?? $"exit {r.ExitCode}"})");
        return r;
    }

    /// <summary>The last non-empty line of <paramref name="text"/>, or null.</summary>
    public static string? LastLine(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault();

    private static string PackageOf(string file) => file switch
    {
        "mdir" or "mtype" or "mcopy" => "mtools",
        "debugfs" => "e2fsprogs",
        "sfdisk" => "fdisk",
        "ssh" or "scp" => "openssh-client",
        _ => file,
    };
}
