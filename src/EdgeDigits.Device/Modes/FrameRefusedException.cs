namespace EdgeDigits.Device.Modes;

/// <summary>
/// A camera frame meter mode will not read (it does not align with the reference, it cannot be decoded, a window falls off it):
/// the reading is refused with <see cref="Exception.Message"/> as the reason and the last good value is kept.
/// </summary>
public sealed class FrameRefusedException(string reason, Exception? inner = null) : Exception(reason, inner);
