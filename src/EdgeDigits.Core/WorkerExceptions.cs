namespace EdgeDigits.Core;

/// <summary>What a worker inside <c>Parallel.For</c> (or a task) threw, without the <see cref="AggregateException"/> around it.</summary>
public static class WorkerExceptions
{
    /// <summary>The first exception that is not an <see cref="AggregateException"/> (the first worker's, when several failed); <paramref name="ex"/> itself otherwise.</summary>
    public static Exception FirstCause(Exception ex)
    {
        while (ex is AggregateException { InnerExceptions.Count: > 0 } agg) ex = agg.Flatten().InnerExceptions[0];
        return ex;
    }
}
