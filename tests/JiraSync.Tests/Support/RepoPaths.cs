namespace JiraSync.Tests.Support;

/// <summary>Locates the checkout (the folder holding JiraSync.slnx) and the shared reference folder beside it,
/// so tests work in any clone: DESIGN.md puts shared/ next to the project, and CI lays it out the same way.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>shared/reference/fixtures: $JIRASYNC_FIXTURES, else ../shared next to the checkout, else /work/shared.</summary>
    public static string Fixtures { get; } =
        Environment.GetEnvironmentVariable("JIRASYNC_FIXTURES")
        ?? new[] { Path.Combine(Root, "..", "shared", "reference", "fixtures"), "/work/shared/reference/fixtures" }
            .Select(Path.GetFullPath).FirstOrDefault(Directory.Exists)
        ?? Path.GetFullPath(Path.Combine(Root, "..", "shared", "reference", "fixtures"));

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "JiraSync.slnx"))) return dir.FullName;
        return Directory.GetCurrentDirectory();
    }
}
