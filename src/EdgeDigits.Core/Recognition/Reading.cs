using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeDigits.Core.Imaging;

namespace EdgeDigits.Core.Recognition;

/// <summary>
/// The result of reading a frame or an ink: the text and, per digit, its class scores, confidence,
/// box in source coordinates and whether it is uncertain (shown as <c>?</c>). A reading can be
/// reused for the next frame (<see cref="NumberReader.ReadInto(GrayImage, Reading)"/>), which keeps
/// the steady state free of allocations; <see cref="Text"/> allocates its string on first use.
/// </summary>
public sealed class Reading
{
    private DigitResult[] _digits = new DigitResult[8];
    private float[] _scores = new float[80];
    private char[] _text = new char[8];
    private string? _textCache;

    /// <summary>Number of classes per digit in <see cref="ScoresOf"/>.</summary>
    public int ClassCount { get; private set; }

    /// <summary>Number of digits.</summary>
    public int Count { get; private set; }

    /// <summary>The digits, left to right.</summary>
    public ReadOnlySpan<DigitResult> Digits => _digits.AsSpan(0, Count);

    /// <summary>Crops judged "not a digit" by the model's reject class (left out of the text).</summary>
    public int Rejected { get; private set; }

    /// <summary>The text without allocating: one character per digit, <c>?</c> for uncertain ones.</summary>
    public ReadOnlySpan<char> TextSpan => _text.AsSpan(0, Count);

    /// <summary>The text, e.g. <c>2024</c> or <c>20?4</c>; empty when nothing was found.</summary>
    public string Text => _textCache ??= new string(TextSpan);

    /// <summary>The lowest digit confidence (1 when there are no digits).</summary>
    public float LowestConfidence
    {
        get
        {
            float m = 1;
            foreach (var d in Digits) m = Math.Min(m, d.Confidence);
            return m;
        }
    }

    /// <summary>True when any digit is uncertain.</summary>
    public bool HasUncertain
    {
        get
        {
            foreach (var d in Digits) if (d.Uncertain) return true;
            return false;
        }
    }

    /// <summary>Class probabilities of digit <paramref name="index"/>.</summary>
    public ReadOnlySpan<float> ScoresOf(int index)
    {
        if ((uint)index >= (uint)Count) throw new ArgumentOutOfRangeException(nameof(index));
        return _scores.AsSpan(index * ClassCount, ClassCount);
    }

    /// <summary>Empties the reading for <paramref name="classCount"/> classes.</summary>
    public void Clear(int classCount)
    {
        ClassCount = classCount;
        Count = 0;
        Rejected = 0;
        _textCache = null;
    }

    /// <summary>Appends a digit with its probabilities.</summary>
    public void Add(DigitResult digit, ReadOnlySpan<float> scores)
    {
        if (scores.Length != ClassCount) throw new ArgumentException($"expected {ClassCount} scores, got {scores.Length}", nameof(scores));
        if (Count == _digits.Length)
        {
            Array.Resize(ref _digits, Count * 2);
            Array.Resize(ref _text, Count * 2);
        }
        if (_scores.Length < (Count + 1) * ClassCount) Array.Resize(ref _scores, Math.Max((Count + 1) * ClassCount, _scores.Length * 2));
        scores.CopyTo(_scores.AsSpan(Count * ClassCount));
        _digits[Count] = digit;
        _text[Count] = digit.Character;
        Count++;
        _textCache = null;
    }

    /// <summary>Counts one crop rejected as "not a digit".</summary>
    public void AddRejected() => Rejected++;

    /// <summary>One JSON object: <c>{"file":…,"text":…,"digits":[{"digit":…,"confidence":…,"box":[x,y,w,h]}]}</c> (file omitted when null).</summary>
    public string ToJson(string? file = null)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms))
        {
            w.WriteStartObject();
            if (file is not null) w.WriteString("file", file);
            w.WriteString("text", Text);
            w.WriteStartArray("digits");
            foreach (var d in Digits)
            {
                w.WriteStartObject();
                w.WriteString("digit", d.Character.ToString());
                w.WriteString("guess", d.Label);
                w.WriteNumber("confidence", Math.Round(d.Confidence, 4));
                w.WriteBoolean("uncertain", d.Uncertain);
                w.WriteStartArray("box");
                w.WriteNumberValue(d.Box.X);
                w.WriteNumberValue(d.Box.Y);
                w.WriteNumberValue(d.Box.Width);
                w.WriteNumberValue(d.Box.Height);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    /// <summary>A copy that does not change when this reading is reused.</summary>
    public Reading Clone()
    {
        var r = new Reading();
        r.Clear(ClassCount);
        for (int i = 0; i < Count; i++) r.Add(_digits[i], ScoresOf(i));
        r.Rejected = Rejected;
        return r;
    }

    /// <inheritdoc/>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Text} (lowest confidence {LowestConfidence:0.000})");
}
