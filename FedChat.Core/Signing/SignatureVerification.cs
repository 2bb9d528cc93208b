namespace FedChat.Core.Signing;

/// <summary>Why a request's signature was rejected. The forge lab shows these next to the reason text.</summary>
public enum SignatureFailure
{
    /// <summary>The signature is valid.</summary>
    None,

    /// <summary>The request carries no signature at all.</summary>
    MissingSignature,

    /// <summary>A signature header could not be parsed, or contradicts itself.</summary>
    MalformedHeader,

    /// <summary>The key the signature names could not be found.</summary>
    UnknownKey,

    /// <summary>The algorithm is not one FedChat accepts, or does not fit the key.</summary>
    UnsupportedAlgorithm,

    /// <summary>The signature leaves out a part of the request that must be covered.</summary>
    RequiredComponentNotCovered,

    /// <summary>The request has a body but no digest header for it.</summary>
    DigestMissing,

    /// <summary>The digest header does not match the body.</summary>
    DigestMismatch,

    /// <summary>The Date header or created parameter is too far in the past or the future.</summary>
    OutsideTimeWindow,

    /// <summary>The signature's expires time has passed.</summary>
    Expired,

    /// <summary>The signature bytes do not match the request and key.</summary>
    SignatureMismatch,
}

/// <summary>The result of <see cref="HttpSignatureVerifier.VerifyRequestAsync"/>.</summary>
/// <param name="IsValid">Whether the request is signed validly.</param>
/// <param name="Scheme">Which scheme was checked: <see cref="DraftCavageSignatures.SchemeName"/>, <see cref="MessageSignatures.SchemeName"/>, or "none".</param>
/// <param name="Failure">Why it was rejected, or <see cref="SignatureFailure.None"/>.</param>
/// <param name="FailureReason">A sentence for people saying why it was rejected, or <see langword="null"/> when valid.</param>
public sealed record SignatureVerification(bool IsValid, string Scheme, SignatureFailure Failure, string? FailureReason)
{
    /// <summary>Gets the key id the signature names, when it could be read.</summary>
    public string? KeyId { get; init; }

    /// <summary>Gets the signature algorithm, when it could be read.</summary>
    public string? Algorithm { get; init; }

    /// <summary>Gets the covered headers or components, in signing order, when they could be read.</summary>
    public IReadOnlyList<string> CoveredComponents { get; init; } = [];

    /// <summary>Gets the verified key (with its owner, if the resolver knew it) when valid.</summary>
    public PublicKeyInfo? Key { get; init; }

    internal static SignatureVerification Fail(string scheme, SignatureFailure failure, string reason) => new(false, scheme, failure, reason);
}
