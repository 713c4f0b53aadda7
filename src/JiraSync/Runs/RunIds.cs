using System.Globalization;
using System.Security.Cryptography;

namespace JiraSync.Runs;

/// <summary>Run ids sort by start time as plain strings (file names of extraction logs too) and stay unique
/// when two runs start in the same second.</summary>
public static class RunIds
{
    internal static string New(DateTimeOffset startedAt) =>
        startedAt.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture) + "-" +
        Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(2));

    /// <summary>Whether a user-given run id is safe to use as a file name and query value.</summary>
    /// <param name="id">A run id given on the command line.</param>
    public static bool IsWellFormed(string id) =>
        id.Length is > 0 and <= 64 && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
