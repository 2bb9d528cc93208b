using FedChat.Core.Dashboard;

namespace FedChat.Web.Dashboard;

/// <summary>
/// How the dashboard shows a verdict: an icon, words and a CSS class, always together, so the
/// meaning never rests on colour alone.
/// </summary>
public static class VerdictLabels
{
    /// <summary>✓ proof verified, ~ signed by the server only, ✗ rejected.</summary>
    public static string Icon(ActivityVerdict verdict) => verdict switch
    {
        ActivityVerdict.ProofVerified => "✓",
        ActivityVerdict.TransportSigned => "~",
        _ => "✗",
    };

    /// <summary>The verdict in words.</summary>
    public static string Text(ActivityVerdict verdict) => verdict switch
    {
        ActivityVerdict.ProofVerified => "accepted, author's proof verified",
        ActivityVerdict.TransportSigned => "accepted, signed by the server only",
        _ => "rejected",
    };

    /// <summary>The CSS class suffix: <c>verdict-verified</c>, <c>verdict-signed</c>, <c>verdict-rejected</c>.</summary>
    public static string CssClass(ActivityVerdict verdict) => verdict switch
    {
        ActivityVerdict.ProofVerified => "verdict-verified",
        ActivityVerdict.TransportSigned => "verdict-signed",
        _ => "verdict-rejected",
    };
}
