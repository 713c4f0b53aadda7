using JiraSync.Loading.Destinations;
using JiraSync.Config;
using JiraSync.Logging;
using JiraSync.Tests.Support;

namespace JiraSync.Tests.Redaction;

public class RedactionTests
{
    [Fact]
    public void A_secret_from_any_loaded_config_is_removed_by_every_redactor_even_one_made_without_it()
    {
        var unrelated = new Redactor([]);
        var secret = "tok-" + Guid.NewGuid().ToString("N");
        ConfigLoader.Parse($$"""{"base_url":"jira.example.com","username":"a@b.c","password":"{{secret}}"}""");
        Assert.Equal("unexpected: *** failed", unrelated.Redact($"unexpected: {secret} failed"));
    }

    [Theory]
    [InlineData("postgres://etl:{0}@db.example.com/dw")]
    [InlineData("host=db.example.com dbname=dw user=etl password={0}")]
    public void A_destination_password_is_removed_from_every_line(string template)
    {
        var secret = "pg-" + Guid.NewGuid().ToString("N");
        JiraSync.Loading.Destinations.DestinationUri.Parse(string.Format(template, secret));
        Assert.Equal("boom: ***", new Redactor([]).Redact($"boom: {secret}"));
    }

    [Fact]
    public async Task An_unexpected_error_line_never_shows_a_config_secret()
    {
        // A config whose start_date is fine but whose ca_cert path embeds the password: the file error quotes
        // the path, which must come out redacted like any other line the program prints.
        var dir = Directory.CreateTempSubdirectory("jirasync-redact-").FullName;
        var secret = "pw-" + Guid.NewGuid().ToString("N");
        var config = Path.Combine(dir, "config.json");
        File.WriteAllText(config, $$"""{"base_url":"https://127.0.0.1:1","username":"u","password":"{{secret}}","ca_cert":"/nonexistent/{{secret}}.pem"}""");
        var result = await CliRunner.RunAsync("check", "--config", config);
        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain(secret, result.StdErr + result.StdOut);
    }
}
