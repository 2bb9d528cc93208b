namespace FedChat.Core.Signing;

/// <summary>
/// An HTTP request as the signing code sees it: method, absolute URL, header fields and body.
/// It is deliberately independent of any web framework, so that the same signing and verifying
/// code works for requests we send (<see cref="HttpRequestMessage"/>) and requests we receive
/// (the web app builds one from ASP.NET Core's <c>HttpRequest</c>).
/// </summary>
/// <remarks>
/// The object is immutable: <see cref="WithHeader"/> returns a copy. Header names are
/// case-insensitive (RFC 9110 §5.1). A field that arrived on several lines is stored as one value,
/// the lines joined with ", " in order, which is what both signature schemes sign
/// (draft-cavage-12 §2.3, RFC 9421 §2.1).
/// </remarks>
public sealed record SignableRequest
{
    private readonly Dictionary<string, string> _headers;

    /// <summary>Creates a request model.</summary>
    /// <param name="method">The HTTP method, for example <c>POST</c>.</param>
    /// <param name="url">The absolute URL the request was sent to.</param>
    /// <param name="headers">The header fields; repeated names are joined with ", ".</param>
    /// <param name="body">The body bytes, or <see langword="null"/> when there is none.</param>
    public SignableRequest(string method, Uri url, IEnumerable<KeyValuePair<string, string>> headers, byte[]? body = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(method);
        ArgumentNullException.ThrowIfNull(url);
        ArgumentNullException.ThrowIfNull(headers);
        if (!url.IsAbsoluteUri)
        {
            throw new ArgumentException("The URL must be absolute: signatures cover the host.", nameof(url));
        }

        Method = method;
        Url = url;
        Body = body;
        _headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in headers)
        {
            // Two lines of the same field count as one list-valued field (RFC 9110 §5.3).
            _headers[name] = _headers.TryGetValue(name, out var existing) ? existing + ", " + value : value;
        }
    }

    /// <summary>Gets the HTTP method, for example <c>POST</c>.</summary>
    public string Method { get; }

    /// <summary>Gets the absolute request URL.</summary>
    public Uri Url { get; }

    /// <summary>Gets the header fields; look-ups ignore the case of the name.</summary>
    public IReadOnlyDictionary<string, string> Headers => _headers;

    /// <summary>Gets the body bytes, or <see langword="null"/> when the request has none.</summary>
    public byte[]? Body { get; }

    /// <summary>Gets a header value, or <see langword="null"/> when the request does not have it.</summary>
    /// <param name="name">The header name, in any case.</param>
    /// <returns>The value, or <see langword="null"/>.</returns>
    public string? GetHeader(string name) => _headers.TryGetValue(name, out var value) ? value : null;

    /// <summary>Returns a copy of this request with one header set (replacing any value it had).</summary>
    /// <param name="name">The header name.</param>
    /// <param name="value">The header value.</param>
    /// <returns>The new request.</returns>
    public SignableRequest WithHeader(string name, string value)
    {
        var headers = new Dictionary<string, string>(_headers, StringComparer.OrdinalIgnoreCase) { [name] = value };
        return new SignableRequest(Method, Url, headers, Body);
    }

    /// <summary>
    /// Builds the model from an outgoing <see cref="HttpRequestMessage"/>, reading its content
    /// (request and content headers alike).
    /// </summary>
    /// <param name="message">The message; its <see cref="HttpRequestMessage.RequestUri"/> must be absolute.</param>
    /// <param name="cancellationToken">Cancels reading the body.</param>
    /// <returns>The request model.</returns>
    public static async Task<SignableRequest> FromHttpRequestMessageAsync(HttpRequestMessage message, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(message);
        var url = message.RequestUri ?? throw new ArgumentException("The request has no URL.", nameof(message));
        var headers = new List<KeyValuePair<string, string>>();
        foreach (var header in message.Headers)
        {
            headers.Add(new(header.Key, string.Join(", ", header.Value)));
        }

        // HttpClient fills in Host from the URL when it sends; a signature must cover the value
        // that will actually be sent, so we add it here when the caller did not set one.
        if (message.Headers.Host is null)
        {
            headers.Add(new("Host", url.IsDefaultPort ? url.Host : url.Authority));
        }

        byte[]? body = null;
        if (message.Content is not null)
        {
            body = await message.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            foreach (var header in message.Content.Headers)
            {
                headers.Add(new(header.Key, string.Join(", ", header.Value)));
            }
        }

        return new SignableRequest(message.Method.Method, url, headers, body);
    }

    /// <summary>
    /// Copies the headers that signing added (for example <c>Date</c>, <c>Digest</c>,
    /// <c>Signature</c>) onto an <see cref="HttpRequestMessage"/>, so that it is sent signed.
    /// </summary>
    /// <param name="message">The message to change.</param>
    public void CopyHeadersTo(HttpRequestMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        foreach (var (name, value) in _headers)
        {
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                continue; // HttpClient derives Host from the URL.
            }

            if (message.Content is not null && IsContentHeader(name))
            {
                message.Content.Headers.Remove(name);
                message.Content.Headers.TryAddWithoutValidation(name, value);
                continue;
            }

            message.Headers.Remove(name);
            // Without validation: HttpClient would otherwise re-format values such as Date, and the
            // signature covers the exact text.
            message.Headers.TryAddWithoutValidation(name, value);
        }
    }

    private static bool IsContentHeader(string name) =>
        name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase)
        && !name.Equals("Content-Digest", StringComparison.OrdinalIgnoreCase);
}
