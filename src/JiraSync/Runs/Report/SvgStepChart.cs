using System.Globalization;
using System.Net;
using System.Text;

namespace JiraSync.Runs.Report;

/// <summary>
/// A run's concurrency limit over time as an inline SVG step line (the limit holds until the next change), drawn like
/// <see cref="SvgBarChart"/>: scales with its container, no script. Each change is a circle of class "mark" with its
/// time, limit and reason in a tooltip and in data-at / data-limit, which the browser test reads.
/// </summary>
public static class SvgStepChart
{
    private const double W = 440, H = 160, Left = 40, Right = 10, Top = 10, Bottom = 30;

    /// <summary>The chart's figure, or "" for an empty series.</summary>
    /// <param name="id">The figure's id (unique on the page).</param>
    /// <param name="title">The caption.</param>
    /// <param name="points">The series, oldest first (the first at 0 s).</param>
    /// <param name="duration">The run's length in seconds (the line runs on to it), or null to end at the last change.</param>
    public static string Render(string id, string title, IReadOnlyList<ConcurrencyPoint> points, double? duration)
    {
        if (points.Count == 0) return "";
        var end = Math.Max(duration ?? 0, points[^1].AtSeconds);
        if (end <= 0) end = 1;
        var max = Math.Max(1, points.Max(p => p.Limit));
        double X(double s) => Left + s / end * (W - Left - Right);
        double Y(int limit) => Top + (H - Top - Bottom) * (1 - (double)limit / max);
        var sb = new StringBuilder();
        foreach (var v in new[] { 0, (max + 1) / 2, max }.Distinct())
        {
            sb.Append(Fmt($"<line class=\"grid\" x1=\"{Left}\" x2=\"{W - Right}\" y1=\"{Y(v):0.#}\" y2=\"{Y(v):0.#}\"/>"));
            sb.Append(Fmt($"<text x=\"{Left - 6}\" y=\"{Y(v) + 4:0.#}\" text-anchor=\"end\">{v}</text>"));
        }
        sb.Append(Fmt($"<text x=\"{Left}\" y=\"{H - 8}\">0 s</text><text x=\"{W - Right}\" y=\"{H - 8}\" text-anchor=\"end\">{end:0.#} s</text>"));
        var path = new StringBuilder(Fmt($"M{X(points[0].AtSeconds):0.##},{Y(points[0].Limit):0.##}"));
        for (var i = 1; i < points.Count; i++)
            path.Append(Fmt($" H{X(points[i].AtSeconds):0.##} V{Y(points[i].Limit):0.##}"));
        path.Append(Fmt($" H{X(end):0.##}"));
        sb.Append($"<path d=\"{path}\" fill=\"none\" stroke=\"#4e79a7\" stroke-width=\"2\"/>");
        foreach (var p in points)
            sb.Append(Fmt($"<circle class=\"mark\" cx=\"{X(p.AtSeconds):0.##}\" cy=\"{Y(p.Limit):0.##}\" r=\"3.5\" fill=\"#4e79a7\" data-at=\"{p.AtSeconds}\" data-limit=\"{p.Limit}\"><title>{p.AtSeconds:0.0} s: {p.Limit} ({Enc(p.Reason)})</title></circle>"));
        return Fmt($"<figure class=\"chart\" id=\"{id}\" data-chart=\"concurrency\" data-marks=\"{points.Count}\"><figcaption>{Enc(title)}</figcaption><svg viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{Enc(title)}\" preserveAspectRatio=\"xMidYMid meet\">") +
               sb + "</svg></figure>";
    }

    private static string Fmt(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
    private static string Enc(string s) => WebUtility.HtmlEncode(s);
}
