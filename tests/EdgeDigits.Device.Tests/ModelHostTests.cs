using EdgeDigits.Device.Recognition;
using EdgeDigits.Device.Tests.TestInfrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace EdgeDigits.Device.Tests;

public class ModelHostTests
{
    [Fact]
    public void LoadInitial_NoSelfTestDigits_LoadsButActivateRefusesUnchecked()
    {
        var dir = RepoPaths.NewTempDir();
        var a = Path.Combine(dir, "a.onnx");
        var b = Path.Combine(dir, "b.onnx");
        File.WriteAllText(a, "x");
        File.WriteAllText(b, "x");
        using var host = new ModelHost(p => new RecognizerStubWithPath(p), NullLogger<ModelHost>.Instance);
        host.LoadInitial(a, null);
        Assert.Equal(a, host.Current.ModelPath);
        var r = host.Activate(b, null);
        Assert.False(r.Ok);
        Assert.Contains("no self-test digits found", r.Message);
        Assert.Equal(a, host.Current.ModelPath);
    }

    [Fact]
    public void Activate_ModelFailingSelfTest_RejectedWithScoreAndOldKept()
    {
        var dir = RepoPaths.NewTempDir();
        var a = Path.Combine(dir, "a.onnx");
        File.WriteAllText(a, "x");
        using var host = new ModelHost(p => new RecognizerStubWithPath(p), NullLogger<ModelHost>.Instance);
        host.LoadInitial(a, null);
        // The stub answers "0" for every crop: 3 of the 30 shipped self-test digits.
        var r = host.Activate(a, Path.Combine(RepoPaths.Samples, "selftest"));
        Assert.False(r.Ok);
        Assert.Equal(30, r.SelfTestTotal);
        Assert.Equal(3, r.SelfTestCorrect);
        Assert.Contains("self-test: 3/30 correct, need 24", r.Message);
    }

    private sealed class RecognizerStubWithPath(string path) : IRecognizer
    {
        private readonly RecognizerStub _inner = new(new DeviceReading());
        public string ModelPath => path;
        public string ModelName => "stub";
        public DeviceReading ReadImage(byte[] encoded, IReadOnlyList<Configuration.RectOptions>? rois = null) => _inner.ReadImage(encoded, rois);
        public DeviceReading ReadInk(EdgeDigits.Core.Inks.Ink ink) => _inner.ReadInk(ink);
        public IReadOnlyList<(string Label, float Confidence)> ClassifyCrops(IReadOnlyList<byte[]> crops28) => _inner.ClassifyCrops(crops28);
        public void Dispose() { }
    }
}
