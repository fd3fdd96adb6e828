namespace DevLauncher.Migrations.Engine;

/// <summary>What a COPY statement does, from its key words outside parentheses.</summary>
internal static class CopyStatement
{
    public static bool IsFromStdin(IReadOnlyList<string> keywords) => Direction(keywords) is ("FROM", "STDIN");

    /// <summary>Null for a statement that is not COPY or is COPY ... FROM stdin; else why the worker refuses it.</summary>
    public static string? Refusal(IReadOnlyList<string> keywords) => Direction(keywords) switch
    {
        null or ("FROM", "STDIN") => null,
        ("TO", _) => "COPY ... TO writes data out of the database, which a migration has no use for; remove it",
        _ => "COPY ... FROM a file or a program reads it on the database server, not from the migration; " +
             "put the rows in the migration after COPY ... FROM stdin; and end them with a line \\.",
    };

    /// <returns>(FROM or TO, the word or token after it), or null when the statement is not a COPY.</returns>
    private static (string, string)? Direction(IReadOnlyList<string> keywords)
    {
        if (keywords is not ["COPY", ..])
        {
            return null;
        }

        for (var i = 1; i < keywords.Count; i++)
        {
            if (keywords[i] is "FROM" or "TO")
            {
                return (keywords[i], i + 1 < keywords.Count ? keywords[i + 1] : "");
            }
        }

        return null;
    }
}

/// <summary>
/// The statement-level rules a file must meet before anything is applied: no transaction control in a file the
/// worker wraps in its own transaction, transaction blocks closed by the end of a no-transaction file, and only the
/// COPY that psql feeds from the file itself.
/// </summary>
internal static class StatementRules
{
    /// <exception cref="SqlScriptException">The first statement that breaks a rule.</exception>
    public static void Check(IReadOnlyList<SqlStatement> statements, ScriptKind kind)
    {
        SqlStatement? openBlock = null;
        foreach (var statement in statements)
        {
            var control = TransactionControl.Of(statement.Keywords);
            if (Refusal(statement, control, kind) is { } refusal)
            {
                throw new SqlScriptException(refusal, statement.Offset);
            }

            openBlock = control switch
            {
                TransactionEffect.Opens => openBlock ?? statement,
                TransactionEffect.Closes => null,
                _ => openBlock,
            };
        }

        EnsureClosed(openBlock);
    }

    private static void EnsureClosed(SqlStatement? openBlock)
    {
        if (openBlock is not null)
        {
            throw new SqlScriptException(
                $"{Name(openBlock)} opens a transaction block that is never committed by the end of the file; the worker records " +
                "a no-transaction file after its last statement, outside any block, so end the block with COMMIT", openBlock.Offset);
        }
    }

    private static string? Refusal(SqlStatement statement, TransactionEffect control, ScriptKind kind) =>
        CopyStatement.Refusal(statement.Keywords) ?? control switch
        {
            TransactionEffect.None => null,
            TransactionEffect.TwoPhase => $"{Name(statement)} (two-phase commit) is not supported in a migration or a seed",
            _ when kind == ScriptKind.Migration =>
                $"{Name(statement)} controls the transaction, but the worker runs this file in one transaction together with its " +
                "history row, and a COMMIT or ROLLBACK in the file would end it without the row. Remove BEGIN/COMMIT (the worker " +
                $"wraps each file in a transaction), or make {ScriptText.NoTransactionMarker} the file's first line " +
                "to run its statements one by one with its own transaction blocks",
            _ when kind == ScriptKind.Seed =>
                $"{Name(statement)} controls the transaction, but the worker runs every seed in one transaction together with " +
                "their seed_history rows, and a COMMIT or ROLLBACK in the file would end it without them. Remove it",
            _ => null,
        };

    private static string Name(SqlStatement statement) =>
        string.Join(' ', statement.Keywords.Take(statement.Keywords is ["START" or "PREPARE" or "COMMIT" or "ROLLBACK", "TRANSACTION" or "PREPARED", ..] ? 2 : 1));
}

internal enum TransactionEffect
{
    None,
    Opens,
    Closes,

    /// <summary>Inside a block and leaves it open: COMMIT AND CHAIN, ROLLBACK AND CHAIN.</summary>
    Keeps,
    TwoPhase,
}

/// <summary>Transaction control statements (SAVEPOINT, RELEASE and ROLLBACK TO work inside the worker's transaction).</summary>
internal static class TransactionControl
{
    public static TransactionEffect Of(IReadOnlyList<string> keywords) => keywords switch
    {
        ["PREPARE", "TRANSACTION", ..] or ["COMMIT" or "ROLLBACK", "PREPARED", ..] => TransactionEffect.TwoPhase,
        ["BEGIN", ..] or ["START", "TRANSACTION", ..] => TransactionEffect.Opens,
        ["ROLLBACK" or "ABORT", "TO", ..] => TransactionEffect.None,
        ["COMMIT" or "END" or "ROLLBACK" or "ABORT", ..] => Chains(keywords) ? TransactionEffect.Keeps : TransactionEffect.Closes,
        _ => TransactionEffect.None,
    };

    /// <summary>SAVEPOINT, RELEASE and ROLLBACK TO: they work inside the transaction and name a savepoint of the file's.</summary>
    public static bool IsSavepoint(IReadOnlyList<string> keywords) =>
        keywords is ["SAVEPOINT", ..] or ["RELEASE", ..] or ["ROLLBACK" or "ABORT", "TO", ..];

    private static bool Chains(IReadOnlyList<string> keywords)
    {
        var and = keywords.ToList().IndexOf("AND");
        return and >= 0 && and + 1 < keywords.Count && keywords[and + 1] == "CHAIN";
    }
}
