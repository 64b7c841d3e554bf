using System.IO.Compression;
using EdgeDigits.Training.Data.PenDigits;

namespace EdgeDigits.Training.Data.Sources;

/// <summary>
/// The UCI "Pen-Based Recognition of Handwritten Digits" original trajectories (data set 81, CC BY 4.0):
/// <c>pendigits-orig.tra.Z</c> (30 writers), <c>pendigits-orig.tes.Z</c> (14 more) and <c>pendigits-orig.names</c>,
/// each file parsed and counted before the set is moved into place.
/// </summary>
public sealed class PenDigitsSource : IDataSource
{
    /// <summary>The public archive.</summary>
    public const string DefaultUrl = "https://archive.ics.uci.edu/static/public/81/pen+based+recognition+of+handwritten+digits.zip";

    /// <summary>Digits and writers in each file, as published.</summary>
    public static IReadOnlyDictionary<string, (int Digits, int Writers)> Published { get; } = new Dictionary<string, (int, int)>
    {
        [PenDigitsFiles.TrainFile] = (7494, 30),
        [PenDigitsFiles.TestFile] = (3498, 14),
    };

    /// <summary>Where <see cref="Fetch"/> downloads the archive from, unless <see cref="DataFetchOptions.Url"/> says otherwise.</summary>
    public string Url { get; init; } = DefaultUrl;

    /// <summary>Digits and writers each file must hold (by file name without <c>.Z</c>); <see cref="Published"/> unless a test sets a sample's.</summary>
    public IReadOnlyDictionary<string, (int Digits, int Writers)> Expected { get; init; } = Published;

    /// <inheritdoc />
    public string Name => "pendigits";

    /// <inheritdoc />
    public string Description => "UCI pen-based handwritten digits (data set 81, CC BY 4.0): real pen trajectories of 44 writers, UNIPEN text";

    /// <inheritdoc />
    public bool Fetch(string dir, DataFetchOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (PenDigitsFiles.Find(dir, PenDigitsFiles.TrainFile) is not null && PenDigitsFiles.Find(dir, PenDigitsFiles.TestFile) is not null)
        {
            foreach (var name in Expected.Keys) Verify(PenDigitsFiles.Find(dir, name)!, name, options.Log);
            options.Log.WriteLine($"data fetch: {dir} already holds the verified pen-digit files");
            return false;
        }
        var url = options.Url ?? Url;
        var work = Directory.CreateTempSubdirectory("edgedigits-pendigits-");
        try
        {
            var zip = Path.Combine(work.FullName, "pendigits.zip");
            options.Log.WriteLine($"data fetch: downloading {url}");
            HttpDownload.ToFile(url, zip, options.Log, options.Timeout);
            var files = Path.Combine(work.FullName, "files");
            Directory.CreateDirectory(files);
            try
            {
                using var archive = ZipFile.OpenRead(zip);
                foreach (var entry in archive.Entries)
                {
                    var name = entry.Name;
                    if (name is PenDigitsFiles.TrainFile + ".Z" or PenDigitsFiles.TestFile + ".Z" or PenDigitsFiles.NamesFile)
                        entry.ExtractToFile(Path.Combine(files, name), overwrite: true);
                }
            }
            catch (InvalidDataException ex)
            {
                throw new InvalidDataException($"{url}: the download is not a readable zip archive ({ex.Message})", ex);
            }
            foreach (var name in Expected.Keys.Append(PenDigitsFiles.NamesFile))
                if (PenDigitsFiles.Find(files, name) is null) throw new InvalidDataException($"{url}: the archive holds no {name}(.Z)");
            Install(files, dir, requireTest: true, options.Log);
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
        ArgumentNullException.ThrowIfNull(options);
        if (!Directory.Exists(from)) throw new DirectoryNotFoundException($"{from}: --from folder not found");
        if (PenDigitsFiles.Find(from, PenDigitsFiles.TrainFile) is null)
            throw new FileNotFoundException($"{Path.Combine(from, PenDigitsFiles.TrainFile)}(.Z): not found in {from}", PenDigitsFiles.TrainFile);
        Install(from, dir, requireTest: false, options.Log);
        return true;
    }

    /// <summary>Parses and counts each file of <paramref name="source"/>, then copies them into <paramref name="dir"/> (temp files, renamed once all are good).</summary>
    private void Install(string source, string dir, bool requireTest, TextWriter log)
    {
        var files = new List<string>();
        foreach (var name in new[] { PenDigitsFiles.TrainFile, PenDigitsFiles.TestFile })
        {
            var path = PenDigitsFiles.Find(source, name);
            if (path is null)
            {
                if (requireTest) throw new FileNotFoundException($"{Path.Combine(source, name)}(.Z): not found", name);
                log.WriteLine($"data fetch: {source} has no {name}(.Z): installing the training writers only (the 14 test writers are in the UCI archive)");
                continue;
            }
            Verify(path, name, log);
            files.Add(path);
        }
        if (PenDigitsFiles.Find(source, PenDigitsFiles.NamesFile) is { } names) files.Add(names);
        if (Path.GetFullPath(source).TrimEnd('/') == Path.GetFullPath(dir).TrimEnd('/'))
        {
            log.WriteLine($"data fetch: pen digits verified in place in {dir}");
            return;
        }
        Directory.CreateDirectory(dir);
        var staged = new List<(string Tmp, string Final)>();
        try
        {
            foreach (var src in files)
            {
                var final = Path.Combine(dir, Path.GetFileName(src));
                var tmp = Path.Combine(dir, $".{Path.GetFileName(src)}.{Environment.ProcessId}.tmp");
                staged.Add((tmp, final));
                File.Copy(src, tmp, overwrite: true);
            }
            foreach (var (tmp, final) in staged) File.Move(tmp, final, overwrite: true);
            staged.Clear();
            log.WriteLine($"data fetch: pen digits in {dir}");
        }
        finally
        {
            foreach (var (tmp, _) in staged) if (File.Exists(tmp)) File.Delete(tmp);
        }
    }

    private void Verify(string path, string name, TextWriter log)
    {
        var digits = UnipenReader.Load(path);
        int writers = digits.Select(d => d.Writer).Distinct().Count();
        if (Expected.TryGetValue(name, out var expected) && (digits.Count != expected.Digits || writers != expected.Writers))
            throw new InvalidDataException($"{path}: {digits.Count} digits by {writers} writers; the published file has {expected.Digits} digits by {expected.Writers} writers");
        log.WriteLine($"data fetch: {Path.GetFileName(path)} verified ({digits.Count} digits, {writers} writers)");
    }
}
