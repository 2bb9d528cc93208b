using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using FedChat.Core.Signing;

namespace FedChat.Tests.Support;

/// <summary>
/// Sends signed POSTs to an inbox the way another server would, with hooks to tamper with the request
/// after signing — for the "who is guilherme?" tests.
/// </summary>
internal static class SignedSender
{
    /// <summary>Signs <paramref name="activity"/> with draft-cavage and sends it; <paramref name="tamper"/> may change the request after signing.</summary>
    public static async Task<HttpResponseMessage> PostAsync(Uri inbox, JsonObject activity, RSA key, string keyId,
        TimeProvider? clock = null, Func<SignableRequest, SignableRequest>? tamper = null)
    {
        var body = Encoding.UTF8.GetBytes(activity.ToJsonString());
        var unsigned = new SignableRequest("POST", inbox, [new("Content-Type", "application/activity+json")], body);
        var signed = DraftCavageSignatures.SignRequest(unsigned, key, keyId, clock ?? TimeProvider.System);
        return await SendAsync(tamper is null ? signed : tamper(signed));
    }

    /// <summary>Sends a request exactly as given: headers and body.</summary>
    public static async Task<HttpResponseMessage> SendAsync(SignableRequest request)
    {
        using var client = new HttpClient();
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), request.Url)
        {
            Content = new ByteArrayContent(request.Body ?? []),
        };
        message.Content.Headers.ContentType = new MediaTypeHeaderValue("application/activity+json");
        request.CopyHeadersTo(message);
        return await client.SendAsync(message);
    }
}
