namespace JiraSync.Loading;

/// <summary>
/// PostgreSQL serializes nothing between two sessions that create the same table, schema or view at once: both see it
/// missing, and the second fails on the catalog's unique index ("duplicate key value violates unique constraint
/// pg_type_typname_nsp_index"), or "tuple concurrently updated" for views. Partitioned syncs (several processes loading
/// one schema) therefore take a transaction advisory lock around every schema change, keyed by database and schema:
/// <see cref="Tables"/> for the loaded tables, the state and the run history; <see cref="Analytics"/> for the tables and
/// views the analytics layer derives inside batch transactions (a separate key, so a batch holding row locks never waits
/// for a session that waits for the batch's tables).
/// </summary>
public static class SchemaChangeLock
{
    /// <summary>The SQL expression (a bigint) of the lock on schema changes of <paramref name="schema"/>'s tables.</summary>
    /// <param name="schema">The destination schema, as a plain name.</param>
    public static string Key(string schema) => $"hashtext('jirasync-ddl:' || current_database() || ':' || {SqlText.Literal(schema)})";

    /// <summary>A statement that holds <see cref="Key"/> until the transaction ends.</summary>
    /// <param name="schema">The destination schema, as a plain name.</param>
    public static string Tables(string schema) => $"SELECT pg_advisory_xact_lock({Key(schema)})";

    /// <summary>The SQL expression of the lock on the analytics tables and views, keyed by a table reference of the
    /// destination (its schema-qualified <c>field_history</c>).</summary>
    /// <param name="tableRef">A quoted, schema-qualified table reference, as the dialect writes it.</param>
    public static string Analytics(string tableRef) => $"hashtext('jirasync-ddl-analytics:' || current_database() || ':' || {SqlText.Literal(tableRef)})";
}
