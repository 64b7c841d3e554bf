namespace EdgeDigits.Device.Web;

/// <summary>A display whose current content the page can mirror (the emulated panel's framebuffer, or the app's shadow of a real one).</summary>
public interface ILcdMirror
{
    /// <summary>The current screen as PNG.</summary>
    byte[] SnapshotPng();

    /// <summary>Incremented each time the screen changes, so the page refreshes only then.</summary>
    long Version { get; }
}

/// <summary>The simulator's inputs the page drives: pen strokes into the emulated touch panel, edges on the emulated trigger.</summary>
public interface ISimulatorInputs
{
    /// <summary>Plays an ink (DESIGN.md JSON, panel pixels, ms) in real time through the kiosk's emulated touch input (XPT2046, or evdev events).</summary>
    Task PlayInkAsync(string inkJson, CancellationToken ct);

    /// <summary>Makes one light-barrier edge on the emulated trigger pin.</summary>
    void FireTrigger();
}

/// <summary>Captures and reads one meter frame now (the page's "read now"); applies a layout saved on the page.</summary>
public interface IMeterControl
{
    /// <summary>Captures, reads and checks one frame; returns the decision as text.</summary>
    Task<string> CaptureNowAsync(CancellationToken ct);

    /// <summary>
    /// Reads the next frame with the digit windows and alignment of the layout file at <paramref name="layoutPath"/>
    /// (already checked). Returns null when applied, or the one-line reason it could not be (the old layout stays).
    /// </summary>
    Task<string?> ApplyLayoutAsync(string layoutPath, CancellationToken ct);
}
