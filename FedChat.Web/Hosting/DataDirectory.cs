namespace FedChat.Web.Hosting;

/// <summary>Works out where a server keeps its database and key ring.</summary>
public static class DataDirectory
{
    /// <summary>
    /// Uses <c>FedChat:DataDirectory</c> when set (relative paths are taken from the current
    /// directory, as a user typing <c>--FedChat:DataDirectory=./data/b</c> expects). Otherwise
    /// <c>./data/fedchat-PORT</c>, so two servers started on different ports never share a database.
    /// </summary>
    public static string Resolve(IConfiguration configuration)
    {
        var configured = configuration["FedChat:DataDirectory"];
        var path = string.IsNullOrWhiteSpace(configured)
            ? Path.Combine("data", $"fedchat-{FirstPort(configuration["urls"]) ?? 5080}")
            : configured;
        return Path.GetFullPath(path);
    }

    /// <summary>Reads the port of the first URL in a <c>--urls</c> value such as <c>http://0.0.0.0:5081;...</c>.</summary>
    public static int? FirstPort(string? urls)
    {
        var first = urls?.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault();
        if (first is null)
        {
            return null;
        }
        // Kestrel accepts wildcard hosts (http://*:5080, http://+:5080) that Uri does not parse.
        var parsable = first.Replace("://*", "://0.0.0.0").Replace("://+", "://0.0.0.0");
        return Uri.TryCreate(parsable, UriKind.Absolute, out var uri) && uri.Port > 0 ? uri.Port : null;
    }
}
