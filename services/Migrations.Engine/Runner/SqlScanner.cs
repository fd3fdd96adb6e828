namespace DevLauncher.Migrations.Engine;

internal enum SqlTokenKind
{
    /// <summary>An identifier or key word (unquoted).</summary>
    Word,
    Semicolon,
    OpenParenthesis,
    CloseParenthesis,

    /// <summary>A backslash outside quotes and comments: psql reads it as a meta-command.</summary>
    Backslash,

    /// <summary>Anything else: a quoted string or identifier, a dollar-quoted body, a number, an operator.</summary>
    Other,
}

internal readonly record struct SqlToken(SqlTokenKind Kind, int Offset, int Length);

/// <summary>
/// Reads SQL text as psql's lexer does, one token at a time: whitespace and comments are skipped, quoted strings,
/// quoted identifiers and dollar-quoted bodies are single tokens, so nothing inside them is ever read as SQL.
/// </summary>
internal sealed class SqlScanner(string sql)
{
    /// <summary>Where the next token is looked for; the splitter moves it past COPY data.</summary>
    public int Position { get; set; }

    public SqlToken? Next()
    {
        SkipBlanksAndComments();
        if (Position >= sql.Length)
        {
            return null;
        }

        var start = Position;
        var kind = ReadToken();
        return new SqlToken(kind, start, Position - start);
    }

    private SqlTokenKind ReadToken()
    {
        var c = sql[Position];
        if (SingleCharacter(c) is { } kind)
        {
            Position++;
            return kind;
        }

        if (c is '\'' or '"')
        {
            Position = SkipQuoted(Position, c, backslashEscapes: false);
            return SqlTokenKind.Other;
        }

        if (c == '$' && DollarTag(Position) is { } tag)
        {
            var end = sql.IndexOf(tag, Position + tag.Length, StringComparison.Ordinal);
            Position = end < 0 ? sql.Length : end + tag.Length;
            return SqlTokenKind.Other;
        }

        return IsIdentifierStart(c) ? ReadWordOrEscapeString() : ReadOther();
    }

    private static SqlTokenKind? SingleCharacter(char c) => c switch
    {
        ';' => SqlTokenKind.Semicolon,
        '(' => SqlTokenKind.OpenParenthesis,
        ')' => SqlTokenKind.CloseParenthesis,
        '\\' => SqlTokenKind.Backslash,
        _ => null,
    };

    /// <summary>A number or an operator, a character at a time: no rule needs more of it.</summary>
    private SqlTokenKind ReadOther()
    {
        Position++;
        return SqlTokenKind.Other;
    }

    /// <summary>A word, or E'...' (a string with backslash escapes) when the word is a lone E touching a quote.</summary>
    private SqlTokenKind ReadWordOrEscapeString()
    {
        var start = Position;
        while (Position < sql.Length && IsIdentifierChar(sql[Position]))
        {
            Position++;
        }

        if (Position - start == 1 && (sql[start] is 'E' or 'e') && Position < sql.Length && sql[Position] == '\'')
        {
            Position = SkipQuoted(Position, '\'', backslashEscapes: true);
            return SqlTokenKind.Other;
        }

        return SqlTokenKind.Word;
    }

    private void SkipBlanksAndComments()
    {
        while (Position < sql.Length)
        {
            if (char.IsWhiteSpace(sql[Position]))
            {
                Position++;
            }
            else if (sql[Position] == '-' && At(Position + 1) == '-')
            {
                var end = sql.IndexOf('\n', Position);
                Position = end < 0 ? sql.Length : end + 1;
            }
            else if (sql[Position] == '/' && At(Position + 1) == '*')
            {
                Position = SkipBlockComment(Position);
            }
            else
            {
                return;
            }
        }
    }

    private char At(int i) => i < sql.Length ? sql[i] : '\0';

    private int SkipBlockComment(int i)
    {
        // PostgreSQL's block comments nest.
        var depth = 0;
        while (i < sql.Length)
        {
            var opens = sql[i] == '/' && At(i + 1) == '*';
            var closes = sql[i] == '*' && At(i + 1) == '/';
            depth += opens ? 1 : closes ? -1 : 0;
            i += opens || closes ? 2 : 1;
            if (closes && depth == 0)
            {
                return i;
            }
        }

        return sql.Length;
    }

    private int SkipQuoted(int i, char quote, bool backslashEscapes)
    {
        i++;
        while (i < sql.Length)
        {
            if (backslashEscapes && sql[i] == '\\')
            {
                i += 2;
            }
            else if (sql[i] == quote && At(i + 1) == quote)
            {
                i += 2; // a doubled quote is a quote inside the text
            }
            else if (sql[i] == quote)
            {
                return i + 1;
            }
            else
            {
                i++;
            }
        }

        return sql.Length;
    }

    /// <summary>The <c>$tag$</c> opening a dollar-quoted string at <paramref name="i"/>, or null ($1 is a parameter).</summary>
    private string? DollarTag(int i)
    {
        var j = i + 1;
        while (j < sql.Length && (IsIdentifierStart(sql[j]) || (j > i + 1 && char.IsDigit(sql[j]))))
        {
            j++;
        }

        return j < sql.Length && sql[j] == '$' ? sql[i..(j + 1)] : null;
    }

    private static bool IsIdentifierStart(char c) => char.IsLetter(c) || c == '_';

    private static bool IsIdentifierChar(char c) => char.IsLetterOrDigit(c) || c is '_' or '$';
}
