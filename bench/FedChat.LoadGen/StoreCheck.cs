using Microsoft.Data.Sqlite;

namespace FedChat.LoadGen;

/// <summary>
/// Reads the server's SQLite file (read-only; WAL lets us read while it runs) to check what the
/// inbox promised: every accepted activity is stored exactly once, with its post, and refused ones
/// are not stored at all.
/// </summary>
internal sealed class StoreCheck(string databaseFile)
{
    /// <summary>How many rows of <paramref name="table"/> have <paramref name="column"/> starting with <paramref name="prefix"/>, and how many distinct values.</summary>
    public async Task<(long Rows, long Distinct)> CountAsync(string table, string column, string prefix)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        // Table and column names are ours (constants in Program), never input.
        command.CommandText = $"SELECT COUNT(*), COUNT(DISTINCT {column}) FROM {table} WHERE substr({column}, 1, length($prefix)) = $prefix";
        command.Parameters.AddWithValue("$prefix", prefix);
        await using var reader = await command.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }

    /// <summary>How many rows of <paramref name="table"/> have <paramref name="column"/> in <paramref name="values"/>.</summary>
    public async Task<long> CountInAsync(string table, string column, IEnumerable<string> values)
    {
        await using var connection = new SqliteConnection($"Data Source={databaseFile};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        long total = 0;
        foreach (var value in values)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE {column} = $value";
            command.Parameters.AddWithValue("$value", value);
            total += (long)(await command.ExecuteScalarAsync())!;
        }
        return total;
    }
}
