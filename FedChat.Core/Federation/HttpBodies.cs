namespace FedChat.Core.Federation;

/// <summary>Reads what another server sends without trusting it to be small.</summary>
public static class HttpBodies
{
    /// <summary>
    /// Reads a response body of at most <paramref name="maxBytes"/>; anything larger (by its
    /// Content-Length or as it streams in) throws <see cref="FetchFailedException"/> naming <paramref name="what"/>.
    /// </summary>
    public static async Task<byte[]> ReadBoundedAsync(HttpContent content, int maxBytes, string what, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength > maxBytes)
        {
            throw new FetchFailedException($"{what} is {content.Headers.ContentLength} bytes; the limit is {maxBytes}.");
        }
        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw new FetchFailedException($"{what} is larger than the limit of {maxBytes} bytes.");
            }
            buffer.Write(chunk, 0, read);
        }
        return buffer.ToArray();
    }
}
