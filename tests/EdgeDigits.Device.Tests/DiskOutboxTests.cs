using EdgeDigits.Device.Mqtt;

namespace EdgeDigits.Device.Tests;

public class DiskOutboxTests
{
    [Fact]
    public void Reopen_AfterPartialAck_KeepsUnackedInOrder()
    {
        var dir = RepoPaths.NewTempDir();
        using (var box = new DiskOutbox(dir, 100))
        {
            for (var i = 1; i <= 5; i++) box.Enqueue("t", $"m{i}", false);
            box.Ack(box.Peek()!.Seq);
            box.Ack(box.Peek()!.Seq);
        }
        using var again = new DiskOutbox(dir, 100);
        Assert.Equal(3, again.Count);
        var seen = new List<string>();
        while (again.Peek() is { } e) { seen.Add(e.Payload); again.Ack(e.Seq); }
        Assert.Equal(["m3", "m4", "m5"], seen);
        var next = again.Enqueue("t", "m6", false);
        Assert.Equal(6, next);
    }

    [Fact]
    public void Enqueue_PastCapacity_DropsOldestAndCounts()
    {
        var dir = RepoPaths.NewTempDir();
        using var box = new DiskOutbox(dir, 3);
        for (var i = 1; i <= 5; i++) box.Enqueue("t", $"m{i}", false);
        Assert.Equal(3, box.Count);
        Assert.Equal(2, box.Dropped);
        Assert.Equal("m3", box.Peek()!.Payload);
    }

    [Fact]
    public void Open_TornLastLine_SkipsItAndKeepsTheRest()
    {
        var dir = RepoPaths.NewTempDir();
        using (var box = new DiskOutbox(dir, 10))
        {
            box.Enqueue("t", "a", false);
            box.Enqueue("t", "b", true);
        }
        File.AppendAllText(Path.Combine(dir, "outbox.log"), "{\"seq\":3,\"topic\":\"t\",\"payl");
        using var again = new DiskOutbox(dir, 10);
        Assert.Equal(1, again.CorruptLines);
        Assert.Equal(2, again.Count);
        Assert.True(again.Peek()!.Payload == "a");
    }

    [Fact]
    public void Ack_ManyMessages_CompactsLogAndStaysConsistent()
    {
        var dir = RepoPaths.NewTempDir();
        using (var box = new DiskOutbox(dir, 10_000))
        {
            for (var i = 0; i < 2500; i++) box.Enqueue("t", $"m{i}", false);
            for (var i = 0; i < 2490; i++) box.Ack(box.Peek()!.Seq);
        }
        Assert.True(new FileInfo(Path.Combine(dir, "outbox.log")).Length < 2500 * 20, "log was not compacted");
        using var again = new DiskOutbox(dir, 10_000);
        Assert.Equal(10, again.Count);
        Assert.Equal("m2490", again.Peek()!.Payload);
    }
}
