using System.Globalization;
using System.Net;
using System.Text;
using JiraSync.Reconciliation;

namespace JiraSync.Runs.Report;

/// <summary>The HTML report's "Reconciliation" section: per run shown, its verdict, and per table Jira's count, the live
/// rows, the verdict and why (with the affected keys). A section of its own, beside the loading reports.</summary>
internal static class ReconciliationSection
{
    public static string Render(RunHistory h)
    {
        var runs = h.Runs.Where(r => h.ReconciliationOf(r.RunId).Any()).ToList();
        if (runs.Count == 0) return "";
        var sb = new StringBuilder("<section id=\"reconciliation\"><h2>Reconciliation</h2>");
        foreach (var r in runs)
        {
            var rows = h.ReconciliationOf(r.RunId).ToList();
            var verdict = rows.Max(x => x.Verdict).ToText();
            sb.Append(CultureInfo.InvariantCulture, $"<details{(r == runs[0] ? " open" : "")}><summary><code>{Enc(r.RunId)}</code> · reconciliation: <b class=\"verdict-{verdict}\">{verdict}</b></summary>");
            sb.Append("<div class=\"scroll\"><table><thead><tr><th>table</th><th>scope</th><th class=\"n\">Jira</th><th class=\"n\">rows</th><th>verdict</th><th>why</th><th>affected keys</th></tr></thead><tbody>");
            foreach (var x in rows)
                sb.Append(CultureInfo.InvariantCulture,
                    $"<tr><td>{Enc(x.Table)}</td><td>{Enc(x.Scope == "*" ? "all" : x.Scope)}</td><td class=\"n\">{x.JiraCount:N0}</td><td class=\"n\">{x.RowCount:N0}</td><td>{Enc(x.Verdict.ToText())}</td><td>{Enc(x.Note)}</td><td><code>{Enc(string.Join(", ", x.AffectedKeys))}</code></td></tr>");
            sb.Append("</tbody></table></div></details>");
        }
        sb.Append("</section>");
        return sb.ToString();
    }

    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
