using System.Diagnostics;
using EdgeDigits.Core.Recognition;
using EdgeDigits.Training.Data;
using Microsoft.ML.OnnxRuntime;
using ModelMetadata = EdgeDigits.Core.Models.ModelMetadata;

namespace EdgeDigits.Training.Evaluation;

/// <summary>Per-image inference time of one model at batch 1 and at a larger batch.</summary>
/// <param name="BatchSize">The larger batch.</param>
/// <param name="Threads">ORT intra-op threads.</param>
/// <param name="BatchMsPerImage">Time of one run of <paramref name="BatchSize"/> images (lower quartile), divided by the batch size.</param>
/// <param name="SingleImageMs">Time of one batch-1 run (lower quartile): what the device pays per digit.</param>
public sealed record ModelTiming(int BatchSize, int Threads, double BatchMsPerImage, double SingleImageMs);

/// <summary>
/// Times models the way the device runs them: sessions from <see cref="InferenceSessionOptions"/>, inputs
/// and outputs in pinned arrays bound once (IO binding), each run timed on its own. Two models are measured
/// in alternating rounds, so a load change on a shared machine hits both alike. The figure kept is the lower
/// quartile of the runs: on a busy machine the scheduler interrupts a share of them, and more of the long
/// ones (a 2 ms fp32 batch more often than a 1 ms int8 one), so a median would favour the faster model; the
/// lower quartile is the time of an uninterrupted run. Figures are comparable between models of one call,
/// not across machines or busy periods.
/// </summary>
public static class InferenceTimer
{
    /// <summary>Rounds each model is timed in, alternating with the others.</summary>
    public const int Rounds = 5;

    /// <summary>Images the batched runs of all rounds cover together (at least 3 runs per round).</summary>
    public const int BatchedImages = 6400;

    /// <summary>
    /// Times every model of <paramref name="models"/> on the first images of <paramref name="data"/> at batch 1
    /// (<see cref="EvalOptions.LatencySamples"/> runs) and at <see cref="EvalOptions.BatchSize"/>, in alternating rounds.
    /// </summary>
    /// <exception cref="InvalidDataException">ORT cannot load a model or its input is not float [N,1,28,28].</exception>
    public static IReadOnlyList<ModelTiming> Measure(IReadOnlyList<string> models, DigitSet data, EvalOptions options, TextWriter progress)
    {
        if (data.Count == 0) throw new InvalidDataException("timing needs at least one image");
        var timed = new List<TimedSession>();
        try
        {
            foreach (var m in models) timed.Add(new TimedSession(m, ModelMetadata.LoadFor(m), data, options));
            var singles = Math.Max(1, options.LatencySamples / Rounds);
            var bar = new Trainer.ProgressBar(progress);
            for (var round = 0; round < Rounds; round++)
            {
                bar.Report($"eval: timing round {round + 1}/{Rounds} ({string.Join(", ", models.Select(Path.GetFileName))})", force: true);
                foreach (var t in timed) t.Round(singles, Math.Max(3, BatchedImages / t.Batch / Rounds));
            }
            bar.Finish();
            return timed.Select(t => t.Result()).ToList();
        }
        finally
        {
            foreach (var t in timed) t.Dispose();
        }
    }

    /// <summary>The lower quartile of <paramref name="times"/> (0 when empty): the time of an uninterrupted run on a busy machine.</summary>
    internal static double LowerQuartile(IEnumerable<double> times)
    {
        var sorted = times.Order().ToArray();
        return sorted.Length == 0 ? 0 : sorted[sorted.Length / 4];
    }

    private sealed class TimedSession : IDisposable
    {
        private readonly InferenceSession _session;
        private readonly RunOptions _run = new();
        private readonly List<IDisposable> _owned = [];
        private readonly OrtIoBinding _one, _many;
        private readonly List<double> _singleMs = [], _batchMs = [];
        private readonly int _threads;
        private bool _warm;

        public TimedSession(string path, ModelMetadata meta, DigitSet data, EvalOptions options)
        {
            _threads = options.Threads;
            using (var so = InferenceSessionOptions.Create(options.Threads))
            {
                try
                {
                    _session = new InferenceSession(path, so);
                }
                catch (OnnxRuntimeException ex)
                {
                    throw new InvalidDataException($"{path}: not a loadable ONNX model ({ex.Message.Split('\n')[0].Trim()})", ex);
                }
            }
            var (inName, inMeta) = _session.InputMetadata.First();
            if (inMeta.ElementType != typeof(float) || inMeta.Dimensions.Length != 4)
                throw new InvalidDataException($"{path}: input '{inName}' is not float [N,1,28,28]");
            var outName = _session.OutputMetadata.ContainsKey(meta.OutputName) ? meta.OutputName : _session.OutputMetadata.Keys.First();
            var classes = _session.OutputMetadata[outName].Dimensions[^1];
            var fixedBatch = inMeta.Dimensions[0] > 0 ? inMeta.Dimensions[0] : 0;
            Batch = fixedBatch > 0 ? fixedBatch : Math.Max(1, options.BatchSize);
            var single = fixedBatch > 0 ? fixedBatch : 1;
            var input = GC.AllocateArray<float>(Batch * DigitSet.ImageSize, pinned: true);
            var output = GC.AllocateArray<float>(Batch * classes, pinned: true);
            for (var i = 0; i < Batch; i++)
                data.CopyImageAsFloat(i % data.Count, input.AsSpan(i * DigitSet.ImageSize, DigitSet.ImageSize), meta.Scale, meta.Offset);
            _one = Bind(inName, outName, input, output, single, classes);
            _many = Bind(inName, outName, input, output, Batch, classes);
        }

        public int Batch { get; }

        private OrtIoBinding Bind(string inName, string outName, float[] input, float[] output, int n, long classes)
        {
            var x = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(input, 0, n * DigitSet.ImageSize), [n, 1, DigitSet.Side, DigitSet.Side]);
            var y = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, new Memory<float>(output, 0, (int)(n * classes)), [n, classes]);
            var binding = _session.CreateIoBinding();
            binding.BindInput(inName, x);
            binding.BindOutput(outName, y);
            _owned.Add(x);
            _owned.Add(y);
            _owned.Add(binding);
            return binding;
        }

        public void Round(int singles, int batches)
        {
            if (!_warm)
            {
                // The first runs allocate ORT's buffers and fill the caches; they are not what a device pays per digit.
                for (var i = 0; i < 10; i++) _session.RunWithBinding(_run, _one);
                for (var i = 0; i < 2; i++) _session.RunWithBinding(_run, _many);
                _warm = true;
            }
            for (var i = 0; i < singles; i++) _singleMs.Add(Time(_one));
            for (var i = 0; i < batches; i++) _batchMs.Add(Time(_many));
        }

        private double Time(OrtIoBinding binding)
        {
            var t0 = Stopwatch.GetTimestamp();
            _session.RunWithBinding(_run, binding);
            return Stopwatch.GetElapsedTime(t0).TotalMilliseconds;
        }

        public ModelTiming Result() => new(Batch, _threads, LowerQuartile(_batchMs) / Batch, LowerQuartile(_singleMs));

        public void Dispose()
        {
            foreach (var d in _owned) d.Dispose();
            _session?.Dispose();
            _run.Dispose();
        }
    }
}
