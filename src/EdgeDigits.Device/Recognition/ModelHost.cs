using Microsoft.Extensions.Logging;

namespace EdgeDigits.Device.Recognition;

/// <summary>The outcome of <see cref="ModelHost.Activate(string, string?)"/>.</summary>
public sealed record ActivationResult(bool Ok, string Message, int SelfTestTotal, int SelfTestCorrect);

/// <summary>
/// Holds the running model and swaps it without a restart: a new model is loaded and must pass a self-test on stored
/// labeled digits before it replaces the current one; on any failure the current model keeps running.
/// </summary>
public sealed class ModelHost : IDisposable
{
    private readonly Func<string, IRecognizer> _load;
    private readonly ILogger<ModelHost> _log;
    private readonly SemaphoreSlim _activateGate = new(1, 1);
    private IRecognizer? _current;

    /// <summary>Creates the host; <paramref name="load"/> opens a model file (and throws with a clear message when it cannot).</summary>
    public ModelHost(Func<string, IRecognizer> load, ILogger<ModelHost> log)
    {
        _load = load;
        _log = log;
    }

    /// <summary>The running recognizer; throws when no model is loaded.</summary>
    public IRecognizer Current => Volatile.Read(ref _current) ?? throw new InvalidOperationException("no model loaded: " + (LastError ?? "not started"));

    /// <summary>True once a model is loaded.</summary>
    public bool IsLoaded => Volatile.Read(ref _current) is not null;

    /// <summary>When the current model was activated.</summary>
    public DateTimeOffset? ActivatedAt { get; private set; }

    /// <summary>The last load or activation error, or null.</summary>
    public string? LastError { get; private set; }

    /// <summary>Minimum self-test accuracy for a new model.</summary>
    public double MinAccuracy { get; set; } = 0.8;

    /// <summary>Finds the self-test folder for a model: <c>selftest/</c> beside it, else <paramref name="fallbackDir"/>.</summary>
    public static string? SelfTestDirFor(string modelPath, string? fallbackDir)
    {
        var beside = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".", "selftest");
        if (Directory.Exists(beside)) return beside;
        return fallbackDir is not null && Directory.Exists(fallbackDir) ? fallbackDir : null;
    }

    /// <summary>Loads the first model at start-up (self-test included); throws with the reason if it fails.</summary>
    public void LoadInitial(string path, string? selfTestDir)
    {
        var r = Activate(path, selfTestDir, requireSelfTest: false);
        if (!r.Ok) throw new InvalidOperationException(r.Message);
    }

    /// <summary>Loads <paramref name="path"/>, self-tests it on the labeled digits in <paramref name="selfTestDir"/> (<c>&lt;label&gt;/*.png</c>), and swaps it in; the old model is disposed once idle.</summary>
    public ActivationResult Activate(string path, string? selfTestDir) => Activate(path, selfTestDir, requireSelfTest: true);

    private ActivationResult Activate(string path, string? selfTestDir, bool requireSelfTest)
    {
        _activateGate.Wait();
        try
        {
            if (!File.Exists(path)) return Fail($"model file '{path}' not found", 0, 0);
            IRecognizer next;
            try { next = _load(path); }
            catch (Exception ex) { return Fail($"model '{path}' failed to load: {ex.Message}", 0, 0); }

            var (total, correct, error) = SelfTest(next, selfTestDir);
            var need = Math.Ceiling(MinAccuracy * total);
            if (total == 0 && !requireSelfTest)
            {
                // At start-up there is nothing to fall back on: run the configured model, but say it was not checked.
                _log.LogWarning("model {Path}: no self-test digits found (looked in {Dir}); loading it unchecked", path, selfTestDir ?? "nowhere");
            }
            else if (error is not null || total == 0 || correct < need)
            {
                next.Dispose();
                var why = error ?? (total == 0 ? $"no self-test digits found (looked in {selfTestDir ?? "nowhere"})" : $"self-test: {correct}/{total} correct, need {need}");
                return Fail($"model '{path}' rejected: {why}", total, correct);
            }
            var old = Interlocked.Exchange(ref _current, next);
            ActivatedAt = DateTimeOffset.UtcNow;
            LastError = null;
            _log.LogInformation("model {Path} active (self-test {Correct}/{Total})", path, correct, total);
            // A reading in flight may still use the old session: let it finish before disposing.
            if (old is not null) _ = Task.Delay(TimeSpan.FromSeconds(5)).ContinueWith(_ => old.Dispose(), TaskScheduler.Default);
            return new ActivationResult(true, $"model '{path}' active (self-test {correct}/{total})", total, correct);
        }
        finally { _activateGate.Release(); }
    }

    private ActivationResult Fail(string message, int total, int correct)
    {
        LastError = message;
        _log.LogError("{Message}; keeping the current model", message);
        return new ActivationResult(false, message, total, correct);
    }

    private static (int Total, int Correct, string? Error) SelfTest(IRecognizer model, string? dir)
    {
        if (dir is null || !Directory.Exists(dir)) return (0, 0, null);
        var labels = new List<string>();
        var crops = new List<byte[]>();
        foreach (var labelDir in Directory.EnumerateDirectories(dir).OrderBy(d => d, StringComparer.Ordinal))
        {
            var label = Path.GetFileName(labelDir);
            foreach (var png in Directory.EnumerateFiles(labelDir, "*.png").OrderBy(f => f, StringComparer.Ordinal))
            {
                var crop = CropImages.LoadGray28(png);
                if (crop is null) continue;
                labels.Add(label);
                crops.Add(crop);
            }
        }
        if (crops.Count == 0) return (0, 0, null);
        try
        {
            var results = model.ClassifyCrops(crops);
            var correct = results.Zip(labels).Count(p => p.First.Label == p.Second);
            return (crops.Count, correct, null);
        }
        catch (Exception ex) { return (crops.Count, 0, $"self-test run failed: {ex.Message}"); }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Interlocked.Exchange(ref _current, null)?.Dispose();
        _activateGate.Dispose();
    }
}
