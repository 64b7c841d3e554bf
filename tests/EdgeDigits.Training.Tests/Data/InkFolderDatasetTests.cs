using EdgeDigits.Core.Inks;
using EdgeDigits.Core.Synthesis;
using EdgeDigits.Tests.Shared;
using EdgeDigits.Training.Data;

namespace EdgeDigits.Training.Tests.Data;

public sealed class InkFolderDatasetTests
{
    private static void Write(string dir, string name, string digits, string? label)
    {
        var ink = StrokeFont.Write(digits, 70, 15, 60);
        new Ink(ink.Width, ink.Height, ink.Strokes, label).Save(Path.Combine(dir, name));
    }

    [Fact]
    public void Load_LabeledInks_OneCropPerDigitWithTheLabelsDigits()
    {
        var dir = RepoPaths.NewTempDir("inks");
        Write(dir, "a.json", "58", "58");
        Write(dir, "b.json", "307", "307");
        Assert.True(InkFolderDataset.LooksLikeInkFolder(dir));
        var set = InkFolderDataset.Load(dir, out var skipped);
        Assert.Equal(0, skipped);
        Assert.Equal(new[] { 5, 8, 3, 0, 7 }, set.Labels);
        Assert.All(Enumerable.Range(0, set.Count), i => Assert.True(set.Image(i).ToArray().Max() > 200));
    }

    [Fact]
    public void LoadDigitInks_LabeledInks_EachDigitsStrokesAsAnInkWithItsDigit()
    {
        var dir = RepoPaths.NewTempDir("inks");
        Write(dir, "a.json", "58", "58");
        Write(dir, "b.json", "58", "5");
        var digits = InkFolderDataset.LoadDigitInks(dir, out var skipped);
        Assert.Equal(1, skipped);
        Assert.Equal(new[] { 5, 8 }, digits.Select(d => d.Digit));
        Assert.Equal(new[] { "5", "8" }, digits.Select(d => d.Ink.Label));
        var whole = Ink.Load(Path.Combine(dir, "a.json"));
        // The two digits share out the ink's strokes, the 5 on the left of the 8.
        Assert.Equal(whole.Strokes.Count, digits.Sum(d => d.Ink.Strokes.Count));
        Assert.All(digits, d => Assert.All(d.Ink.Strokes, s => Assert.Contains(s, whole.Strokes)));
        Assert.True(digits[0].Ink.Strokes.SelectMany(s => s).Max(p => p.X) < digits[1].Ink.Strokes.SelectMany(s => s).Min(p => p.X));
    }

    [Fact]
    public void Load_InkGroupedIntoOtherDigitCount_IsLeftOutAndCounted()
    {
        var dir = RepoPaths.NewTempDir("inks");
        Write(dir, "a.json", "58", "58");
        Write(dir, "b.json", "58", "5");
        var set = InkFolderDataset.Load(dir, out var skipped);
        Assert.Equal(1, skipped);
        Assert.Equal(2, set.Count);
    }

    [Fact]
    public void Load_InkWithoutLabel_ThrowsNamingFile()
    {
        var dir = RepoPaths.NewTempDir("inks");
        Write(dir, "nolabel.json", "4", null);
        var ex = Assert.Throws<InvalidDataException>(() => InkFolderDataset.Load(dir, out _));
        Assert.Contains("nolabel.json: a training ink needs a \"label\" of digits (got none)", ex.Message);
    }

    [Fact]
    public void Load_MalformedInk_ThrowsNamingFile()
    {
        var dir = RepoPaths.NewTempDir("inks");
        File.WriteAllText(Path.Combine(dir, "bad.json"), "{\"width\":320,\"strokes\":[[[1,2");
        var ex = Assert.Throws<InvalidDataException>(() => InkFolderDataset.Load(dir, out _));
        Assert.Contains("bad.json", ex.Message);
    }

    [Fact]
    public void LooksLikeInkFolder_FolderDataset_IsFalse()
    {
        var dir = RepoPaths.NewTempDir("folder");
        Directory.CreateDirectory(Path.Combine(dir, "3"));
        File.WriteAllText(Path.Combine(dir, "notes.json"), "{}");
        Assert.False(InkFolderDataset.LooksLikeInkFolder(dir));
    }
}
