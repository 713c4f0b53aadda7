using System.Globalization;
using JiraSync.Simulator.Model;

namespace JiraSync.Simulator.Jql;

/// <summary>The JQL subset a sync client needs: `project = X` / `project in (..)`, `id`/`key` =/in,
/// `updated`/`created` compared with date literals, clauses joined by AND, and ORDER BY
/// updated/created/id/key ASC|DESC. Date literals ("yyyy-MM-dd HH:mm", "yyyy/MM/dd HH:mm",
/// "yyyy-MM-dd", "yyyy/MM/dd", relative -5d/-2h/-30m/-1w, or a bare epoch-ms number) are read in the
/// user's time zone with minute precision, as support.atlassian.com's JQL date docs describe.</summary>
public sealed class JqlParser
{
    private readonly SimulatorStore _store;
    private readonly bool _strictIssueKeys;
    private List<JqlToken> _tokens = [];
    private int _pos;

    /// <param name="strictIssueKeys">Jira validates issue keys and ids named in a query: one that does not
    /// exist (deleted, moved away, or not visible) fails the whole query with 400, unless legacy search is
    /// asked for validateQuery=warn/none (atlassian-python-api#752 shows the message).</param>
    public JqlParser(SimulatorStore store, bool strictIssueKeys = true)
    {
        _store = store;
        _strictIssueKeys = strictIssueKeys;
    }

    public JqlQuery Parse(string? jql)
    {
        _tokens = JqlTokenizer.Tokenize(jql ?? "");
        _pos = 0;
        var query = new JqlQuery();
        if (!AtOrderBy() && Peek.Kind != TokenKind.End)
        {
            query.Clauses.Add(Clause());
            while (IsWord("and")) { _pos++; query.Clauses.Add(Clause()); }
            if (IsWord("or")) throw new JqlException("Error in the JQL Query: OR is not supported by this simulator; use IN.");
        }
        if (AtOrderBy())
        {
            _pos += 2;
            do
            {
                var field = Normalize(Expect(TokenKind.Word, "a field name").Text);
                if (field is not ("updated" or "created" or "id" or "key"))
                    throw new JqlException($"Not able to sort using field '{field}'.");
                var desc = false;
                if (IsWord("asc")) _pos++;
                else if (IsWord("desc")) { _pos++; desc = true; }
                query.OrderBy.Add(new JqlSort(field, desc));
            } while (TrySymbol(","));
        }
        if (Peek.Kind != TokenKind.End)
            throw new JqlException($"Error in the JQL Query: Expecting either 'OR' or 'AND' but got '{Peek.Text}'. (line 1, character {Peek.Position + 1})");
        return query;
    }

    private JqlToken Peek => _tokens[_pos];
    private bool IsWord(string w) => Peek.Kind == TokenKind.Word && Peek.Text.Equals(w, StringComparison.OrdinalIgnoreCase);
    private bool AtOrderBy() => IsWord("order") && _tokens[_pos + 1].Kind == TokenKind.Word && _tokens[_pos + 1].Text.Equals("by", StringComparison.OrdinalIgnoreCase);

    private bool TrySymbol(string s)
    {
        if (Peek.Kind == TokenKind.Symbol && Peek.Text == s) { _pos++; return true; }
        return false;
    }

    private JqlToken Expect(TokenKind kind, string what)
    {
        var t = Peek;
        if (t.Kind != kind) throw new JqlException($"Error in the JQL Query: Expecting {what} but got '{(t.Kind == TokenKind.End ? "end of query" : t.Text)}'. (line 1, character {t.Position + 1})");
        _pos++;
        return t;
    }

    private static string Normalize(string field) => field.ToLowerInvariant() switch
    {
        "updateddate" => "updated",
        "createddate" => "created",
        "issuekey" => "key",
        var f => f,
    };

    private Func<SimIssue, bool> Clause()
    {
        var fieldToken = Expect(TokenKind.Word, "a field name");
        var field = Normalize(fieldToken.Text);
        _clauseField = fieldToken.Text;
        if (field is not ("project" or "updated" or "created" or "id" or "key"))
            throw new JqlException($"Field '{fieldToken.Text}' does not exist or you do not have permission to view it.");

        if (IsWord("in") || IsWord("not"))
        {
            var negate = IsWord("not");
            _pos++;
            if (negate && !IsWord("in")) throw new JqlException("Error in the JQL Query: Expecting 'IN' after 'NOT'.");
            if (negate) _pos++;
            if (field is "updated" or "created") throw new JqlException($"The operator 'in' is not supported by the '{field}' field.");
            var values = ValueList();
            var set = MembershipSet(field, values);
            return negate ? i => !set(i) : set;
        }

        var op = Expect(TokenKind.Symbol, "an operator").Text;
        var raw = Value();
        if (field is "updated" or "created")
        {
            var at = ParseDate(raw, fieldToken.Text);
            Func<SimIssue, long> get = field == "updated" ? i => i.UpdatedMs : i => i.CreatedMs;
            return op switch
            {
                ">=" => i => get(i) >= at,
                ">" => i => get(i) > at,
                "<=" => i => get(i) <= at,
                "<" => i => get(i) < at,
                "=" => i => get(i) == at,
                "!=" => i => get(i) != at,
                _ => throw new JqlException($"The operator '{op}' is not supported by the '{field}' field."),
            };
        }
        // id (and issuekey) compare numerically with >, >=, <, <= (JQL reference: "Issue key" field operators).
        if (field == "id" && op is ">" or ">=" or "<" or "<=")
        {
            if (!long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var bound))
                throw new JqlException($"The issue key '{raw}' for field '{fieldToken.Text}' is invalid.");
            return op switch
            {
                ">" => i => i.Id > bound,
                ">=" => i => i.Id >= bound,
                "<" => i => i.Id < bound,
                _ => i => i.Id <= bound,
            };
        }
        if (op is not ("=" or "!=")) throw new JqlException($"The operator '{op}' is not supported by the '{field}' field.");
        var single = MembershipSet(field, [raw]);
        return op == "=" ? single : i => !single(i);
    }

    private List<string> ValueList()
    {
        Expect(TokenKind.Symbol, "'('");
        var values = new List<string> { Value() };
        while (TrySymbol(",")) values.Add(Value());
        if (!TrySymbol(")")) throw new JqlException($"Error in the JQL Query: Expecting ')' but got '{Peek.Text}'. (line 1, character {Peek.Position + 1})");
        return values;
    }

    private string Value()
    {
        var t = Peek;
        if (t.Kind is TokenKind.Word or TokenKind.String) { _pos++; return t.Text; }
        throw new JqlException($"Error in the JQL Query: Expecting a value but got '{(t.Kind == TokenKind.End ? "end of query" : t.Text)}'. (line 1, character {t.Position + 1})");
    }

    private Func<SimIssue, bool> MembershipSet(string field, List<string> values)
    {
        switch (field)
        {
            case "project":
                var ids = new HashSet<long>();
                foreach (var v in values)
                {
                    // Jira gives the same message for missing and invisible projects.
                    var p = _store.FindProject(v) ?? _store.Projects.FirstOrDefault(p => !p.Hidden && p.Key.Equals(v, StringComparison.OrdinalIgnoreCase))
                        ?? throw new JqlException($"The value '{v}' does not exist for the field 'project'.");
                    ids.Add(p.Id);
                }
                return i => ids.Contains(i.Project.Id);
            default:
                // id, key and issuekey are one JQL field: each takes an issue id or key.
                var issueIds = new HashSet<long>();
                foreach (var v in values)
                {
                    if (!long.TryParse(v, out _) && !IssueKeyShape.IsMatch(v))
                        throw new JqlException($"The issue key '{v}' for field '{_clauseField}' is invalid.");
                    if (_store.FindVisibleIssue(v) is { } issue) issueIds.Add(issue.Id);
                    else if (_strictIssueKeys) throw new JqlException($"An issue with key '{v}' does not exist for field '{_clauseField}'.");
                }
                return i => issueIds.Contains(i.Id);
        }
    }

    private string _clauseField = "";
    private static readonly System.Text.RegularExpressions.Regex IssueKeyShape = new(@"^[A-Za-z][A-Za-z0-9_]*-\d+$");

    private static readonly string[] DateFormats = ["yyyy-MM-dd HH:mm", "yyyy/MM/dd HH:mm", "yyyy-MM-dd", "yyyy/MM/dd", "yyyy-M-d H:mm", "yyyy/M/d H:mm", "yyyy-M-d", "yyyy/M/d"];

    /// <summary>A JQL date literal to epoch ms. Wall-clock literals are in the user's zone; seconds cannot be expressed.</summary>
    public long ParseDate(string raw, string field = "updated")
    {
        if (long.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var epochMs)) return epochMs;
        if (raw.Length >= 2 && raw[0] is '-' or '+' && long.TryParse(raw[1..^1], out var n))
        {
            var unit = raw[^1] switch { 'm' => 60_000L, 'h' => 3_600_000L, 'd' => 86_400_000L, 'w' => 604_800_000L, _ => 0L };
            if (unit > 0)
            {
                // Relative dates count from now, floored to the minute like every JQL date.
                var now = _store.NowMs - _store.NowMs % 60_000;
                return raw[0] == '-' ? now - n * unit : now + n * unit;
            }
        }
        if (DateTime.TryParseExact(raw, DateFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
            return _store.Time.FromLocal(local);
        throw new JqlException($"Date value '{raw}' for field '{field}' is invalid. Valid formats include: 'yyyy/MM/dd HH:mm', 'yyyy-MM-dd HH:mm', 'yyyy/MM/dd', 'yyyy-MM-dd', or a period format e.g. '-5d', '4w 2d'.");
    }
}
