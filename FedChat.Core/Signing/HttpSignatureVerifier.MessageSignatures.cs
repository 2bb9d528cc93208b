using System.Text;

namespace FedChat.Core.Signing;

/// <summary>The RFC 9421 half of the verifier.</summary>
public sealed partial class HttpSignatureVerifier
{
    private async Task<SignatureVerification> VerifyMessageSignatureAsync(SignableRequest request, PublicKeyResolver resolveKey, CancellationToken cancellationToken)
    {
        const string Scheme = MessageSignatures.SchemeName;
        var signatureHeader = request.GetHeader("Signature");
        if (signatureHeader is null)
        {
            return SignatureVerification.Fail(Scheme, SignatureFailure.MissingSignature,
                "The request has a Signature-Input header but no Signature header, so there is no signature to check.");
        }

        if (!MessageSignature.TryParse(request.GetHeader("Signature-Input"), signatureHeader, null, out var signature, out var parseError))
        {
            return SignatureVerification.Fail(Scheme, SignatureFailure.MalformedHeader, parseError);
        }

        var names = signature.Components.Select(c => c.Name).ToList();
        // What we learnt from the headers goes into every result, so the forge lab can show it.
        var failed = new SignatureVerification(false, Scheme, SignatureFailure.None, null)
        {
            KeyId = signature.KeyId,
            Algorithm = signature.Algorithm,
            CoveredComponents = names,
        };
        SignatureVerification Fail(SignatureFailure failure, string reason) => failed with { Failure = failure, FailureReason = reason };

        if (signature.KeyId is null)
        {
            // RFC 9421 lets the verifier know the key by other means; in a federation only keyid can say.
            return Fail(SignatureFailure.MalformedHeader, $"The signature '{signature.Label}' has no keyid parameter, so we cannot know whose key to check it with.");
        }

        if (signature.Algorithm is { } alg && !SignatureAlgorithms.IsSupported(alg))
        {
            return Fail(SignatureFailure.UnsupportedAlgorithm, SignatureAlgorithms.DescribeUnsupported(alg));
        }

        if (_options.RequireDigest && HasBody(request) && request.GetHeader("Content-Digest") is null && request.GetHeader("Digest") is null)
        {
            return Fail(SignatureFailure.DigestMissing, "The request has a body but no Content-Digest header, so nothing ties the body to the signature.");
        }

        if (_options.RequireCoveredComponents && MissingMessageCoverage(request, signature, names) is { } missing)
        {
            return Fail(SignatureFailure.RequiredComponentNotCovered, missing);
        }

        if (names.Contains("date"))
        {
            if (!TryParseHttpDate(request.GetHeader("Date") ?? "", out var date))
            {
                return Fail(SignatureFailure.MalformedHeader, $"The Date header '{request.GetHeader("Date")}' is not an HTTP date such as 'Tue, 20 Apr 2021 02:07:55 GMT'.");
            }

            if (CheckSignedTime(date, "Date header") is { } dateProblem)
            {
                return Fail(SignatureFailure.OutsideTimeWindow, dateProblem);
            }
        }

        if (signature.Created is { } created && CheckSignedTime(FromUnixSeconds(created), "created time") is { } createdProblem)
        {
            return Fail(SignatureFailure.OutsideTimeWindow, createdProblem);
        }

        if (signature.Expires is { } expires && CheckExpires(FromUnixSeconds(expires)) is { } expiresProblem)
        {
            return Fail(SignatureFailure.Expired, expiresProblem);
        }

        if (CheckDigests(request, Scheme) is { } digestProblem)
        {
            return failed with { Failure = digestProblem.Failure, FailureReason = digestProblem.FailureReason };
        }

        if (!MessageSignatures.TryBuildSignatureBase(request, signature.Components, signature.SignatureParams, out var signatureBase, out var baseError))
        {
            return Fail(SignatureFailure.MalformedHeader, baseError);
        }

        var key = await resolveKey(signature.KeyId, cancellationToken).ConfigureAwait(false);
        if (key is null)
        {
            return Fail(SignatureFailure.UnknownKey, $"No public key with the id '{signature.KeyId}' could be found, so the signature cannot be checked.");
        }

        // §3.3.7: the algorithm comes from alg, or else from the key. When both speak, they must agree,
        // or an attacker could make us use a key with an algorithm it was not meant for.
        if (signature.Algorithm is { } said && key.Algorithm is { } meant && said != meant)
        {
            return Fail(SignatureFailure.UnsupportedAlgorithm, $"The signature says alg=\"{said}\", but the key '{key.KeyId}' is for {meant}.");
        }

        var algorithm = signature.Algorithm ?? key.Algorithm ?? SignatureAlgorithms.DefaultFor(key.Key);
        var keyProblem = algorithm is null ? "The key is neither RSA nor ECDSA P-256." : SignatureAlgorithms.CheckKey(algorithm, key.Key);
        if (keyProblem is not null)
        {
            return Fail(SignatureFailure.UnsupportedAlgorithm, keyProblem);
        }

        failed = failed with { Algorithm = algorithm };
        if (!SignatureAlgorithms.Verify(algorithm!, key.Key, Encoding.UTF8.GetBytes(signatureBase), signature.Signature))
        {
            return Fail(SignatureFailure.SignatureMismatch,
                $"The signature does not match: a covered part of the request was changed after signing, or it was not signed with the key '{signature.KeyId}'.");
        }

        return failed with { IsValid = true, Failure = SignatureFailure.None, FailureReason = null, Key = key };
    }

    /// <summary>Returns a reason when the covered components leave out something an attacker could change.</summary>
    private string? MissingMessageCoverage(SignableRequest request, MessageSignature signature, List<string> names)
    {
        if (!names.Contains("@method"))
        {
            return "The signature does not cover @method, so it could be replayed with another method.";
        }

        if (!names.Contains("@target-uri") && !names.Contains("@path") && !names.Contains("@request-target"))
        {
            return "The signature covers none of @target-uri, @path or @request-target, so it could be replayed against another path.";
        }

        if (!names.Contains("@target-uri") && !names.Contains("@authority") && !names.Contains("host"))
        {
            return "The signature covers none of @target-uri, @authority or host, so it could be replayed against another server.";
        }

        if (signature.Created is null && !names.Contains("date"))
        {
            return "The signature has no created parameter and does not cover the date header, so it could be replayed at any time.";
        }

        if (_options.RequireDigest && HasBody(request) && !names.Contains("content-digest") && !names.Contains("digest"))
        {
            return "The signature does not cover content-digest, so the body could be swapped for another.";
        }

        return null;
    }
}
