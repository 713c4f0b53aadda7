namespace JiraSync.Simulator.Jql;

/// <summary>A query Jira would reject with 400; Message becomes the errorMessages entry.</summary>
public sealed class JqlException(string message) : Exception(message);
