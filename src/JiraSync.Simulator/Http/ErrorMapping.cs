using Microsoft.AspNetCore.Http;

namespace JiraSync.Simulator.Http;

/// <summary>Maps exceptions thrown while rendering to Jira's error bodies, before any byte is sent.</summary>
public static class ErrorMapping
{
    public static async Task Handle(HttpContext ctx, RequestDelegate next)
    {
        try { await next(ctx); }
        catch (Exception ex) when (!ctx.Response.HasStarted
                                   && ex is Jql.JqlException or KeyNotFoundException or ArgumentException or Endpoints.IssueNotFound)
        {
            var (status, message) = ex switch
            {
                Jql.JqlException => (400, ex.Message),
                KeyNotFoundException => (404, ex.Message),
                ArgumentException => (400, ex.Message),
                _ => (404, "Issue does not exist or you do not have permission to see it."),
            };
            ctx.Response.Clear();
            await JsonOut.Error(ctx, status, message);
        }
    }
}
