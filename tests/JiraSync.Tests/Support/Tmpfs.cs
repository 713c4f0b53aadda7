using System.Diagnostics;

namespace JiraSync.Tests.Support;

/// <summary>
/// A small tmpfs mounted on a test's folder, to make a real full disk (<c>size=</c>) or a read-only file system
/// (<c>ro</c>) without touching the machine's disks. Needs mount permission (root, as in CI); when missing, the test
/// fails saying so. Unmounted when disposed.
/// </summary>
public sealed class Tmpfs : IDisposable
{
    /// <summary>The mount point.</summary>
    public string Dir { get; }

    private Tmpfs(string dir) => Dir = dir;

    /// <summary>Mounts a tmpfs with <paramref name="options"/> (e.g. "size=2m" or "size=1m,ro") on the new folder <paramref name="dir"/>.</summary>
    /// <exception cref="Xunit.Sdk.XunitException">mount failed (not root, no mount permission); the message says so.</exception>
    public static Tmpfs Mount(string dir, string options)
    {
        Directory.CreateDirectory(dir);
        Run("mount", "-t", "tmpfs", "-o", options, "tmpfs", dir);
        return new Tmpfs(dir);
    }

    /// <summary>Changes the mount's options in place (e.g. "size=64m" to free space); the files stay.</summary>
    public void Remount(string options) => Run("mount", "-o", "remount," + options, Dir);

    /// <summary>Bytes free on the mount.</summary>
    public long FreeBytes => new DriveInfo(Dir).AvailableFreeSpace;

    /// <summary>Unmounts (lazily if a file is still open) and removes the folder.</summary>
    public void Dispose()
    {
        try { Run("umount", "-l", Dir); Directory.Delete(Dir); }
        catch (Exception) { /* a failed cleanup must not hide the test's own result */ }
    }

    private static void Run(string program, params string[] args)
    {
        var psi = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        Process p;
        try { p = Process.Start(psi)!; }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new Xunit.Sdk.XunitException($"cannot run {program} ({e.Message}); the full-disk and read-only file system tests mount a tmpfs and need root, as CI has");
        }
        using (p)
        {
            var err = p.StandardError.ReadToEnd();
            p.WaitForExit();
            if (p.ExitCode != 0)
                throw new Xunit.Sdk.XunitException($"{program} {string.Join(' ', args)} failed (exit {p.ExitCode}: {err.Trim()}); " +
                                                   "the full-disk and read-only file system tests mount a tmpfs and need root with mount permission, as CI has");
        }
    }
}
