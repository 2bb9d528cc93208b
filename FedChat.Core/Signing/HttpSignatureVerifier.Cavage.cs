using System.Text;

namespace FedChat.Core.Signing;

/// <summary>The draft-cavage-http-signatures-12 half of the verifier.</summary>
public sealed partial class HttpSignatureVerifier
{
    private async Task<SignatureVerification> VerifyCavageSignatureAsync(SignableRequest request, PublicKeyResolver resolveKey, CancellationToken cancellationToken)
    {
        const string Scheme = DraftCavageSignatures.SchemeName;
        var value = request.GetHeader("Signature") ?? request.GetHeader("Authorization");
        if (!CavageSignatureHeader.TryParse(value, out var header, out var parseError))
        {
            return SignatureVerification.Fail(Scheme, SignatureFailure.MalformedHeader, "The Signature header is malformed: " + parseError);
        }

        // What we learnt from the headers goes into every result, so the forge lab can show it.
        var failed = new SignatureVerification(false, Scheme, SignatureFailure.None, null)
        {
            KeyId = header.KeyId,
            Algorithm = header.EffectiveAlgorithm,
            CoveredComponents = header.Headers,
        };
        SignatureVerification Fail(SignatureFailure failure, string reason) => failed with { Failure = failure, FailureReason = reason };

        var algorithm = header.EffectiveAlgorithm;
        if (algorithm is not (SignatureAlgorithms.CavageRsaSha256 or SignatureAlgorithms.CavageHs2019))
        {
            return Fail(SignatureFailure.UnsupportedAlgorithm, $"The algorithm '{algorithm}' is not supported for draft-cavage signatures (FedChat accepts rsa-sha256 and hs2019).");
        }

        var covered = header.Headers;
        if (_options.RequireDigest && HasBody(request) && request.GetHeader("Digest") is null)
        {
            return Fail(SignatureFailure.DigestMissing, "The request has a body but no Digest header, so nothing ties the body to the signature.");
        }

        if (_options.RequireCoveredComponents)
        {
            var missing = MissingCavageCoverage(request, covered);
            if (missing is not null)
            {
                return Fail(SignatureFailure.RequiredComponentNotCovered, missing);
            }
        }

        if (!DraftCavageSignatures.TryBuildSigningString(request, header, out var signingString, out var buildError))
        {
            return Fail(SignatureFailure.MalformedHeader, buildError);
        }

        // The time checks: the Date header when it is signed, and the created/expires parameters.
        if (covered.Contains("date"))
        {
            if (!TryParseHttpDate(request.GetHeader("Date")!, out var date))
            {
                return Fail(SignatureFailure.MalformedHeader, $"The Date header '{request.GetHeader("Date")}' is not an HTTP date such as 'Sun, 05 Jan 2014 21:31:40 GMT'.");
            }

            if (CheckSignedTime(date, "Date header") is { } dateProblem)
            {
                return Fail(SignatureFailure.OutsideTimeWindow, dateProblem);
            }
        }

        if (header.Created is { } created && CheckSignedTime(FromUnixSeconds(created), "created time") is { } createdProblem)
        {
            return Fail(SignatureFailure.OutsideTimeWindow, createdProblem);
        }

        if (header.Expires is { } expires && CheckExpires(FromUnixSeconds(expires)) is { } expiresProblem)
        {
            return Fail(SignatureFailure.Expired, expiresProblem);
        }

        if (CheckDigests(request, Scheme) is { } digestProblem)
        {
            return failed with { Failure = digestProblem.Failure, FailureReason = digestProblem.FailureReason };
        }

        var key = await resolveKey(header.KeyId, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return Fail(SignatureFailure.UnknownKey, $"No public key with the id '{header.KeyId}' could be found, so the signature cannot be checked.");
        }

        // hs2019 means "the key decides"; for the RSA keys of the fediverse that is RSA-SHA256.
        var keyProblem = SignatureAlgorithms.CheckKey(algorithm, key.Key);
        if (keyProblem is not null)
        {
            return Fail(SignatureFailure.UnsupportedAlgorithm, keyProblem);
        }

        if (!SignatureAlgorithms.Verify(algorithm, key.Key, Encoding.UTF8.GetBytes(signingString), header.Signature))
        {
            return Fail(SignatureFailure.SignatureMismatch,
                $"The signature does not match: a signed header was changed after signing, or it was not signed with the key '{header.KeyId}'.");
        }

        return failed with { IsValid = true, Failure = SignatureFailure.None, FailureReason = null, Key = key };
    }

    /// <summary>Returns a reason when the signed headers leave out something an attacker could change.</summary>
    private string? MissingCavageCoverage(SignableRequest request, IReadOnlyList<string> covered)
    {
        if (!covered.Contains("(request-target)"))
        {
            return "The signature does not cover (request-target), so it could be replayed with another method or path.";
        }

        if (!covered.Contains("host"))
        {
            return "The signature does not cover the host header, so it could be replayed against another server.";
        }

        if (!covered.Contains("date") && !covered.Contains("(created)"))
        {
            return "The signature covers neither the date header nor (created), so it could be replayed at any time.";
        }

        if (_options.RequireDigest && HasBody(request) && !covered.Contains("digest"))
        {
            return "The signature does not cover the digest header, so the body could be swapped for another.";
        }

        return null;
    }
}
