namespace DevLauncher.Migrations.Runner;

/// <summary>One statement of a migration file and where it starts in the file.</summary>
public readonly record struct SqlStatement(string Text, int Offset);

/// <summary>
/// Splits a migration file at top-level semicolons, skipping quoted text, dollar-quoted bodies and comments.
/// Hand-written because Npgsql's splitter is internal and we need each statement's offset: it turns PostgreSQL's
/// error position into a line of the file, and lets a no-transaction file run its statements one by one (PostgreSQL
/// runs a multi-statement message as one implicit transaction, which CREATE INDEX CONCURRENTLY refuses).
/// Not handled: a SQL-standard function body (BEGIN ATOMIC ... END) holds semicolons; write such functions with $$.
/// </summary>
public static class SqlStatementSplitter
{
    public static IReadOnlyList<SqlStatement> Split(string sql)
    {
        var statements = new List<SqlStatement>();
        var start = 0;
        var i = 0;
        while (i < sql.Length)
        {
            var c = sql[i];
            if (c == '-' && Next(sql, i) == '-')
            {
                i = IndexOrEnd(sql, '\n', i);
            }
            else if (c == '/' && Next(sql, i) == '*')
            {
                i = SkipBlockComment(sql, i);
            }
            else if (c == '\'')
            {
                var backslashEscapes = i > 0 && (sql[i - 1] is 'E' or 'e') && (i < 2 || !IsIdentifierChar(sql[i - 2]));
                i = SkipQuoted(sql, i, '\'', backslashEscapes);
            }
            else if (c == '"')
            {
                i = SkipQuoted(sql, i, '"', backslashEscapes: false);
            }
            else if (c == '$' && DollarTag(sql, i) is { } tag)
            {
                var end = sql.IndexOf(tag, i + tag.Length, StringComparison.Ordinal);
                i = end < 0 ? sql.Length : end + tag.Length;
            }
            else if (c == ';')
            {
                Add(statements, sql, start, i);
                start = ++i;
            }
            else
            {
                i++;
            }
        }

        Add(statements, sql, start, sql.Length);
        return statements;
    }

    private static void Add(List<SqlStatement> statements, string sql, int start, int end)
    {
        var text = sql[start..end];
        if (HasCode(text))
        {
            var leading = text.Length - text.TrimStart().Length;
            statements.Add(new SqlStatement(text.Trim(), start + leading));
        }
    }

    /// <summary>A piece of only blanks and comments is not a statement.</summary>
    private static bool HasCode(string text)
    {
        var i = 0;
        while (i < text.Length)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                i++;
            }
            else if (text[i] == '-' && Next(text, i) == '-')
            {
                i = IndexOrEnd(text, '\n', i);
            }
            else if (text[i] == '/' && Next(text, i) == '*')
            {
                i = SkipBlockComment(text, i);
            }
            else
            {
                return true;
            }
        }

        return false;
    }

    private static char Next(string s, int i) => i + 1 < s.Length ? s[i + 1] : '\0';

    private static int IndexOrEnd(string s, char c, int from)
    {
        var index = s.IndexOf(c, from);
        return index < 0 ? s.Length : index + 1;
    }

    private static int SkipBlockComment(string s, int i)
    {
        // PostgreSQL's block comments nest.
        var depth = 0;
        while (i < s.Length)
        {
            if (s[i] == '/' && Next(s, i) == '*')
            {
                depth++;
                i += 2;
            }
            else if (s[i] == '*' && Next(s, i) == '/')
            {
                i += 2;
                if (--depth == 0)
                {
                    return i;
                }
            }
            else
            {
                i++;
            }
        }

        return s.Length;
    }

    private static int SkipQuoted(string s, int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < s.Length)
        {
            if (backslashEscapes && s[i] == '\\')
            {
                i += 2;
            }
            else if (s[i] == quote)
            {
                if (Next(s, i) == quote)
                {
                    i += 2; // a doubled quote is a quote inside the text
                }
                else
                {
                    return i + 1;
                }
            }
            else
            {
                i++;
            }
        }

        return s.Length;
    }

    /// <summary>The <c>$tag$</c> opening a dollar-quoted string at <paramref name="i"/>, or null ($1 is a parameter).</summary>
    private static string? DollarTag(string s, int i)
    {
        if (i > 0 && IsIdentifierChar(s[i - 1]))
        {
            return null;
        }

        var j = i + 1;
        while (j < s.Length && (char.IsLetter(s[j]) || s[j] == '_' || (j > i + 1 && char.IsDigit(s[j]))))
        {
            j++;
        }

        return j < s.Length && s[j] == '$' ? s[i..(j + 1)] : null;
    }

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';
}
