using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Federation.Inbox;

/// <summary>
/// Remembers the signatures of requests already accepted, until they would have expired anyway, so a
/// captured request sent again (a replay) is refused. Senders sign each attempt afresh, so honest
/// retries always carry a new signature.
/// </summary>
public sealed class ReplayGuard(TimeProvider time, IOptions<FederationOptions> options)
{
    /// <summary>The most signatures remembered; beyond that the oldest are dropped (bounded memory).</summary>
    public const int Capacity = 50_000;

    private readonly ConcurrentDictionary<string, DateTimeOffset> _seen = new();

    /// <summary>Records a signature. Returns <c>false</c> when the same signature was seen before: a replay.</summary>
    public bool TryRecord(string signatureHeaders)
    {
        var now = time.GetUtcNow();
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(signatureHeaders)));
        var forgetAt = now + options.Value.MaxSignatureAge + options.Value.ClockSkew;
        if (_seen.TryGetValue(key, out var until) && until > now)
        {
            return false;
        }
        _seen[key] = forgetAt;
        if (_seen.Count > Capacity)
        {
            Prune(now);
        }
        return true;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (key, until) in _seen)
        {
            if (until <= now)
            {
                _seen.TryRemove(key, out _);
            }
        }
        // Still full of live entries (a flood): drop the ones that expire soonest.
        foreach (var (key, _) in _seen.OrderBy(e => e.Value).Take(Math.Max(0, _seen.Count - Capacity)))
        {
            _seen.TryRemove(key, out _);
        }
    }
}
