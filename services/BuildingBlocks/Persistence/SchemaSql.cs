namespace Jtai.Strategy.BuildingBlocks.Persistence;

/// <summary>
/// The building blocks' SQL for one schema. The schema is a validated lower-case identifier fixed
/// in code (never user input); every value goes in as a parameter ({0}, {1}, ...).
/// </summary>
public sealed class SchemaSql
{
    public SchemaSql(string schema)
    {
        SchemaMigrator.ValidateIdentifier(schema);
        Schema = schema;
        ClaimOutboxBatch = $"SELECT * FROM {schema}.outbox_message WHERE dispatched_at IS NULL AND next_attempt_at <= now() ORDER BY sequence_number LIMIT {{0}} FOR UPDATE SKIP LOCKED";
        MarkDispatched = $"UPDATE {schema}.outbox_message SET dispatched_at = now(), attempts = attempts + 1, last_error = NULL WHERE message_id = ANY({{0}})";
        RescheduleOutbox = $"UPDATE {schema}.outbox_message SET attempts = attempts + 1, next_attempt_at = now() + {{0}}, last_error = {{1}} WHERE sequence_number = {{2}}";
        UnroutableOutboxTypes = $"SELECT message_type AS \"MessageType\", count(*)::int AS \"Pending\" FROM {schema}.outbox_message WHERE dispatched_at IS NULL AND last_error LIKE {{0}} GROUP BY message_type ORDER BY message_type";
        DeleteDispatched = $"DELETE FROM {schema}.outbox_message WHERE dispatched_at < now() - {{0}}";
        DeleteOldInbox = $"DELETE FROM {schema}.inbox_state WHERE processed_at < now() - {{0}}";
        InsertInbox = $"INSERT INTO {schema}.inbox_state (message_id, consumer, processed_at) VALUES ({{0}}, {{1}}, now()) ON CONFLICT DO NOTHING";
        CreateSeedsTable = $"CREATE TABLE IF NOT EXISTS {schema}.schema_seeds (id text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())";
        SeedApplied = $"SELECT count(*)::int AS \"Value\" FROM {schema}.schema_seeds WHERE id = {{0}}";
        InsertSeed = $"INSERT INTO {schema}.schema_seeds (id) VALUES ({{0}})";
        const string Pending = "fired_at IS NULL AND cancelled_at IS NULL AND due_at <= {1} AND (next_attempt_at IS NULL OR next_attempt_at <= {1})";
        ClaimDueDeadlines = $"SELECT * FROM {schema}.deadline WHERE {Pending.Replace("{1}", "{0}", StringComparison.Ordinal)} ORDER BY due_at LIMIT {{1}} FOR UPDATE SKIP LOCKED";
        ClaimDeadline = $"SELECT * FROM {schema}.deadline WHERE id = {{0}} AND {Pending} FOR UPDATE SKIP LOCKED";
        // Rows waiting for a retry are left to the poll interval, so the pending index answers this alone.
        NextDeadlineDue = $"SELECT due_at AS \"Value\" FROM {schema}.deadline WHERE fired_at IS NULL AND cancelled_at IS NULL AND next_attempt_at IS NULL ORDER BY due_at LIMIT 1";
    }

    /// <summary>The earliest due time of a pending deadline that is not waiting for a retry.</summary>
    public string NextDeadlineDue { get; }

    /// <summary>Due deadlines, oldest first: {0} now, {1} batch size.</summary>
    public string ClaimDueDeadlines { get; }

    /// <summary>One deadline if still due: {0} id, {1} now.</summary>
    public string ClaimDeadline { get; }

    public string Schema { get; }

    public string ClaimOutboxBatch { get; }

    public string MarkDispatched { get; }

    public string RescheduleOutbox { get; }

    /// <summary>Pending rows whose last publish was returned unroutable, per type: {0} the error's LIKE pattern.</summary>
    public string UnroutableOutboxTypes { get; }

    public string DeleteDispatched { get; }

    public string DeleteOldInbox { get; }

    public string InsertInbox { get; }

    public string CreateSeedsTable { get; }

    public string SeedApplied { get; }

    public string InsertSeed { get; }
}
