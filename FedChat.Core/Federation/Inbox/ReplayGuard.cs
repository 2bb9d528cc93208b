using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Federation.Inbox;

/// <summary>
/// Remembers the signatures of requests already accepted, until they would have expired anyway, so a
/// captured request sent again (a replay) is refused. Senders sign each attempt afresh, so honest
/// retries always carry a new signature.
/// </summary>
/// <remarks>
/// Every signature is remembered for the same length of time, so the oldest entry is always the
/// first to expire: a queue in arrival order is all the bookkeeping needed, and each request costs
/// the same whether 10 or 50,000 signatures are remembered (issue #16).
/// </remarks>
public sealed class ReplayGuard(TimeProvider time, IOptions<FederationOptions> options)
{
    /// <summary>The most signatures remembered; beyond that the oldest are dropped (bounded memory).</summary>
    public const int Capacity = 50_000;

    private readonly Lock _gate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<(string Key, DateTimeOffset ForgetAt)> _arrivals = new();

    /// <summary>How many signatures are remembered now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _seen.Count;
            }
        }
    }

    /// <summary>Records a signature. Returns <c>false</c> when the same signature was seen before: a replay.</summary>
    public bool TryRecord(string signatureHeaders)
    {
        var key = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(signatureHeaders)));
        var now = time.GetUtcNow();
        var forgetAt = now + options.Value.MaxSignatureAge + options.Value.ClockSkew;
        lock (_gate)
        {
            ForgetExpired(now);
            if (!_seen.Add(key))
            {
                return false;
            }
            _arrivals.Enqueue((key, forgetAt));
            // Full of live signatures (a flood): drop the oldest, which would expire first anyway.
            while (_seen.Count > Capacity && _arrivals.TryDequeue(out var oldest))
            {
                _seen.Remove(oldest.Key);
            }
            return true;
        }
    }

    private void ForgetExpired(DateTimeOffset now)
    {
        while (_arrivals.TryPeek(out var oldest) && oldest.ForgetAt <= now)
        {
            _arrivals.Dequeue();
            _seen.Remove(oldest.Key);
        }
    }
}
