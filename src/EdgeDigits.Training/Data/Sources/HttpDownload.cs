using System.Diagnostics;
using System.Net.Http.Headers;

namespace EdgeDigits.Training.Data.Sources;

/// <summary>Downloads one public file to a local path, reporting progress, for the <see cref="IDataSource"/> implementations.</summary>
public static class HttpDownload
{
    /// <summary>
    /// Streams <paramref name="url"/> into <paramref name="path"/> through a temp file beside it (renamed when complete),
    /// printing a progress line to <paramref name="log"/> every few seconds.
    /// </summary>
    /// <exception cref="ToolUnavailableException">The host cannot be reached, answers with an error status, or the download times out.</exception>
    public static void ToFile(string url, string path, TextWriter log, TimeSpan timeout)
    {
        ArgumentException.ThrowIfNullOrEmpty(url);
        ArgumentException.ThrowIfNullOrEmpty(path);
        var tmp = path + $".{Environment.ProcessId}.part";
        try
        {
            using var http = new HttpClient { Timeout = timeout };
            http.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("edgedigits", "1.0"));
            using var response = http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            if (!response.IsSuccessStatusCode)
                throw new ToolUnavailableException($"{url}: HTTP {(int)response.StatusCode} {response.ReasonPhrase}; download it by hand and use --from DIR");
            var total = response.Content.Headers.ContentLength;
            using (var input = response.Content.ReadAsStream())
            using (var output = File.Create(tmp))
            {
                var buffer = new byte[1 << 16];
                long done = 0;
                var sinceReport = Stopwatch.StartNew();
                int n;
                while ((n = input.Read(buffer)) > 0)
                {
                    output.Write(buffer, 0, n);
                    done += n;
                    if (sinceReport.Elapsed.TotalSeconds >= 3)
                    {
                        sinceReport.Restart();
                        log.WriteLine(total is > 0 ? $"  {done / 1e6:F1} of {total.Value / 1e6:F1} MB ({100.0 * done / total.Value:F0}%)" : $"  {done / 1e6:F1} MB");
                    }
                }
                log.WriteLine($"  {done / 1e6:F1} MB downloaded from {url}");
            }
            File.Move(tmp, path, overwrite: true);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            throw new ToolUnavailableException($"{url}: download failed ({ex.Message}); download it by hand and use --from DIR", ex);
        }
        finally
        {
            if (File.Exists(tmp)) File.Delete(tmp);
        }
    }
}
