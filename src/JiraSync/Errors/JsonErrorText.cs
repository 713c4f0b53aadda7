using System.Text.Json;

namespace JiraSync.Errors;

/// <summary>System.Text.Json's reason for rejecting a document, fit for a one-line error message.</summary>
internal static class JsonErrorText
{
    /// <summary>The reason without the " Path: $ | LineNumber: 0 | BytePositionInLine: 5." tail (callers say where
    /// themselves, or need not), and with line breaks folded: the reason quotes the offending text, which may
    /// span lines, and an error must stay one line.</summary>
    public static string Reason(JsonException ex)
    {
        var message = ex.Message;
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        if (cut < 0) cut = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        var reason = cut > 0 ? message[..cut] : message;
        return string.Join(' ', reason.Split((char[])['\r', '\n', '\t'], StringSplitOptions.RemoveEmptyEntries)).Trim().TrimEnd('.', ' ');
    }
}
