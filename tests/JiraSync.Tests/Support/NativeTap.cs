using System.Diagnostics;
using System.Runtime.InteropServices;

namespace JiraSync.Tests.Support;

/// <summary>The Native AOT tap-jirasync (src/JiraSync.Tap) built from the current sources: dist/&lt;rid&gt;/tap-jirasync when
/// scripts/publish.sh made it after the last source change (as in CI), else one published by the tests into
/// artifacts/native-tap/ (once per test run, reused by later runs while no source changes). Never skipped: a failing
/// publish fails the test with the publish's output.</summary>
public static class NativeTap
{
    private static readonly Lazy<Task<string>> Published = new(PublishAsync);

    /// <summary>The path of a tap-jirasync native executable at least as new as every source file.</summary>
    public static Task<string> PathAsync() => Published.Value;

    private static string Rid => RuntimeInformation.RuntimeIdentifier;

    private static async Task<string> PublishAsync()
    {
        var dist = Path.Combine(RepoPaths.Root, "dist", Rid, "tap-jirasync");
        if (IsFreshNative(dist)) return dist;
        var folder = Path.Combine(RepoPaths.Root, "artifacts", "native-tap");
        var binary = Path.Combine(folder, "out", "tap-jirasync");
        if (IsFreshNative(binary)) return binary;

        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = RepoPaths.Root,
        };
        foreach (var a in new[] { "publish", Path.Combine(RepoPaths.Root, "src", "JiraSync.Tap", "JiraSync.Tap.csproj"), "-c", "Release", "-r", Rid,
                     "--artifacts-path", Path.Combine(folder, "build"), "-o", Path.Combine(folder, "out"), "-nologo", "-v", "quiet",
                     "-p:GenerateDocumentationFile=false" })
            psi.ArgumentList.Add(a);
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Native AOT compiles the whole tap: a minute or two on a quiet 2-core machine, more under load.
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(20));
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0 || !IsNative(binary))
            throw new InvalidOperationException($"publishing the Native AOT tap (src/JiraSync.Tap, -r {Rid}) failed with exit {process.ExitCode}; " +
                                                $"it needs a C toolchain (clang or gcc):\n{await stdout}\n{await stderr}");
        return binary;
    }

    /// <summary>An ELF executable newer than every source file the tap is built from.</summary>
    private static bool IsFreshNative(string path) =>
        IsNative(path) && File.GetLastWriteTimeUtc(path) >= NewestSource();

    private static bool IsNative(string path)
    {
        if (!File.Exists(path)) return false;
        Span<byte> magic = stackalloc byte[4];
        using var file = File.OpenRead(path);
        return file.Read(magic) == 4 && magic.SequenceEqual("\u007fELF"u8);
    }

    private static DateTime NewestSource() =>
        Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*", SearchOption.AllDirectories)
            .Where(f => f.EndsWith(".cs") || f.EndsWith(".csproj") || f.EndsWith(".json"))
            .Where(f => !f.Contains("/bin/") && !f.Contains("/obj/"))
            .Append(Path.Combine(RepoPaths.Root, "Directory.Build.props"))
            .Max(File.GetLastWriteTimeUtc);
}
