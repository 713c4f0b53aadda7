using System.Text;

namespace JiraSync.Simulator.Jql;

public enum TokenKind { Word, String, Symbol, End }

public readonly record struct JqlToken(TokenKind Kind, string Text, int Position);

/// <summary>Splits JQL into words, quoted strings ("..." or '...') and symbols (= != &gt; &gt;= &lt; &lt;= ( ) ,).</summary>
public static class JqlTokenizer
{
    public static List<JqlToken> Tokenize(string jql)
    {
        var tokens = new List<JqlToken>();
        var i = 0;
        while (i < jql.Length)
        {
            var c = jql[i];
            if (char.IsWhiteSpace(c)) { i++; continue; }
            if (c is '"' or '\'')
            {
                var start = i++;
                var sb = new StringBuilder();
                while (i < jql.Length && jql[i] != c)
                {
                    if (jql[i] == '\\' && i + 1 < jql.Length) i++;
                    sb.Append(jql[i++]);
                }
                if (i >= jql.Length) throw new JqlException($"Error in the JQL Query: The quoted string starting at character {start} is not terminated.");
                i++;
                tokens.Add(new JqlToken(TokenKind.String, sb.ToString(), start));
                continue;
            }
            if (c is '(' or ')' or ',' or '=')
            {
                tokens.Add(new JqlToken(TokenKind.Symbol, c.ToString(), i++));
                continue;
            }
            if (c is '<' or '>' or '!')
            {
                var start = i++;
                if (i < jql.Length && jql[i] == '=') { i++; tokens.Add(new JqlToken(TokenKind.Symbol, c + "=", start)); }
                else if (c == '!') throw new JqlException($"Error in the JQL Query: The character '!' at position {start} is not expected.");
                else tokens.Add(new JqlToken(TokenKind.Symbol, c.ToString(), start));
                continue;
            }
            var wordStart = i;
            while (i < jql.Length && !char.IsWhiteSpace(jql[i]) && jql[i] is not ('(' or ')' or ',' or '=' or '<' or '>' or '!' or '"' or '\''))
                i++;
            tokens.Add(new JqlToken(TokenKind.Word, jql[wordStart..i], wordStart));
        }
        tokens.Add(new JqlToken(TokenKind.End, "", jql.Length));
        return tokens;
    }
}
