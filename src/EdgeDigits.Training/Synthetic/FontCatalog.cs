namespace EdgeDigits.Training.Synthetic;

/// <summary>Which half of the synthetic data a font or seed belongs to.</summary>
public enum SyntheticSplit
{
    /// <summary>Fonts and seeds used for training.</summary>
    Train,

    /// <summary>Held-out fonts and seeds, never seen in training.</summary>
    Test,
}

/// <summary>The kind of digit a font draws.</summary>
public enum DigitStyle
{
    /// <summary>Printed digits (sans, serif, mono faces).</summary>
    Printed,

    /// <summary>7-segment display digits (DSEG faces).</summary>
    SevenSegment,
}

/// <summary>One TTF file the generator can render digits with.</summary>
/// <param name="Path">Absolute path of the font file.</param>
/// <param name="Style">Printed or 7-segment.</param>
/// <param name="Split">Whether it is a training or a held-out test font.</param>
public sealed record FontFace(string Path, DigitStyle Style, SyntheticSplit Split)
{
    /// <summary>The file name without extension, e.g. <c>DejaVuSans-Bold</c>.</summary>
    public string Name => System.IO.Path.GetFileNameWithoutExtension(Path);
}

/// <summary>
/// The fonts the synthetic generator looks for (see README.md in this folder) and their fixed
/// train/test assignment: held-out fonts never render training digits.
/// </summary>
public sealed class FontCatalog
{
    /// <summary>
    /// Folders searched, in order (Debian's fonts-dejavu-core, fonts-liberation2, fonts-freefont-ttf, fonts-dseg), or the
    /// ':'-separated folders of <c>EDGEDIGITS_FONT_DIRS</c> when it is set (fonts installed elsewhere; tests of a machine without them).
    /// </summary>
    public static IReadOnlyList<string> DefaultDirectories { get; } =
        Environment.GetEnvironmentVariable("EDGEDIGITS_FONT_DIRS") is { } dirs
            ? dirs.Split(':', StringSplitOptions.RemoveEmptyEntries)
            :
            [
                "/usr/share/fonts/truetype/dejavu", "/usr/share/fonts/truetype/liberation2", "/usr/share/fonts/truetype/liberation",
                "/usr/share/fonts/truetype/freefont", "/usr/share/fonts/truetype/dseg",
            ];

    /// <summary>Printed faces used for training.</summary>
    public static IReadOnlyList<string> PrintedTrain { get; } =
    [
        "DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique", "DejaVuSans-BoldOblique", "DejaVuSansMono", "DejaVuSansMono-Bold",
        "DejaVuSerif", "DejaVuSerif-Bold", "DejaVuSerif-Italic", "DejaVuSansCondensed-Bold", "DejaVuSerifCondensed",
        "LiberationSans-Regular", "LiberationSans-Bold", "LiberationSans-Italic", "LiberationMono-Bold", "LiberationSerif-Italic",
        "FreeSans", "FreeSansOblique", "FreeSerif", "FreeSerifItalic", "FreeMono", "FreeMonoOblique",
    ];

    /// <summary>Printed faces held out for testing.</summary>
    public static IReadOnlyList<string> PrintedTest { get; } =
    [
        "DejaVuSansCondensed", "DejaVuSerifCondensed-Bold", "DejaVuSansMono-Oblique", "LiberationSans-BoldItalic",
        "LiberationSerif-Regular", "LiberationSerif-Bold", "LiberationMono-Regular", "FreeSansBold", "FreeSerifBold", "FreeMonoBold",
    ];

    /// <summary>7-segment faces used for training.</summary>
    public static IReadOnlyList<string> SevenSegmentTrain { get; } =
    [
        "DSEG7Classic-Regular", "DSEG7Classic-Bold", "DSEG7Classic-BoldItalic", "DSEG7Classic-LightItalic",
        "DSEG7ClassicMini-Regular", "DSEG7ClassicMini-Bold", "DSEG7ClassicMini-Italic", "DSEG7ClassicMini-LightItalic",
        "DSEG7Modern-Bold", "DSEG7Modern-Light", "DSEG7Modern-Italic", "DSEG7Modern-LightItalic",
        "DSEG7ModernMini-Regular", "DSEG7ModernMini-Light", "DSEG7ModernMini-BoldItalic", "DSEG7ModernMini-Italic",
        "DSEG14Classic-Regular", "DSEG14Classic-Bold",
    ];

    /// <summary>7-segment faces held out for testing.</summary>
    public static IReadOnlyList<string> SevenSegmentTest { get; } =
    [
        "DSEG7Classic-Light", "DSEG7Classic-Italic", "DSEG7ClassicMini-Light", "DSEG7ClassicMini-BoldItalic",
        "DSEG7Modern-Regular", "DSEG7Modern-BoldItalic", "DSEG7ModernMini-Bold", "DSEG7ModernMini-LightItalic",
    ];

    private FontCatalog(IReadOnlyList<FontFace> faces) => Faces = faces;

    /// <summary>Every listed font found on disk.</summary>
    public IReadOnlyList<FontFace> Faces { get; }

    /// <summary>Finds the listed fonts in <paramref name="directories"/> (default <see cref="DefaultDirectories"/>).</summary>
    public static FontCatalog Discover(IEnumerable<string>? directories = null)
    {
        var dirs = (directories ?? DefaultDirectories).Where(Directory.Exists).ToList();
        var files = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var d in dirs)
            foreach (var f in Directory.EnumerateFiles(d, "*.ttf").Order(StringComparer.Ordinal))
                files.TryAdd(Path.GetFileNameWithoutExtension(f), f);
        var faces = new List<FontFace>();
        void AddAll(IReadOnlyList<string> names, DigitStyle style, SyntheticSplit split)
        {
            foreach (var n in names) if (files.TryGetValue(n, out var p)) faces.Add(new FontFace(p, style, split));
        }
        AddAll(PrintedTrain, DigitStyle.Printed, SyntheticSplit.Train);
        AddAll(PrintedTest, DigitStyle.Printed, SyntheticSplit.Test);
        AddAll(SevenSegmentTrain, DigitStyle.SevenSegment, SyntheticSplit.Train);
        AddAll(SevenSegmentTest, DigitStyle.SevenSegment, SyntheticSplit.Test);
        return new FontCatalog(faces);
    }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Lazy<SkiaSharp.SKTypeface>> _typefaces = new();

    /// <summary>The loaded typeface of <paramref name="face"/>, loaded once per catalog and shared by every generator using it (thread-safe).</summary>
    /// <exception cref="InvalidDataException">The font file cannot be loaded.</exception>
    public SkiaSharp.SKTypeface Typeface(FontFace face) =>
        _typefaces.GetOrAdd(face.Path, p => new Lazy<SkiaSharp.SKTypeface>(
            () => SkiaSharp.SKTypeface.FromFile(p) ?? throw new InvalidDataException($"{p}: cannot load font"))).Value;

    /// <summary>The faces of one split and style.</summary>
    /// <exception cref="InvalidOperationException">None is installed; the message says which Debian packages provide them.</exception>
    public IReadOnlyList<FontFace> For(SyntheticSplit split, DigitStyle style)
    {
        var r = Faces.Where(f => f.Split == split && f.Style == style).ToList();
        if (r.Count == 0)
            throw new InvalidOperationException($"no {style} {split.ToString().ToLowerInvariant()} fonts found in {string.Join(", ", DefaultDirectories)}: install fonts-dejavu-core fonts-liberation2 fonts-freefont-ttf fonts-dseg (tools/setup.sh)");
        return r;
    }
}
