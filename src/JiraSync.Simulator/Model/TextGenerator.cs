namespace JiraSync.Simulator.Model;

/// <summary>Deterministic text from a seed, with Unicode on purpose (accents, CJK, Cyrillic, RTL,
/// emoji outside the BMP, quotes, backslashes and newlines) so loaders are exercised.</summary>
public static class TextGenerator
{
    private static readonly string[] Words =
    [
        "login", "page", "fails", "when", "the", "user", "clicks", "export", "report", "timeout", "database",
        "café", "naïve", "Zürich", "東京", "データ", "ошибка", "отчёт", "שגיאה", "Ελλάδα", "emoji 🚀", "crème brûlée",
        "\"quoted\"", "back\\slash", "tab\there", "API", "v2", "sync", "slow", "null", "O'Brien", "<b>html</b>",
    ];

    public static string Sentence(int seed, int minWords = 3, int maxWords = 9)
    {
        var rng = new Random(seed);
        var n = rng.Next(minWords, maxWords + 1);
        var parts = new string[n];
        for (var i = 0; i < n; i++) parts[i] = Words[rng.Next(Words.Length)];
        var s = string.Join(' ', parts);
        return char.ToUpperInvariant(s[0]) + s[1..];
    }

    public static string Paragraphs(int seed)
    {
        var rng = new Random(seed);
        var count = rng.Next(1, 4);
        var parts = new string[count];
        for (var i = 0; i < count; i++) parts[i] = Sentence(seed * 31 + i, 5, 14) + ".";
        return string.Join("\n\n", parts);
    }

    /// <summary>A stable hash for deriving per-entity seeds (HashCode is randomised per process).</summary>
    public static int Mix(int a, long b)
    {
        unchecked
        {
            var h = (ulong)(uint)a * 0x9E3779B97F4A7C15UL ^ (ulong)b * 0xC2B2AE3D27D4EB4FUL;
            h ^= h >> 29; h *= 0xBF58476D1CE4E5B9UL; h ^= h >> 32;
            return (int)(h & 0x7FFFFFFF);
        }
    }
}
