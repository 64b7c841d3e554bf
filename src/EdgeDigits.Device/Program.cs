using EdgeDigits.Device.Cli;
using EdgeDigits.Device.Hosting;

// `read FILE...` is the one-shot reader and `bench` the simulator benchmark; anything else runs the device host.
return args switch
{
    ["read", ..] => ReadCommand.Run(args[1..], Console.Out, Console.Error),
    ["bench", ..] => BenchCommand.Run(args[1..], Console.Out, Console.Error),
    _ => DeviceHost.Run(args),
};
