using System.Text.Json;
using System.Text.Json.Serialization;
using EdgeDigits.Core.Imaging;
using EdgeDigits.Core.Meters.Alignment;

namespace EdgeDigits.Core.Meters;

/// <summary>
/// Where a meter's digit windows and reference marks are on its reference image, and how frames are aligned to it. Stored as
/// JSON in the shape of the device's <c>EdgeDigits:Meter</c> section, so a layout checked with <c>edgedigits read</c> can be
/// pasted into the device's configuration:
/// <c>{"Windows":[{"X":..,"Y":..,"Width":..,"Height":..}],"Alignment":{"Mode":"Marks","Reference":"reference.jpg","Marks":[…],"SearchRadius":24,"MaxRotationDegrees":5,"MaxScaleChange":0,"MinScore":0.6}}</c>.
/// </summary>
public sealed record MeterLayout
{
    /// <summary>Most windows a layout may list.</summary>
    public const int MaxWindows = 16;

    /// <summary>The digit windows on the reference image, most significant first.</summary>
    public required IReadOnlyList<PixelRect> Windows { get; init; }

    /// <summary>How frames are aligned before the windows are cut.</summary>
    public AlignmentMode Mode { get; init; }

    /// <summary>The reference image (a path; relative paths in a file are resolved against the file's folder), or null without alignment.</summary>
    public string? Reference { get; init; }

    /// <summary>The two reference marks for <see cref="AlignmentMode.Marks"/> (boxes on the reference image).</summary>
    public IReadOnlyList<PixelRect> Marks { get; init; } = [];

    /// <summary>Search radius, rotation, scale and score limits.</summary>
    public AlignmentOptions Options { get; init; } = new();

    /// <summary>Reads a layout file; the reference path is resolved against the file's folder.</summary>
    /// <exception cref="InvalidDataException">The file is missing, not JSON of this shape, or breaks a rule (one line, naming the file).</exception>
    public static MeterLayout Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidDataException($"{path}: cannot read the layout ({e.Message})", e);
        }
        try
        {
            var layout = Parse(text);
            if (layout.Reference is { } r && !Path.IsPathRooted(r))
                layout = layout with { Reference = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(path))!, r) };
            return layout;
        }
        catch (Exception e) when (e is JsonException or InvalidDataException)
        {
            throw new InvalidDataException($"{path}: {e.Message.ReplaceLineEndings(" ")}", e);
        }
    }

    /// <summary>Parses layout JSON (see the type's summary).</summary>
    /// <exception cref="InvalidDataException">Not JSON of this shape, or a rule is broken.</exception>
    /// <exception cref="JsonException">Malformed JSON (its message gives line and position).</exception>
    public static MeterLayout Parse(string json)
    {
        var dto = JsonSerializer.Deserialize(json, LayoutJson.Default.LayoutDto) ?? throw new InvalidDataException("the layout is empty (null)");
        var windows = (dto.Windows ?? []).Select(r => r.ToRect()).ToArray();
        if (windows.Length is 0 or > MaxWindows) throw new InvalidDataException($"Windows lists {windows.Length} windows; a layout takes 1 … {MaxWindows}");
        for (int i = 0; i < windows.Length; i++)
        {
            if (windows[i].IsEmpty || windows[i].X < 0 || windows[i].Y < 0) throw new InvalidDataException($"Windows:{i} ({windows[i]}) needs X, Y >= 0 and a positive Width and Height");
            for (int j = 0; j < i; j++)
                if (!windows[i].Intersect(windows[j]).IsEmpty) throw new InvalidDataException($"Windows:{j} ({windows[j]}) and Windows:{i} ({windows[i]}) overlap: each window is one wheel");
        }
        var a = dto.Alignment ?? new AlignmentDto();
        var defaults = new AlignmentOptions();
        var options = new AlignmentOptions
        {
            SearchRadius = a.SearchRadius ?? defaults.SearchRadius,
            MaxRotationDegrees = a.MaxRotationDegrees ?? defaults.MaxRotationDegrees,
            MaxScaleChange = a.MaxScaleChange ?? defaults.MaxScaleChange,
            MinScore = a.MinScore ?? defaults.MinScore,
        };
        if (options.Problem() is { } problem) throw new InvalidDataException($"Alignment: {problem}");
        var mode = AlignmentMode.None;
        if (a.Mode is { Length: > 0 } m && !Enum.TryParse(m, ignoreCase: true, out mode) || !Enum.IsDefined(mode))
            throw new InvalidDataException($"Alignment:Mode '{a.Mode}' is not one of None, Marks, Registration");
        var marks = (a.Marks ?? []).Select(r => r.ToRect()).ToArray();
        if (mode == AlignmentMode.Marks && marks.Length != 2) throw new InvalidDataException($"Alignment:Mode Marks needs 2 Marks, got {marks.Length}");
        if (mode != AlignmentMode.None && string.IsNullOrWhiteSpace(a.Reference)) throw new InvalidDataException($"Alignment:Mode {mode} needs a Reference image");
        return new MeterLayout { Windows = windows, Mode = mode, Reference = a.Reference, Marks = marks, Options = options };
    }

    /// <summary>The layout as indented JSON (the reference path as given).</summary>
    public string ToJson()
    {
        static RectDto Dto(PixelRect r) => new() { X = r.X, Y = r.Y, Width = r.Width, Height = r.Height };
        var dto = new LayoutDto
        {
            Windows = [.. Windows.Select(Dto)],
            Alignment = new AlignmentDto
            {
                Mode = Mode.ToString(), Reference = Reference, Marks = [.. Marks.Select(Dto)],
                SearchRadius = Options.SearchRadius, MaxRotationDegrees = Options.MaxRotationDegrees,
                MaxScaleChange = Options.MaxScaleChange, MinScore = Options.MinScore,
            },
        };
        return JsonSerializer.Serialize(dto, LayoutJson.Default.LayoutDto);
    }

    /// <summary>Opens the aligner this layout asks for on <paramref name="reference"/> (null for <see cref="AlignmentMode.None"/>).</summary>
    /// <exception cref="ArgumentException">The reference's size does not hold the windows or marks, or a mark is unusable (one line).</exception>
    public IFrameAligner? CreateAligner(GrayImage reference)
    {
        ArgumentNullException.ThrowIfNull(reference);
        for (int i = 0; i < Windows.Count; i++)
            if (Windows[i].Right > reference.Width || Windows[i].Bottom > reference.Height)
                throw new ArgumentException($"Windows:{i} ({Windows[i]}) is outside the {reference.Width}x{reference.Height} reference");
        return IFrameAligner.Create(Mode, reference, Marks, Windows, Options);
    }
}

internal sealed class RectDto
{
    public int X { get; set; }
    public int Y { get; set; }
    public int Width { get; set; }
    public int Height { get; set; }
    public PixelRect ToRect() => new(X, Y, Width, Height);
}

internal sealed class AlignmentDto
{
    public string? Mode { get; set; }
    public string? Reference { get; set; }
    public List<RectDto>? Marks { get; set; }
    public int? SearchRadius { get; set; }
    public double? MaxRotationDegrees { get; set; }
    public double? MaxScaleChange { get; set; }
    public double? MinScore { get; set; }
}

internal sealed class LayoutDto
{
    public List<RectDto>? Windows { get; set; }
    public AlignmentDto? Alignment { get; set; }
}

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip,
    AllowTrailingCommas = true, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(LayoutDto))]
internal sealed partial class LayoutJson : JsonSerializerContext;
