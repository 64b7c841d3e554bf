using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Recognition;

namespace EdgeDigits.Device.Tests.TestInfrastructure;

/// <summary>Answers a scripted reading and records the inks it was given (for tests of the kiosk's LCD and touch plumbing only; recognition itself is tested end to end with the real model).</summary>
internal sealed class RecognizerStub(DeviceReading answer) : IRecognizer
{
    public List<EdgeDigits.Core.Inks.Ink> Inks { get; } = new();
    public string ModelPath => "stub";
    public string ModelName => "stub";
    public DeviceReading ReadImage(byte[] encoded, IReadOnlyList<RectOptions>? rois = null) => answer;
    public DeviceReading ReadInk(EdgeDigits.Core.Inks.Ink ink) { Inks.Add(ink); return answer; }
    public IReadOnlyList<(string Label, float Confidence)> ClassifyCrops(IReadOnlyList<byte[]> crops28) => crops28.Select(_ => ("0", 1f)).ToList();
    public void Dispose() { }
}
