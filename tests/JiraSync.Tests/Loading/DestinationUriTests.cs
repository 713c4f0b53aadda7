using JiraSync.Loading.Destinations;
using JiraSync.Errors;
using JiraSync.Loading;
using Npgsql;

namespace JiraSync.Tests.Loading;

public class DestinationUriTests
{
    [Fact]
    public void Default_is_a_duckdb_file_in_the_current_directory()
    {
        var d = DestinationUri.Parse(null);
        Assert.Equal("duckdb", d.Scheme);
        Assert.Equal("jirasync.duckdb", d.Target);
    }

    [Fact]
    public void Postgres_url_gives_connection_schema_and_a_display_without_password()
    {
        var d = DestinationUri.Parse("postgres://loader:s3cret%21@db.example:6543/warehouse?schema=jira_raw&sslmode=require");
        Assert.Equal("postgres", d.Scheme);
        Assert.Equal("jira_raw", d.Schema);
        var b = new NpgsqlConnectionStringBuilder(d.Target);
        Assert.Equal(("db.example", 6543, "warehouse", "loader", "s3cret!"), (b.Host, b.Port, b.Database, b.Username, b.Password));
        Assert.Equal(SslMode.Require, b.SslMode);
        Assert.DoesNotContain("s3cret", d.ToString());
        Assert.Equal("postgres://loader@db.example:6543/warehouse", d.Display);
        // Messages name the schema too: one database holds several destinations.
        Assert.Equal("postgres://loader@db.example:6543/warehouse?schema=jira_raw", d.ToString());
    }

    [Fact]
    public void Postgres_url_without_schema_uses_jira()
    {
        Assert.Equal("jira", DestinationUri.Parse("postgresql://u@h/db").Schema);
    }

    [Theory]
    [InlineData("host=127.0.0.1 port=5433 dbname=dw user=etl password=pw schema=s1")]
    [InlineData("Host=127.0.0.1;Port=5433;Database=dw;Username=etl;Password=pw;schema=s1")]
    public void Libpq_and_Npgsql_connection_strings_are_accepted(string text)
    {
        var d = DestinationUri.Parse(text);
        var b = new NpgsqlConnectionStringBuilder(d.Target);
        Assert.Equal(("127.0.0.1", 5433, "dw", "etl"), (b.Host, b.Port, b.Database, b.Username));
        Assert.Equal("s1", d.Schema);
        Assert.DoesNotContain("pw", d.ToString());
    }

    [Fact]
    public void Jsonl_names_a_directory()
    {
        var d = DestinationUri.Parse("jsonl:out/dir");
        Assert.Equal(("jsonl", "out/dir"), (d.Scheme, d.Target));
    }

    [Theory]
    [InlineData("mysql://u:hunter22@h/db", "scheme 'mysql:'")]
    [InlineData("duckdb:", "names no file")]
    [InlineData("jsonl:", "names no directory")]
    [InlineData("just-a-word", "unsupported destination 'just-a-word'")]
    [InlineData("postgres://u@h/db?schema=", "schema is empty")]
    [InlineData("host=h nonsense_option=1", "'nonsense_option'")]
    [InlineData("host=h password=x hunter22", "part 3 has no '='")]
    public void Anything_else_is_a_clear_config_error_without_secrets(string text, string expected)
    {
        var e = Assert.Throws<ConfigException>(() => DestinationUri.Parse(text));
        Assert.Contains(expected, e.Message);
        Assert.DoesNotContain("hunter22", e.Message);
    }
}
