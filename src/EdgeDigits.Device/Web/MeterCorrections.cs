using System.Text.Json.Nodes;
using EdgeDigits.Core;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Device.Recognition;
using Microsoft.AspNetCore.Http;

namespace EdgeDigits.Device.Web;

/// <summary>
/// A correction of a meter reading read window by window (<c>POST /api/correct</c>): every window whose digit the label changes
/// is saved as it was cut from the aligned frame, in the meterdigits layout — <c>DIR/&lt;d&gt;.0/*.png</c>, a corrected digit
/// being a clean digit d — so <c>edgedigits train --meter DATA --extra DIR</c> trains on it as on the public set.
/// </summary>
public static class MeterCorrections
{
    /// <summary>Saves the windows of <paramref name="reading"/> that <paramref name="label"/> (digits, one per window) corrects under <paramref name="root"/>.</summary>
    /// <returns>200 with the files saved (none when the label is what was read), or 422 when the label has another number of digits than the reading has windows.</returns>
    public static IResult Save(DeviceReading reading, string label, string root, string deviceId)
    {
        if (label.Length != reading.Windows.Count)
            return ApiJson.Error($"label '{label}' has {label.Length} digits but reading {reading.Id} has {reading.Windows.Count} meter windows", StatusCodes.Status422UnprocessableEntity);
        var files = new JsonArray();
        for (var i = 0; i < label.Length; i++)
        {
            // A window read right teaches nothing new, and one caught rolling would be mislabeled as a clean digit.
            if (i < reading.Digits.Count && reading.Digits[i].Digit == label[i].ToString()) continue;
            var dir = Path.Combine(root, $"{label[i]}.0");
            Directory.CreateDirectory(dir);
            var file = Path.Combine(dir, $"{deviceId}-{reading.Time:yyyyMMddHHmmssfff}-{reading.Id}-w{i + 1}.png");
            AtomicFile.WriteAllBytes(file, GrayImageCodec.EncodePng(reading.Windows[i]));
            files.Add((JsonNode)file);
        }
        var answer = new JsonObject { ["saved"] = files, ["label"] = label, ["id"] = reading.Id };
        if (files.Count == 0) answer["note"] = "the label is what the meter read: no window to save";
        return ApiJson.Object(answer);
    }
}
