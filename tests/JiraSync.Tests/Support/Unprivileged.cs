using System.Diagnostics;

namespace JiraSync.Tests.Support;

/// <summary>
/// Runs the real `jirasync` as a user that file modes apply to. Root ignores them (a 0444 file is writable to root),
/// and CI runs the tests as root, so there the program runs as uid/gid 65534 ("nobody") through util-linux's
/// <c>setpriv</c>; as any other user it runs as that user. When that is impossible the test fails saying what is missing,
/// never passes without having tried.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public static class Unprivileged
{
    /// <summary>The uid and gid the program runs as under root.</summary>
    public const int Id = 65534;

    private static readonly string[] Setpriv = ["setpriv", $"--reuid={Id}", $"--regid={Id}", "--clear-groups"];
    private static readonly Lazy<Task<string?>> Problem = new(FindProblemAsync);

    /// <summary>The test build folder copied once into a folder every user may read: a clone under a private home
    /// (CI clones as root, e.g. under /root, mode 700) would otherwise hide the program from the unprivileged user.</summary>
    private static readonly Lazy<string> OpenCopy = new(() =>
    {
        var dir = Path.Combine(Path.GetTempPath(), $"jirasync-tests-unprivileged-{Environment.ProcessId}");
        foreach (var file in Directory.EnumerateFiles(AppContext.BaseDirectory, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(dir, Path.GetRelativePath(AppContext.BaseDirectory, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target, overwrite: true);
        }
        foreach (var d in Directory.EnumerateDirectories(dir, "*", SearchOption.AllDirectories).Append(dir)) Chmod(d, "755");
        foreach (var f in Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories)) Chmod(f, "644");
        return Path.Combine(dir, Path.GetFileName(CliRunner.CliDll));
    });

    /// <summary>True when the tests run as root (and so the program must change user to meet file modes).</summary>
    public static bool AsRoot => Environment.IsPrivilegedProcess;

    /// <summary>Runs `jirasync <paramref name="args"/>` as the unprivileged user, with <paramref name="env"/>.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">The program cannot be run as an unprivileged user here; the message says why.</exception>
    public static async Task<CliResult> RunAsync(IReadOnlyList<string> args, IDictionary<string, string> env)
    {
        if (await Problem.Value is { } problem) throw new Xunit.Sdk.XunitException(problem);
        return await CliRunner.RunAsync(args, env: env, wrapper: AsRoot ? Setpriv : null, cliDll: AsRoot ? OpenCopy.Value : null);
    }

    /// <summary>Makes <paramref name="dir"/> (a test's own temp folder) readable and enterable by the unprivileged user,
    /// and writable when <paramref name="writable"/>.</summary>
    public static void Open(string dir, bool writable = false) => Chmod(dir, writable ? "777" : "755");

    /// <summary>Sets a file's or folder's mode, given in octal as chmod takes it ("444").</summary>
    public static void Chmod(string path, string octal) => File.SetUnixFileMode(path, (UnixFileMode)Convert.ToInt32(octal, 8));

    private static async Task<string?> FindProblemAsync()
    {
        if (!AsRoot) return null;
        CliResult result;
        try { result = await CliRunner.RunAsync(["about"], wrapper: Setpriv, timeout: TimeSpan.FromMinutes(1), cliDll: OpenCopy.Value); }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return $"cannot run jirasync as an unprivileged user: setpriv (util-linux) is missing ({e.Message}); the read-only destination tests need it when the tests run as root";
        }
        return result.ExitCode == 0 ? null
            : $"cannot run jirasync as uid {Id} through setpriv (exit {result.ExitCode}: {result.StdErr.Trim()}); the read-only destination tests need " +
              $"the dotnet install ({Path.GetDirectoryName(Environment.ProcessPath)}) readable by every user (each directory on the way executable by others)";
    }
}
