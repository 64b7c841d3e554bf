using System.CommandLine;
using EdgeDigits.Tool;
using EdgeDigits.Tool.Commands;

namespace EdgeDigits.Tool.Tests;

/// <summary>Parser tests for <c>edgedigits flash model</c> and <c>edgedigits flash sd</c> on literal command lines.</summary>
public sealed class FlashCommandTests
{
    private static ParseResult Parse(string line) => EdgeDigitsCli.CreateRootCommand().Parse(line);

    [Fact]
    public void FlashModel_AllOptions_Parsed()
    {
        var r = Parse("flash model --host pi@kiosk-1:2222 --model m/d.onnx --identity k --port 2200 --ssh-opt A=b --ssh-opt C=d --http-port 5081 --token t");

        Assert.Empty(r.Errors);
        var cmd = Assert.IsType<FlashCommand.ModelCommand>(r.CommandResult.Command);
        Assert.Equal("pi@kiosk-1:2222", r.GetValue(cmd.Host));
        Assert.Equal("m/d.onnx", r.GetValue(cmd.Model));
        Assert.Equal(2200, r.GetValue(cmd.Port));
        Assert.Equal(["A=b", "C=d"], r.GetValue(cmd.SshOpt)!);
        Assert.Equal(5081, r.GetValue(cmd.HttpPort));
        Assert.Equal("/var/lib/edgedigits/models", r.GetValue(cmd.ModelsDir));
    }

    [Fact]
    public void FlashModel_Defaults_ShippedInt8Model()
    {
        var r = Parse("flash model --host pi@kiosk-1");

        Assert.Empty(r.Errors);
        var cmd = (FlashCommand.ModelCommand)r.CommandResult.Command;
        Assert.Equal(Path.Combine("models", "digits-int8.onnx"), r.GetValue(cmd.Model));
        Assert.Null(r.GetValue(cmd.Port));
    }

    [Theory]
    [InlineData("flash model", "--host")]
    [InlineData("flash model --host h --port 70000", "--port 70000: must be 1..65535")]
    [InlineData("flash model --host h --port x", "Cannot parse argument 'x' for option '--port'")]
    [InlineData("flash sd --publish-dir p", "give --image FILE.img, or both --boot DIR and --root DIR")]
    [InlineData("flash sd --publish-dir p --boot b", "give --image FILE.img, or both --boot DIR and --root DIR")]
    [InlineData("flash sd --publish-dir p --image a.img --root r", "use either --image or --boot with --root, not both")]
    [InlineData("flash sd --image a.img", "--publish-dir")]
    public void Flash_BadCommandLine_ParseErrorNamesTheProblem(string line, string message)
    {
        var r = Parse(line);

        Assert.Contains(r.Errors, e => e.Message.Contains(message, StringComparison.Ordinal));
    }

    [Fact]
    public void FlashSd_ImageForm_Parsed()
    {
        var r = Parse("flash sd --image raspios.img --profile Meter --publish-dir out/arm64 --config board.json --version v1");

        Assert.Empty(r.Errors);
        var cmd = Assert.IsType<FlashCommand.SdCommand>(r.CommandResult.Command);
        Assert.Equal("raspios.img", r.GetValue(cmd.Image));
        Assert.Equal("Meter", r.GetValue(cmd.Profile));
        Assert.Equal("board.json", r.GetValue(cmd.Config));
        Assert.Equal("v1", r.GetValue(cmd.Version));
    }

    [Fact]
    public void FlashSd_MissingImage_ExitBadInputNamingTheFile()
    {
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        int code;
        try { code = EdgeDigitsCli.Run(["flash", "sd", "--image", "/nonexistent/raspios.img", "--publish-dir", "/tmp"]); }
        finally { Console.SetError(old); }

        Assert.Equal(ExitCodes.BadInput, code);
        Assert.Equal("edgedigits flash sd: --image /nonexistent/raspios.img: no such file", err.ToString().Trim());
    }

    [Fact]
    public void FlashSd_UnknownProfile_ExitUsage()
    {
        var err = new StringWriter();
        var old = Console.Error;
        Console.SetError(err);
        var dir = Directory.CreateTempSubdirectory("edgedigits-flashcli").FullName;
        int code;
        try
        {
            File.WriteAllText(Path.Combine(dir, "config.txt"), "");
            File.WriteAllText(Path.Combine(dir, "cmdline.txt"), "");
            File.WriteAllText(Path.Combine(dir, "start4.elf"), "");
            foreach (var d in new[] { "root/etc/systemd/system", "root/usr/lib/aarch64-linux-gnu", "pub" }) Directory.CreateDirectory(Path.Combine(dir, d));
            File.WriteAllText(Path.Combine(dir, "root/etc/os-release"), "ID=debian\n");
            File.WriteAllText(Path.Combine(dir, "pub/EdgeDigits.Device"), "#!/bin/sh\n");
            code = EdgeDigitsCli.Run(["flash", "sd", "--boot", dir, "--root", Path.Combine(dir, "root"), "--publish-dir", Path.Combine(dir, "pub"), "--profile", "Disco"]);
        }
        finally { Console.SetError(old); Directory.Delete(dir, true); }

        Assert.Equal(ExitCodes.Usage, code);
        Assert.StartsWith("edgedigits flash sd: --profile Disco: unknown (known: Kiosk, Meter, Sorter, Simulator", err.ToString());
    }
}
