using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using FedChat.Core.ActivityStreams;
using FedChat.Core.Events;
using FedChat.Core.Federation.Delivery;
using FedChat.Core.Signing;
using FedChat.Core.Storage.Entities;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace FedChat.Core.Federation.Inbox;

/// <summary>What the inbox answers: an HTTP status and, for refusals, the reason.</summary>
/// <param name="StatusCode">202 when accepted; 400 or 401 when refused.</param>
/// <param name="Title">A short summary.</param>
/// <param name="Detail">The exact reason, for the sender (and the forge lab).</param>
public sealed record InboxResult(int StatusCode, string Title, string? Detail = null)
{
    /// <summary>Gets whether the activity was accepted (or was an already-known duplicate).</summary>
    public bool Accepted => StatusCode is >= 200 and < 300;
}

/// <summary>
/// The inbox pipeline, one visible step after another: parse → verify the HTTP signature →
/// verify the author's proof → check who may speak for the actor → drop replays and duplicates →
/// store it with its verification record and a queue row → tell open pages → answer 202; the
/// <see cref="InboxWorker"/> then acts on it (<see cref="ActivityHandlers"/>) in the background. Anything that fails a step is refused
/// with its own reason and nothing is stored.
/// </summary>
public sealed class InboxProcessor(
    InboxQueue queue,
    RemoteKeys keys,
    ReplayGuard replays,
    EventFeed events,
    TimeProvider time,
    IOptions<FederationOptions> options,
    ILogger<InboxProcessor> logger)
{
    private readonly HttpSignatureVerifier _verifier = new(time, new SignatureVerificationOptions
    {
        ClockSkew = options.Value.ClockSkew,
        MaxAge = options.Value.MaxSignatureAge,
    });

    private readonly ProofVerificationOptions _proofOptions = new() { Time = time, ClockSkew = options.Value.ClockSkew };

    /// <summary>Handles one POST to an inbox. Never throws for bad input: it answers 4xx with a reason.</summary>
    public async Task<InboxResult> ReceiveAsync(SignableRequest request, CancellationToken cancellationToken = default)
    {
        // 1. Parse: a JSON object with an id, a type and an actor.
        if (!TryParse(request.Body, out var activity, out var id, out var type, out var actorId, out var parseError))
        {
            return Reject(400, "Malformed activity", parseError, null, null);
        }

        // 2. The HTTP signature: which key signed this request, and is the request unchanged?
        var verification = await VerifySignatureAsync(request, cancellationToken);
        if (!verification.IsValid)
        {
            return Reject(401, "Signature not accepted", verification.FailureReason, actorId, verification.KeyId);
        }
        var signer = verification.Key?.Owner ?? "";

        // 3. The author's own proof on the activity (FEP-8b32). Missing is allowed (most servers do not
        //    send one yet), and so is a cryptosuite we do not know (it counts as missing); present, known
        //    and wrong is not: the activity was changed after its author signed it. The proof's key counts
        //    only when the actor's own document lists it (RemoteKeys).
        ProofVerification proof;
        try
        {
            proof = await ObjectProofs.VerifyProofAsync(activity, (method, ct) => keys.FetchProofKeyAsync(method, actorId, refresh: false, ct), _proofOptions, cancellationToken);
            if (proof.Failure == ProofFailure.SignatureMismatch)
            {
                // The key may be cached from before the actor changed it: ask once more (rate-limited).
                proof = await ObjectProofs.VerifyProofAsync(activity, (method, ct) => keys.FetchProofKeyAsync(method, actorId, refresh: true, ct), _proofOptions, cancellationToken);
            }
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException)
        {
            // RFC 8785 cannot canonicalize every JSON text (a number like 1e400, a lone surrogate).
            return Reject(400, "Proof cannot be checked", $"The activity cannot be canonicalized to check its proof: {ex.Message}", actorId, verification.KeyId);
        }
        var proofStatus = proof.Failure switch
        {
            ProofFailure.None => "Verified",
            ProofFailure.MissingProof => "Missing",
            ProofFailure.UnsupportedCryptosuite => "Unsupported",
            _ => "Invalid",
        };
        if (proofStatus == "Invalid")
        {
            return Reject(401, "Proof not accepted", $"The activity's integrity proof does not verify: {proof.FailureReason}", actorId, verification.KeyId);
        }

        // 4. Who may speak for the actor: the actor's own key, or anyone carrying the actor's valid proof
        //    (a relaying server). Anything else could be a forgery: "I am bob", signed by mallory.
        if (signer != actorId && !proof.IsValid)
        {
            return Reject(401, "Signer is not the actor",
                $"The request is signed by {signer}, but the activity claims to be from {actorId}. Without a valid proof by {actorId} it could be a forgery.",
                actorId, verification.KeyId);
        }
        if (ActivityRules.CheckAuthorship(activity, id, type, actorId) is { } authorshipError)
        {
            return Reject(400, "Not the actor's to say", authorshipError, actorId, verification.KeyId);
        }

        // 5. Replays: only now, so refused requests cannot use up a signature.
        if (!replays.TryRecord(request.GetHeader("Signature") + "|" + request.GetHeader("Signature-Input")))
        {
            return Reject(401, "Replayed request", "This exact signed request was received before: it is a replay.", actorId, verification.KeyId);
        }

        // 6. What to store: the activity and how it was verified. A second delivery of the same
        //    activity is acknowledged and dropped (step 7).
        var relayed = request.GetHeader(RelayHeaders.PathHeader) is string path
            ? new RelayHeaders(path, request.GetHeader(RelayHeaders.CoveredHeader) ?? "")
            : null;
        var record = new ReceivedActivity
        {
            ActivityId = id,
            Type = type,
            ActorId = actorId,
            Json = ActivityRules.JsonToKeep(request.Body!, id, type, actorId),
            TransportKeyId = verification.KeyId ?? "",
            TransportSigner = signer,
            SignatureScheme = verification.Scheme,
            ProofStatus = proofStatus,
            ProofMethod = proof.VerificationMethod,
            ProofFailureReason = proof.IsValid ? null : proof.FailureReason,
            RelayPath = relayed is null ? null : string.Join(' ', RelayHeaders.Split(relayed.Path)),
            ReceivedAt = time.GetUtcNow(),
        };
        // 7. Record it durably with a row for the inbox worker, then answer. Acting on it (a post
        //    stored, a follow answered, a relay sent) happens in the background (InboxWorker), so the
        //    sender never waits for our handlers, and a crash after the 202 loses nothing.
        return await RecordAndQueueAsync(record, activity, relayed, request.Body!, cancellationToken);
    }

    /// <summary>Step 7: the durable record and the queue row, in one group-committed transaction (<see cref="InboxQueue"/>).</summary>
    private async Task<InboxResult> RecordAndQueueAsync(ReceivedActivity record, JsonObject activity, RelayHeaders? relayed, byte[] body, CancellationToken cancellationToken)
    {
        var item = new InboxItem
        {
            ActivityId = record.ActivityId,
            Type = record.Type,
            ActorId = record.ActorId,
            Json = body.Length <= ActivityRules.MaxStoredJsonBytes ? record.Json : Encoding.UTF8.GetString(body),
            RelayPath = relayed?.Path,
            RelayCovered = relayed?.Covered,
            ReceivedAt = record.ReceivedAt,
        };
        if (!await queue.RecordAsync(record, item, activity, cancellationToken))
        {
            logger.LogInformation("Duplicate {Type} {ActivityId} from {Actor} ignored", record.Type, record.ActivityId, record.ActorId);
            return new InboxResult(202, "Already received");
        }
        logger.LogInformation("Accepted {Type} {ActivityId} from {Actor}, signed by {Signer} ({Scheme}), proof {Proof}",
            record.Type, record.ActivityId, record.ActorId, record.TransportSigner, record.SignatureScheme, record.ProofStatus);
        events.Publish(new ActivityAccepted(record.ReceivedAt, record.ActivityId, record.Type, record.ActorId, record.TransportSigner, record.ProofStatus, record.RelayPath));
        return new InboxResult(202, "Accepted");
    }

    /// <summary>
    /// Verifies the HTTP signature. Keys are cached; when a cached key does not verify, the key is
    /// fetched once more, because the actor may have rotated it.
    /// </summary>
    private async Task<SignatureVerification> VerifySignatureAsync(SignableRequest request, CancellationToken cancellationToken)
    {
        string? fetchError = null;
        var usedCache = false;
        PublicKeyResolver resolve = async (keyId, ct) =>
        {
            var lookup = await keys.FetchPublicKeyAsync(keyId, refresh: false, ct);
            (fetchError, usedCache) = (lookup.Error, lookup.FromCache);
            return lookup.Key;
        };
        var verification = await _verifier.VerifyRequestAsync(request, resolve, cancellationToken);
        if (!verification.IsValid && verification.Failure == SignatureFailure.SignatureMismatch && usedCache)
        {
            PublicKeyResolver refetch = async (keyId, ct) => (await keys.FetchPublicKeyAsync(keyId, refresh: true, ct)).Key;
            verification = await _verifier.VerifyRequestAsync(request, refetch, cancellationToken);
        }
        if (verification.Failure == SignatureFailure.UnknownKey && fetchError is not null)
        {
            verification = verification with { FailureReason = fetchError };
        }
        return verification;
    }

    private InboxResult Reject(int status, string title, string? detail, string? actorId, string? keyId)
    {
        logger.LogWarning("Inbox refused a request ({Status} {Title}): {Detail} [actor {Actor}, key {KeyId}]", status, title, detail, actorId, keyId);
        events.Publish(new ActivityRejected(time.GetUtcNow(), status, detail ?? title, actorId, keyId));
        return new InboxResult(status, title, detail);
    }

    /// <summary>
    /// How inbox JSON is read: a key written twice (<c>{"id":"a","id":"b"}</c>) is refused, because two
    /// readers could each believe a different one.
    /// </summary>
    private static readonly JsonDocumentOptions StrictJson = new() { AllowDuplicateProperties = false, MaxDepth = 64 };

    private static bool TryParse(byte[]? body, out JsonObject activity, out string id, out string type, out string actorId, out string? error)
    {
        activity = null!;
        (id, type, actorId, error) = ("", "", "", null);
        try
        {
            if (body is null || body.Length == 0 || JsonNode.Parse(body, documentOptions: StrictJson) is not JsonObject parsed)
            {
                error = "The body must be a JSON object (an ActivityStreams activity).";
                return false;
            }
            activity = parsed;
            id = (string?)parsed["id"] ?? "";
            type = (string?)parsed["type"] ?? "";
            // The actor may be written as its id or as an embedded object with an id.
            actorId = ActivityStreamsJson.IdOf(parsed["actor"]) ?? "";
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException or ArgumentException)
        {
            error = $"The body is not valid activity JSON: {ex.Message}";
            return false;
        }
        error = (id, type, actorId) switch
        {
            ("", _, _) => "The activity has no id.",
            (_, "", _) => "The activity has no type.",
            (_, _, "") => "The activity has no actor.",
            _ when !ActivityRules.IsHttpUrl(id) || !ActivityRules.IsHttpUrl(actorId) => "The activity's id and actor must be http(s) URLs of at most 2,048 characters.",
            _ when type.Length > 100 => "The activity's type is not a type name.",
            _ => null,
        };
        return error is null;
    }
}
