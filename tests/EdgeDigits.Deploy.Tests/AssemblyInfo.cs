// These tests drive bash, sshd, mtools and qemu: Linux only.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
