namespace EdgeDigits.Device.Recognition;

/// <summary>A loaded model behind the recognition core: reads frames and inks into <see cref="DeviceReading"/>s. One instance per model file.</summary>
public interface IRecognizer : IDisposable
{
    /// <summary>The model file this recognizer runs.</summary>
    string ModelPath { get; }

    /// <summary>The model's name from its metadata.</summary>
    string ModelName { get; }

    /// <summary>Reads an encoded image (PNG/JPEG/...) optionally restricted to regions of interest.</summary>
    DeviceReading ReadImage(byte[] encoded, IReadOnlyList<Configuration.RectOptions>? rois = null);

    /// <summary>Reads an ink (parse JSON with <see cref="EdgeDigits.Core.Inks.Ink.Parse(string, string)"/>).</summary>
    DeviceReading ReadInk(EdgeDigits.Core.Inks.Ink ink);

    /// <summary>Classifies normalized 28x28 crops (white on black) and returns the best label and its confidence for each.</summary>
    IReadOnlyList<(string Label, float Confidence)> ClassifyCrops(IReadOnlyList<byte[]> crops28);
}
