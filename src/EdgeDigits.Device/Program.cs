using System.CommandLine;
using EdgeDigits.Cli;
using EdgeDigits.Device.Hosting;

// `read FILE...` is the same reader and command as `edgedigits read`, `bench` the whole-device benchmark; anything else runs the device host.
return args switch
{
    ["read", ..] => CliHost.Run(new RootCommand("EdgeDigits.Device read: the reader of `edgedigits read`, with the model beside the app") { new ReadCommand() }, args),
    ["bench", ..] => EdgeDigits.Device.Cli.BenchCommand.Run(args[1..], Console.Out, Console.Error),
    _ => DeviceHost.Run(args),
};
