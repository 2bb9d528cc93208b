using FedChat.Core.Portability;
using FedChat.Web.Accounts;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace FedChat.Web.Endpoints;

/// <summary>
/// The form posts of the "Your data" page (<c>/account/data</c>): export (a download), import (an
/// upload), "I moved here from", move, and delete. Each needs the signed-in user's cookie and the
/// page's antiforgery token, and answers with a redirect back to the page saying what happened.
/// </summary>
public static class AccountDataEndpoints
{
    /// <summary>The page the forms live on.</summary>
    public const string PagePath = "/account/data";

    /// <summary>Maps the <c>/account/data/…</c> form posts.</summary>
    public static IEndpointRouteBuilder MapAccountDataEndpoints(this IEndpointRouteBuilder app)
    {
        var data = app.MapGroup(PagePath).RequireAuthorization().WithMetadata(new RequireAntiforgeryTokenAttribute()).ExcludeFromDescription();
        data.MapPost("/export", ExportAsync);
        data.MapPost("/import", ImportAsync);
        data.MapPost("/alias", async (HttpContext context, [FromForm] string? oldHandle, AccountMove moves, CancellationToken ct) =>
            Back(context, await moves.AddAliasAsync(UserId(context), oldHandle, ct), $"This account now says it is also {oldHandle}. Now start the move on the old account."));
        data.MapPost("/move", async (HttpContext context, [FromForm] string? targetHandle, AccountMove moves, CancellationToken ct) =>
            Back(context, await moves.MoveAsync(UserId(context), targetHandle, ct), $"Moved to {targetHandle}. Your followers' servers are being told."));
        data.MapPost("/delete", DeleteAsync);
        return app;
    }

    private static async Task<IResult> ExportAsync(HttpContext context, [FromForm] string? password, [FromForm] string? passphrase,
        AccountExport export, AccountManager accounts, TimeProvider time, CancellationToken cancellationToken)
    {
        // The archive holds the keys that sign as you: a laptop left signed in must not be enough.
        if (await accounts.CheckPasswordAsync(context.User.Identity?.Name, password, cancellationToken) is null)
        {
            return Back(context, "Wrong password: nothing was exported.", null);
        }
        try
        {
            var archive = await export.ExportAsync(UserId(context), passphrase, cancellationToken);
            var name = $"fedchat-{context.User.Identity?.Name}-{time.GetUtcNow():yyyyMMdd}.zip";
            return Results.File(archive, "application/zip", name);
        }
        catch (AccountArchiveException ex)
        {
            return Back(context, ex.Message, null);
        }
    }

    private static async Task<IResult> ImportAsync(HttpContext context, IFormFile? archive, [FromForm] string? passphrase,
        AccountImport import, IOptions<PortabilityOptions> options, CancellationToken cancellationToken)
    {
        var max = options.Value.MaxArchiveBytes;
        if (archive is null || archive.Length == 0)
        {
            return Back(context, "Choose the archive file (.zip) to import.", null);
        }
        if (archive.Length > max)
        {
            return Results.Text($"The archive is {archive.Length} bytes; this server accepts archives up to {max} bytes. Nothing was imported.",
                statusCode: StatusCodes.Status413PayloadTooLarge);
        }
        using var buffer = new MemoryStream();
        await archive.CopyToAsync(buffer, cancellationToken);
        try
        {
            var result = await import.ImportAsync(UserId(context), buffer.ToArray(), passphrase, cancellationToken);
            return Back(context, null, DescribeImport(result));
        }
        catch (AccountArchiveException ex)
        {
            return Back(context, ex.Message, null);
        }
    }

    /// <summary>How many problems an import message lists by name; the rest are counted.</summary>
    public const int ProblemsShown = 3;

    /// <summary>The most characters of an outcome the cookie carries (browsers drop cookies over 4 KB, and escaping can triple the size).</summary>
    public const int MaxOutcomeLength = 1000;

    /// <summary>
    /// What an import did, in one short message: the counts, and only the first few follow problems
    /// (an account that followed hundreds of dead servers would otherwise not fit in the cookie).
    /// </summary>
    public static string DescribeImport(ImportResult result)
    {
        var problems = result.FollowProblems.Count switch
        {
            0 => "",
            <= ProblemsShown => $" Could not follow {Plural(result.FollowProblems.Count, "account")} again: {string.Join("; ", result.FollowProblems)}.",
            _ => $" Could not follow {Plural(result.FollowProblems.Count, "account")} again, among them: {string.Join("; ", result.FollowProblems.Take(ProblemsShown))}.",
        };
        return $"Imported {Plural(result.PostsImported, "post")} from {AccountMove.HandleOf(result.OldActorId)} and followed {Plural(result.Refollowed.Count, "account")} again.{problems}";
    }

    private static async Task<IResult> DeleteAsync(HttpContext context, [FromForm] string? password, [FromForm] string? confirm,
        AccountDeletion deletions, AccountManager accounts, CancellationToken cancellationToken)
    {
        // Deleting cannot be undone: a laptop left signed in must not be enough.
        if (await accounts.CheckPasswordAsync(context.User.Identity?.Name, password, cancellationToken) is null)
        {
            return Back(context, "Wrong password: your account was not deleted.", null);
        }
        var error = await deletions.DeleteAsync(UserId(context), confirm, cancellationToken);
        if (error is not null)
        {
            return Back(context, error, null);
        }
        await context.SignOutAsync();
        return Results.LocalRedirect("/");
    }

    private static int UserId(HttpContext context) =>
        AccountManager.UserIdOf(context.User) ?? throw new InvalidOperationException("The endpoint requires a signed-in user.");

    /// <summary>The cookie that carries one outcome ("Imported 3 posts…", or an error) back to the page.</summary>
    public const string OutcomeCookie = "fedchat-data-outcome";

    /// <summary>
    /// Back to the page, with an error or a message for it to show once. It travels in a short-lived
    /// cookie, not in the URL: a link someone sends you cannot put their words on your page.
    /// </summary>
    private static IResult Back(HttpContext context, string? error, string? message)
    {
        var value = error is not null ? "error:" + error : "message:" + message;
        // One long error or list must not grow the cookie past what browsers keep: the outcome would vanish.
        if (value.Length > MaxOutcomeLength)
        {
            // Never cut between the two halves of a surrogate pair: escaping a lone half throws.
            var cut = char.IsHighSurrogate(value[MaxOutcomeLength - 2]) ? MaxOutcomeLength - 2 : MaxOutcomeLength - 1;
            value = value[..cut] + "…";
        }
        context.Response.Cookies.Append(OutcomeCookie, Uri.EscapeDataString(value), new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Path = PagePath,
            MaxAge = TimeSpan.FromMinutes(1),
            IsEssential = true,
        });
        return Results.LocalRedirect(PagePath);
    }

    /// <summary>"1 post", "3 posts".</summary>
    private static string Plural(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
