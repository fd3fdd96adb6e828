using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Unicode;

namespace DevLauncher.Migrations.Engine;

/// <summary>A migration file's bytes as text: UTF-8, with or without a byte order mark, line endings normalised.</summary>
internal static class MigrationFileDecoder
{
    private static readonly UTF8Encoding Lenient = new(encoderShouldEmitUTF8Identifier: false);

    /// <returns>
    /// The text, and null or why the bytes are not UTF-8. The text of invalid bytes is still returned, decoded with
    /// replacement characters, because its checksum is what an earlier version of the worker recorded for the file.
    /// </returns>
    public static (string Text, string? Problem) Decode(ReadOnlySpan<byte> content)
    {
        var text = Lenient.GetString(content).TrimStart('\uFEFF').ReplaceLineEndings("\n");
        return (text, InvalidByte(content) is { } offset ? Describe(content, offset) : null);
    }

    /// <summary>The offset of the first byte that is not part of a valid UTF-8 sequence, or null.</summary>
    public static int? InvalidByte(ReadOnlySpan<byte> content)
    {
        var buffer = ArrayPool<char>.Shared.Rent(Math.Max(1, content.Length));
        try
        {
            var status = Utf8.ToUtf16(content, buffer, out var read, out _, replaceInvalidSequences: false);
            return status == OperationStatus.Done ? null : read;
        }
        finally
        {
            ArrayPool<char>.Shared.Return(buffer);
        }
    }

    private static string Describe(ReadOnlySpan<byte> content, int offset)
    {
        var invalid = content[offset];
        var line = 1 + content[..offset].Count((byte)'\n');
        return string.Create(CultureInfo.InvariantCulture,
            $"invalid byte 0x{invalid:X2} at byte offset {offset} (line {line}); psql refuses it too (invalid byte sequence for encoding \"UTF8\"). Save the file as UTF-8");
    }
}
