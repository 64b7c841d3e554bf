using EdgeDigits.Device.Configuration;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace EdgeDigits.Device.Tests.TestInfrastructure;

internal static class TestOptions
{
    public static IOptions<DeviceOptions> Wrap(DeviceOptions o) => Options.Create(o);

    public static NullLogger<T> Log<T>() => NullLogger<T>.Instance;
}
