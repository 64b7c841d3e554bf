using System.Globalization;
using System.Text;
using EdgeDigits.Device.Board;
using EdgeDigits.Device.Configuration;
using EdgeDigits.Device.Recognition;
using EdgeDigits.Hardware.Ili934x;
using Iot.Device.Graphics;
using SkiaSharp;

namespace EdgeDigits.Device.Display;

/// <summary>
/// Meter mode on the 320x240 ILI9341 LCD (<c>Meter:Display: Ili9341</c>): the reading a person reads from across a room. Four bands,
/// top to bottom: the meter's kind and unit with the time of the value shown (<see cref="HeaderArea"/>); the value large as 7-segment
/// cells by the one rule of every display (<see cref="ShownDigits"/>: an uncertain wheel one underlined cell, the tenth after a point
/// under <c>Meter:PublishTenth</c>; <see cref="ValueArea"/>); the status of the newest reading, coloured by its verdict, with its time
/// and reason (<see cref="StatusArea"/>); each window's digit and confidence in percent (<see cref="WindowsArea"/>, when they fit).
/// A rejected or refused reading keeps the last good value (<see cref="LastGoodMeterValue"/>, the rule of every status display): only
/// the status band (and the windows, when it read any) is redrawn and sent, as one partial window write. Text is the 5x8 font of
/// Iot.Device.Bindings (<see cref="Font5x8"/>), enlarged by whole factors: no font file on the board, the same pixels on every machine.
/// </summary>
public sealed class Ili9341MeterDisplay : IStatusDisplay, IDisposable
{
    /// <summary>Panel width in landscape.</summary>
    public const int Width = 320;

    /// <summary>Panel height in landscape.</summary>
    public const int Height = 240;

    /// <summary>Left and right margin of the text, px.</summary>
    public const int Margin = 4;

    /// <summary>The header's and the status headline's text size: each font pixel a 2x2 square (10x16 glyphs, 12 px a character).</summary>
    public const int LargeText = 2;

    /// <summary>The status reason's and the confidences' text size: the font's own pixels (5x8 glyphs, 6 px a character).</summary>
    public const int SmallText = 1;

    /// <summary>Lines of reason under the status headline; a longer reason ends in "..".</summary>
    public const int ReasonLines = 2;

    /// <summary>The narrowest column a window gets in the windows row: its confidence "100" in small text (17 px) and a pixel either side.</summary>
    public const int MinWindowColumn = 19;

    /// <summary>Band of the meter's kind and unit (left) and the time of the value shown (right).</summary>
    public static readonly SKRectI HeaderArea = new(0, 0, Width, 24);

    /// <summary>Band of the value, drawn by <see cref="SevenSegmentRenderer"/>.</summary>
    public static readonly SKRectI ValueArea = new(0, 24, Width, 148);

    /// <summary>Band of the newest reading's status: headline (verdict and time) and reason.</summary>
    public static readonly SKRectI StatusArea = new(0, 148, Width, 196);

    /// <summary>Band of the windows row: per window its digit and, under it, its confidence in percent.</summary>
    public static readonly SKRectI WindowsArea = new(0, 196, Width, Height);

    /// <summary>Colour of the value and the windows' digits.</summary>
    public static readonly SKColor ValueColor = SKColors.White;

    /// <summary>Colour of an uncertain digit (as on the kiosk) and of a refused reading's status.</summary>
    public static readonly SKColor UncertainColor = new(255, 0, 0);

    /// <summary>Colour of an accepted reading's status.</summary>
    public static readonly SKColor OkColor = new(0, 200, 0);

    /// <summary>Colour of a rejected reading's status (read, but the plausibility rules kept the last value).</summary>
    public static readonly SKColor RejectedColor = new(255, 176, 0);

    /// <summary>Colour of the header, the reasons and the confidences.</summary>
    public static readonly SKColor TextColor = new(170, 170, 170);

    private static readonly Font5x8 Font = new();
    private static readonly SKRectI FullScreen = new(0, 0, Width, Height);

    private readonly Ili9341 _lcd;
    private readonly object _lcdLock;
    private readonly string _label;
    private readonly TimeZoneInfo _zone;
    private readonly SKBitmap _screen = new(new SKImageInfo(Width, Height, SKColorType.Rgba8888, SKAlphaType.Premul));
    private readonly SKCanvas _canvas;
    private readonly SKPaint _fill = new() { IsAntialias = false, Style = SKPaintStyle.Fill };
    private readonly LastGoodMeterValue _value = new();
    private long _version;

    /// <summary>
    /// Draws on <paramref name="lcd"/> (initialized, landscape) under <paramref name="lcdLock"/>, labelled with the kind and unit of
    /// <paramref name="options"/>, times in <paramref name="zone"/> (default the board's local time); shows "waiting" until the first reading.
    /// </summary>
    public Ili9341MeterDisplay(Ili9341 lcd, object lcdLock, MeterOptions options, TimeZoneInfo? zone = null)
    {
        _lcd = lcd;
        _lcdLock = lcdLock;
        _zone = zone ?? TimeZoneInfo.Local;
        _label = Label(options);
        _canvas = new SKCanvas(_screen);
        lock (_lcdLock)
        {
            _canvas.Clear(SKColors.Black);
            DrawHeader(null);
            DrawStatus("WAITING", TextColor, "for the first reading");
            Send(FullScreen);
        }
    }

    /// <summary>Opens the meter's display on the board's ILI9341 (opened by <c>Displays:Ili9341</c>); it joins the status displays.</summary>
    public static Ili9341MeterDisplay Open(DeviceBoard b) =>
        b.Add(new Ili9341MeterDisplay(b.Part<Ili9341>() ?? throw new InvalidOperationException("meter display on the ILI9341, but Displays:Ili9341 is off"), b.LcdLock, b.Options.Meter));

    /// <summary>Incremented on every LCD update (the page refreshes its mirror when it changes).</summary>
    public long Version => Interlocked.Read(ref _version);

    /// <summary>The header's left text: the meter's kind and unit (<c>water m3</c>), or <c>meter</c> when neither is configured.</summary>
    public static string Label(MeterOptions options)
    {
        var label = string.Join(" ", new[] { options.Kind, options.EffectiveUnit }.Where(s => s.Length > 0));
        return label.Length > 0 ? label : "meter";
    }

    /// <summary>The status headline of a reading: its verdict (<see cref="LastGoodMeterValue.Verdict"/>) in capitals and its time (<c>REFUSED 12:00:10</c>).</summary>
    public string Headline(DeviceReading r) => $"{LastGoodMeterValue.Verdict(r).ToUpperInvariant()} {Clock(r.Time)}";

    /// <summary>The time of day of <paramref name="t"/> as the header and the status show it (HH:mm:ss in the display's time zone).</summary>
    public string Clock(DateTimeOffset t) => TimeZoneInfo.ConvertTime(t, _zone).ToString("HH:mm:ss", CultureInfo.InvariantCulture);

    /// <inheritdoc />
    /// <remarks>Readings of other modes are not the meter's and are left to the other displays.</remarks>
    public void Show(DeviceReading r)
    {
        if (r.Mode != LastGoodMeterValue.MeterMode) return;
        var verdict = LastGoodMeterValue.Verdict(r);
        lock (_lcdLock)
        {
            SKRectI sent;
            if (ReferenceEquals(_value.ValueFor(r), r))
            {
                _canvas.Clear(SKColors.Black);
                DrawHeader(r);
                SevenSegmentRenderer.Draw(_canvas, ShownDigits.Of(r), ValueArea, ValueColor, UncertainColor);
                sent = FullScreen;
            }
            else sent = r.Digits.Count > 0 ? SKRectI.Union(StatusArea, WindowsArea) : StatusArea;
            DrawStatus(Headline(r), verdict switch { "ok" => OkColor, "rejected" => RejectedColor, _ => UncertainColor }, r.Reason ?? "");
            if (r.Digits.Count > 0) DrawWindows(r.Digits);
            Send(sent);
        }
    }

    /// <summary>The reading whose value the LCD shows (the last accepted one), or null before the first.</summary>
    public DeviceReading? ShownReading { get { lock (_lcdLock) return _value.Reading; } }

    /// <summary>The app's copy of the screen (what was sent to the LCD), as PNG.</summary>
    public byte[] ScreenPng()
    {
        lock (_lcdLock)
        {
            using var data = _screen.Encode(SKEncodedImageFormat.Png, 100);
            return data.ToArray();
        }
    }

    /// <summary>
    /// Draws <paramref name="text"/> in the 5x8 font with its top-left corner at (<paramref name="x"/>, <paramref name="y"/>), each font pixel
    /// a <paramref name="scale"/>-pixel square of <paramref name="color"/>, characters <see cref="CharAdvance"/> font pixels apart;
    /// characters outside printable ASCII as <see cref="FontChar"/> maps them. Returns the x after the text.
    /// </summary>
    public static int DrawText(SKCanvas canvas, string text, int x, int y, int scale, SKColor color)
    {
        using var paint = new SKPaint { IsAntialias = false, Style = SKPaintStyle.Fill, Color = color };
        foreach (var c in text)
        {
            Font.GetCharData(FontChar(c), out ReadOnlySpan<ushort> rows);
            for (var row = 0; row < rows.Length; row++)
                for (var col = 0; col < Font.Width; col++)
                    if (((rows[row] >> (Font.Width - 1 - col)) & 1) != 0)
                        canvas.DrawRect(new SKRect(x + col * scale, y + row * scale, x + (col + 1) * scale, y + (row + 1) * scale), paint);
            x += CharAdvance * scale;
        }
        return x;
    }

    /// <summary>Font pixels from one character's left edge to the next one's: the glyph's 5 and one blank.</summary>
    public static int CharAdvance => Font.Width + 1;

    /// <summary>Font pixels of a line of text: the glyph's 8 (its last row blank, so lines set 8 apart do not touch).</summary>
    public static int LineHeight => Font.Height;

    /// <summary>
    /// The character the font draws for <paramref name="c"/>: printable ASCII as it is, the superscripts of units and a few signs of
    /// the reasons as their ASCII look-alikes (m³ as m3, → as >, ≤ as &lt;), anything else as '?'.
    /// </summary>
    public static char FontChar(char c) => c switch
    {
        >= ' ' and <= '~' => c,
        '³' => '3',
        '²' => '2',
        '°' => 'o',
        '→' or '≥' => '>',
        '≤' => '<',
        '–' or '—' or '−' => '-',
        '…' => '.',
        '×' => 'x',
        _ => '?',
    };

    /// <summary>
    /// <paramref name="text"/> broken at spaces into at most <paramref name="lines"/> lines of <paramref name="width"/> characters; a word
    /// longer than a line is cut, and text left over ends the last line in "..".
    /// </summary>
    public static IReadOnlyList<string> Wrap(string text, int width, int lines)
    {
        var result = new List<string>();
        var line = new StringBuilder();
        foreach (var word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var w = word;
            while (w.Length > 0)
            {
                var room = line.Length == 0 ? width : width - line.Length - 1;
                if (w.Length <= room)
                {
                    if (line.Length > 0) line.Append(' ');
                    line.Append(w);
                    w = "";
                }
                else if (line.Length > 0)
                {
                    result.Add(line.ToString());
                    line.Clear();
                }
                else
                {
                    result.Add(w[..width]);
                    w = w[width..];
                }
                if (result.Count == lines) return Ellipsis(result, width);
            }
        }
        if (line.Length > 0) result.Add(line.ToString());
        return result.Count > lines ? Ellipsis(result.Take(lines).ToList(), width) : result;
    }

    private static List<string> Ellipsis(List<string> lines, int width)
    {
        var last = lines[^1];
        lines[^1] = (last.Length > width - 2 ? last[..(width - 2)].TrimEnd() : last) + "..";
        return lines;
    }

    /// <summary>The first characters of <paramref name="text"/> that fit in <paramref name="pixels"/> at <paramref name="scale"/>.</summary>
    private static string Fit(string text, int pixels, int scale)
    {
        var chars = Math.Max(0, pixels / (CharAdvance * scale));
        return text.Length <= chars ? text : text[..chars];
    }

    private void DrawHeader(DeviceReading? shown)
    {
        Fill(HeaderArea);
        var clock = shown is null ? "--:--:--" : Clock(shown.Time);
        var clockX = HeaderArea.Right - Margin - clock.Length * CharAdvance * LargeText + LargeText; // the last glyph's blank column off the edge
        DrawText(_canvas, clock, clockX, HeaderArea.Top + Margin, LargeText, TextColor);
        DrawText(_canvas, Fit(_label, clockX - 2 * Margin - CharAdvance * LargeText, LargeText), HeaderArea.Left + Margin, HeaderArea.Top + Margin, LargeText, TextColor);
    }

    private void DrawStatus(string headline, SKColor color, string reason)
    {
        Fill(StatusArea);
        var y = StatusArea.Top + Margin;
        DrawText(_canvas, Fit(headline, Width - 2 * Margin, LargeText), Margin, y, LargeText, color);
        y += LineHeight * LargeText + Margin;
        foreach (var line in Wrap(reason, (Width - 2 * Margin) / (CharAdvance * SmallText), ReasonLines))
        {
            DrawText(_canvas, line, Margin, y, SmallText, TextColor);
            y += LineHeight * SmallText + 2;
        }
    }

    /// <summary>Each window's digit ('?' in <see cref="UncertainColor"/> when uncertain) and its confidence in percent, one column each, when the columns fit.</summary>
    private void DrawWindows(IReadOnlyList<DigitResult> digits)
    {
        Fill(WindowsArea);
        var column = WindowsArea.Width / digits.Count;
        if (column < MinWindowColumn) return;
        for (var i = 0; i < digits.Count; i++)
        {
            var d = digits[i];
            var centre = WindowsArea.Left + i * column + column / 2;
            var digit = d.Digit.Length == 1 && char.IsAsciiDigit(d.Digit[0]) ? d.Digit : "?";
            DrawText(_canvas, digit, centre - Font.Width * LargeText / 2, WindowsArea.Top + Margin, LargeText, digit == "?" ? UncertainColor : ValueColor);
            var percent = ((int)Math.Round(Math.Clamp(d.Confidence, 0f, 1f) * 100)).ToString(CultureInfo.InvariantCulture);
            var width = percent.Length * CharAdvance * SmallText - SmallText;
            DrawText(_canvas, percent, centre - width / 2, WindowsArea.Top + Margin + LineHeight * LargeText + Margin, SmallText, TextColor);
        }
    }

    private void Fill(SKRectI area)
    {
        _fill.Color = SKColors.Black;
        _canvas.DrawRect(area, _fill);
    }

    private void Send(SKRectI region)
    {
        _canvas.Flush();
        _lcd.DrawBitmap(_screen, region, region.Left, region.Top);
        Interlocked.Increment(ref _version);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _canvas.Dispose();
        _screen.Dispose();
        _fill.Dispose();
    }
}
