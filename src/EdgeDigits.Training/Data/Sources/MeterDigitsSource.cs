using System.IO.Compression;
using EdgeDigits.Training.Data.Meters;

namespace EdgeDigits.Training.Data.Sources;

/// <summary>
/// Real meter digit windows: <c>datasets/meterdigits/</c> of github.com/haverland/Tenth-of-step-of-a-meter-digit
/// (Apache-2.0), folders <c>0.0</c> … <c>9.9</c> (digit and tenths of its roll) of 20x32 JPEG windows cut from
/// ESP32-CAM photos of water, gas and power meters. Verified by layout (every folder a wheel position, every file a
/// JPEG) before it is moved into place.
/// </summary>
public sealed class MeterDigitsSource : IDataSource
{
    /// <summary>The commit of the public repository this project's recipe was trained on.</summary>
    public const string Commit = "ebf9b2ba33b56a45d97b5463d19e8035d4afbb12";

    /// <summary>The repository archive at <see cref="Commit"/>.</summary>
    public static string ArchiveUrl => $"https://github.com/haverland/Tenth-of-step-of-a-meter-digit/archive/{Commit}.zip";

    /// <summary>Fewest windows a copy must hold to be taken as the data set (the public set has over 16,000).</summary>
    public int MinimumWindows { get; init; } = 1000;

    /// <inheritdoc />
    public string Name => "meterdigits";

    /// <inheritdoc />
    public string Description => "real meter digit windows in tenths of a roll (haverland/Tenth-of-step-of-a-meter-digit, Apache-2.0)";

    /// <inheritdoc />
    public bool Fetch(string dir, DataFetchOptions options)
    {
        if (IsInstalled(dir, options.Log)) return false;
        var work = Directory.CreateTempSubdirectory("edgedigits-meter-");
        try
        {
            var url = options.Url ?? ArchiveUrl;
            var zip = Path.Combine(work.FullName, "repo.zip");
            options.Log.WriteLine($"data fetch: downloading {url}");
            HttpDownload.ToFile(url, zip, options.Log, options.Timeout);
            var extracted = Path.Combine(work.FullName, "meterdigits");
            using (var archive = ZipFile.OpenRead(zip))
            {
                foreach (var entry in archive.Entries)
                {
                    var marker = entry.FullName.IndexOf("/datasets/meterdigits/", StringComparison.Ordinal);
                    if (marker < 0 || entry.FullName.EndsWith('/')) continue;
                    var relative = entry.FullName[(marker + "/datasets/meterdigits/".Length)..];
                    var target = Path.GetFullPath(Path.Combine(extracted, relative));
                    if (!target.StartsWith(extracted + Path.DirectorySeparatorChar, StringComparison.Ordinal)) continue;
                    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
                    entry.ExtractToFile(target);
                }
            }
            if (!Directory.Exists(extracted)) throw new InvalidDataException($"{url}: the archive has no datasets/meterdigits/ folder");
            Install(extracted, dir, url, options.Log, move: true);
            return true;
        }
        finally
        {
            try { work.Delete(recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <inheritdoc />
    public bool FetchFrom(string from, string dir, DataFetchOptions options)
    {
        if (!Directory.Exists(from)) throw new DirectoryNotFoundException($"{from}: --from folder not found");
        if (Path.GetFullPath(from) != Path.GetFullPath(dir) && IsInstalled(dir, options.Log)) return false;
        Install(from, dir, from, options.Log, move: false);
        return true;
    }

    private bool IsInstalled(string dir, TextWriter log)
    {
        if (!File.Exists(Path.Combine(dir, ".verified"))) return false;
        log.WriteLine($"data fetch: {dir} already holds the verified meter digits");
        return true;
    }

    /// <summary>Counts and checks every window of <paramref name="source"/>.</summary>
    /// <exception cref="InvalidDataException">A folder is not a wheel position, a file is not a JPEG, or too few windows.</exception>
    public int Verify(string source)
    {
        var count = 0;
        Span<byte> head = stackalloc byte[3];
        foreach (var labelDir in Directory.GetDirectories(source))
        {
            var name = Path.GetFileName(labelDir);
            if (!MeterDigitSet.TryParseLabel(name, out _))
                throw new InvalidDataException($"{labelDir}: folder name '{name}' is not a wheel position 0.0 … 9.9");
            foreach (var file in Directory.GetFiles(labelDir))
            {
                using var s = File.OpenRead(file);
                if (s.ReadAtLeast(head, 3, throwOnEndOfStream: false) < 3 || head[0] != 0xFF || head[1] != 0xD8 || head[2] != 0xFF)
                    throw new InvalidDataException($"{file}: not a JPEG image");
                count++;
            }
        }
        if (count < MinimumWindows)
            throw new InvalidDataException($"{source}: {count} windows, expected at least {MinimumWindows} in folders 0.0 … 9.9");
        return count;
    }

    /// <summary>Verifies <paramref name="source"/>, copies (or moves) it next to <paramref name="dir"/>, then swaps it into place.</summary>
    private void Install(string source, string dir, string origin, TextWriter log, bool move)
    {
        var count = Verify(source);
        var full = Path.GetFullPath(dir);
        var staging = full.TrimEnd(Path.DirectorySeparatorChar) + $".{Environment.ProcessId}.partial";
        if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(staging)!);
            if (move && Path.GetPathRoot(source) == Path.GetPathRoot(staging)) Directory.Move(source, staging);
            else CopyTree(source, staging);
            File.WriteAllText(Path.Combine(staging, ".verified"), $"{count} windows from {origin}\n");
            if (Directory.Exists(full)) Directory.Delete(full, recursive: true);
            Directory.Move(staging, full);
            log.WriteLine($"data fetch: {count:N0} meter digit windows in {dir}");
        }
        finally
        {
            if (Directory.Exists(staging)) Directory.Delete(staging, recursive: true);
        }
    }

    private static void CopyTree(string source, string destination)
    {
        Directory.CreateDirectory(destination);
        foreach (var labelDir in Directory.GetDirectories(source))
        {
            var target = Path.Combine(destination, Path.GetFileName(labelDir));
            Directory.CreateDirectory(target);
            foreach (var file in Directory.GetFiles(labelDir)) File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
