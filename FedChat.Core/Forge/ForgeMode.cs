namespace FedChat.Core.Forge;

/// <summary>How the forge lab sends its one request: honestly, or as one of the classic attacks.</summary>
public enum ForgeMode
{
    /// <summary>Signed with your own key, and the activity says it is from you. The only one that gets through.</summary>
    SignedAsMe,

    /// <summary>No <c>Signature</c> header at all.</summary>
    Unsigned,

    /// <summary>Signed correctly with your own key, but the activity claims to be from someone else.</summary>
    SignedAsMeClaimingSomeoneElse,

    /// <summary>Signed correctly, then the body changed (and its Digest fixed up) after signing.</summary>
    TamperedAfterSigning,

    /// <summary>Signed correctly, but with a clock set two hours back: a captured old request sent again.</summary>
    ReplayedOld,

    /// <summary>Signed correctly, but the <c>Digest</c> header does not match the body.</summary>
    WrongDigest,
}

/// <summary>A sending mode as the forge lab page shows it.</summary>
/// <param name="Mode">The mode.</param>
/// <param name="Title">A short name for the radio button.</param>
/// <param name="Explanation">One line on what the attack does.</param>
/// <param name="Expected">What the receiver should answer.</param>
public sealed record ForgeModeInfo(ForgeMode Mode, string Title, string Explanation, string Expected);

/// <summary>The sending modes with their explanations, in the order the page lists them.</summary>
public static class ForgeModes
{
    /// <summary>Gets every mode, the honest one first.</summary>
    public static IReadOnlyList<ForgeModeInfo> All { get; } =
    [
        new(ForgeMode.SignedAsMe, "Honest: signed by me, as me",
            "Your own key signs the request and the activity says it is from you. Use \"Pre-fill an honest post\".",
            "202 Accepted"),
        new(ForgeMode.Unsigned, "Unsigned",
            "No Signature header at all: anyone could have sent this.",
            "401: the request is not signed"),
        new(ForgeMode.SignedAsMeClaimingSomeoneElse, "Signed by me, claiming to be someone else",
            "Your key signs correctly, but \"actor\" names someone else. Any proof is left out: only the real author could make one.",
            "401: the signer is not the actor"),
        new(ForgeMode.TamperedAfterSigning, "Tampered after signing",
            "Signed correctly, then the post's text is changed in transit; the Digest is fixed up to match, but the signature covers the old Digest.",
            "401: the signature does not match"),
        new(ForgeMode.ReplayedOld, "Replayed: 2 hours old",
            "Signed correctly, but dated 2 hours ago, like a request captured earlier and sent again.",
            "401: the Date is too old"),
        new(ForgeMode.WrongDigest, "Wrong Digest",
            "Signed correctly, but the signed Digest header is the hash of a different body.",
            "401: the body does not match its Digest"),
    ];

    /// <summary>Gets the description of one mode.</summary>
    /// <param name="mode">The mode.</param>
    /// <returns>Its title and explanation.</returns>
    public static ForgeModeInfo Describe(ForgeMode mode) => All.First(m => m.Mode == mode);
}
