namespace DevLauncher.Migrations.Engine;

/// <summary>One statement of a migration file and where it starts in the file.</summary>
/// <param name="Keywords">
/// The first tokens outside parentheses, upper-cased when they are words, for the rules that look at what a statement
/// is (BEGIN, COMMIT, COPY ... FROM STDIN). A quoted name or string is kept as written, so it never reads as a key word.
/// </param>
/// <param name="CopyData">For <c>COPY ... FROM stdin</c>: the data lines that follow it in the file.</param>
internal sealed record SqlStatement(string Text, int Offset, IReadOnlyList<string> Keywords, CopyData? CopyData = null);

/// <summary>The rows of a <c>COPY ... FROM stdin</c>, each ending in a newline, without the closing <c>\.</c> line.</summary>
/// <param name="Offset">Where the first row starts in the file.</param>
internal sealed record CopyData(string Text, int Offset);

/// <summary>A file that cannot be applied as written, and where: found before anything is applied.</summary>
internal sealed class SqlScriptException(string message, int offset) : Exception(message)
{
    public int Offset { get; } = offset;
}

/// <summary>
/// Splits a migration file into statements where psql does: at semicolons outside quotes, comments, dollar-quoted
/// bodies, parentheses and SQL-standard function bodies (BEGIN ATOMIC ... END); the lines after
/// <c>COPY ... FROM stdin;</c> are that statement's data, up to a line <c>\.</c>. Hand-written because Npgsql's
/// splitter is internal and knows neither COPY data nor BEGIN ATOMIC, and we need each statement's offset: it turns
/// PostgreSQL's error position into a line of the file, and lets a no-transaction file run its statements one by one.
/// </summary>
internal static class SqlStatementSplitter
{
    /// <exception cref="SqlScriptException">A psql meta-command, or COPY data that does not start on its own line.</exception>
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        var scanner = new SqlScanner(sql);
        var current = new StatementBuilder(sql);
        while (scanner.Next() is { } token)
        {
            if (token.Kind == SqlTokenKind.Backslash)
            {
                throw MetaCommand(sql, token.Offset);
            }

            if (current.Add(token))
            {
                AddIfAny(statements, current, () => ReadCopyData(sql, scanner));
                current = new StatementBuilder(sql);
            }
        }

        // psql sends an unterminated last statement at the end of the file too.
        AddIfAny(statements, current, () => new CopyData("", sql.Length));
        return statements;
    }

    /// <param name="copyData">Read only for <c>COPY ... FROM stdin</c>, whose rows follow the statement.</param>
    private static void AddIfAny(List<SqlStatement> statements, StatementBuilder statement, Func<CopyData> copyData)
    {
        if (statement.HasTokens)
        {
            statements.Add(statement.Build(CopyStatement.IsFromStdin(statement.Keywords) ? copyData() : null));
        }
    }

    /// <summary>As psql reads it: the rows start on the line after the statement and end at a line <c>\.</c> or the end of the file.</summary>
    private static CopyData ReadCopyData(string sql, SqlScanner scanner)
    {
        var lineEnd = sql.IndexOf('\n', scanner.Position);
        var restOfLine = sql[scanner.Position..(lineEnd < 0 ? sql.Length : lineEnd)];
        if (!string.IsNullOrWhiteSpace(restOfLine))
        {
            throw new SqlScriptException("COPY ... FROM stdin must end its line: its rows start on the next line", scanner.Position);
        }

        var start = lineEnd < 0 ? sql.Length : lineEnd + 1;
        var (end, next) = EndOfCopyData(sql, start);
        scanner.Position = next;
        return new CopyData(sql[start..end], start);
    }

    /// <returns>Where the rows end, and where the SQL goes on: after the line <c>\.</c>, or the end of the file without one.</returns>
    private static (int End, int Next) EndOfCopyData(string sql, int start)
    {
        for (var position = start; position < sql.Length;)
        {
            var end = sql.IndexOf('\n', position);
            var next = end < 0 ? sql.Length : end + 1;
            if (sql.AsSpan(position, (end < 0 ? sql.Length : end) - position).SequenceEqual("\\."))
            {
                return (position, next);
            }

            position = next;
        }

        return (sql.Length, sql.Length);
    }

    private static SqlScriptException MetaCommand(string sql, int offset)
    {
        var end = offset + 1;
        while (end < sql.Length && !char.IsWhiteSpace(sql[end]) && sql[end] != '\\')
        {
            end++;
        }

        return new SqlScriptException(
            $"psql meta-command {sql[offset..end]} is not supported: the worker sends SQL to the server, and backslash " +
            "commands are psql's own. Remove it (put what \\i or \\ir would include into the file itself; the worker " +
            "connects once, to the configured database)", offset);
    }

    /// <summary>The tokens of the statement being read, and whether a semicolon ends it.</summary>
    private sealed class StatementBuilder(string sql)
    {
        private const int KeywordLimit = 24;
        private readonly List<string> _keywords = [];
        private readonly List<string> _firstWords = [];
        private int _start = -1;
        private int _end;
        private int _parenthesisDepth;
        private int _beginDepth;

        public bool HasTokens => _start >= 0;

        public IReadOnlyList<string> Keywords => _keywords;

        /// <returns>True when <paramref name="token"/> is the semicolon that ends the statement.</returns>
        public bool Add(SqlToken token)
        {
            if (token.Kind == SqlTokenKind.Semicolon && _parenthesisDepth == 0 && _beginDepth == 0)
            {
                return true;
            }

            _start = _start < 0 ? token.Offset : _start;
            _end = token.Offset + token.Length;
            ReadWords(token);
            _parenthesisDepth += token.Kind switch
            {
                SqlTokenKind.OpenParenthesis => 1,
                SqlTokenKind.CloseParenthesis when _parenthesisDepth > 0 => -1,
                _ => 0,
            };
            return false;
        }

        /// <summary>The key words, and the words that open or close a function body.</summary>
        private void ReadWords(SqlToken token)
        {
            // Text only where a rule reads it: a long INSERT has millions of tokens and no use for theirs.
            var isWord = token.Kind == SqlTokenKind.Word;
            var keyword = _parenthesisDepth == 0 && _keywords.Count < KeywordLimit;
            if (!keyword && !(isWord && (_firstWords.Count < 4 || IsRoutineDefinition())))
            {
                return;
            }

            var text = sql.Substring(token.Offset, token.Length);
            var word = isWord ? text.ToUpperInvariant() : null;
            if (keyword)
            {
                _keywords.Add(word ?? text);
            }

            if (word is not null)
            {
                TrackFunctionBody(word);
            }
        }

        public SqlStatement Build(CopyData? copyData) => new(sql[_start.._end], _start, _keywords, copyData);

        /// <summary>
        /// psql's rule (psqlscan.l): in CREATE [OR REPLACE] FUNCTION|PROCEDURE, outside parentheses, BEGIN opens a body
        /// that END closes, and CASE inside it also ends with END; semicolons inside do not end the statement.
        /// </summary>
        private void TrackFunctionBody(string word)
        {
            if (_firstWords.Count < 4)
            {
                _firstWords.Add(word);
            }

            if (_parenthesisDepth > 0 || !IsRoutineDefinition())
            {
                return;
            }

            _beginDepth += word switch
            {
                "BEGIN" => 1,
                "CASE" when _beginDepth > 0 => 1,
                "END" when _beginDepth > 0 => -1,
                _ => 0,
            };
        }

        private bool IsRoutineDefinition() =>
            _firstWords is ["CREATE", "FUNCTION" or "PROCEDURE", ..] or ["CREATE", "OR", "REPLACE", "FUNCTION" or "PROCEDURE"];
    }
}
