using System.Text;
using System.Text.Json.Nodes;
using FedChat.Core.Signing;

namespace FedChat.Tests.Signing;

/// <summary>Reads the published test vectors copied into Signing/TestVectors (see the README there).</summary>
internal static class TestVectorFiles
{
    public static JsonObject Load(string fileName)
    {
        // The files are copied next to the test assembly; tests never read the shared folder.
        var path = Path.Combine(AppContext.BaseDirectory, "Signing", "TestVectors", fileName);
        return JsonNode.Parse(File.ReadAllText(path))!.AsObject();
    }

    /// <summary>
    /// Turns a printed HTTP/1.1 request ("POST /foo HTTP/1.1\nHost: ...\n\nbody") into the request
    /// model, with the URL built from the Host header. Repeated header lines are joined by the model.
    /// </summary>
    public static SignableRequest ParseRawRequest(string raw, string scheme = "https")
    {
        var split = raw.IndexOf("\n\n", StringComparison.Ordinal);
        var head = split < 0 ? raw : raw[..split];
        var body = split < 0 ? null : raw[(split + 2)..];
        var lines = head.Split('\n');
        var requestLine = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(line =>
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            return new KeyValuePair<string, string>(line[..colon], line[(colon + 1)..].Trim());
        }).ToList();
        var host = headers.First(h => h.Key.Equals("Host", StringComparison.OrdinalIgnoreCase)).Value;
        var url = new Uri($"{scheme}://{host}{requestLine[1]}");
        return new SignableRequest(requestLine[0], url, headers, string.IsNullOrEmpty(body) ? null : Encoding.UTF8.GetBytes(body));
    }

    public static string Text(this JsonNode? node) => node!.GetValue<string>();
}
