using System.Net;
using System.Text.RegularExpressions;
using FedChat.Core.Portability;
using FedChat.Core.Posts;
using FedChat.Tests.Support;
using FedChat.Web.Accounts;
using FedChat.Web.Endpoints;

namespace FedChat.Tests.Portability;

/// <summary>The "Your data" page's forms, posted over HTTP as a browser would, on real servers.</summary>
public partial class YourDataPageTests
{
    [Fact]
    public async Task YourDataPage_ExportDownloads_ImportUploads_AndErrorsShowOnThePage()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var alice = (await a.Get<AccountManager>().RegisterAsync("alice", "correct horse", null)).User!;
        await b.Get<AccountManager>().RegisterAsync("alice", "correct horse", null);
        await a.Get<PostService>().CreatePostAsync(alice.Id, "made on A");
        using var onA = await SignInAsync(a, "alice");
        using var onB = await SignInAsync(b, "alice");

        // Without the account's password, no archive: a laptop left signed in is not enough.
        using var refused = await onA.PostAsync("/account/data/export", new FormUrlEncodedContent(Form(await TokenAsync(onA), ("password", "not it"), ("passphrase", "correct horse battery"))));
        Assert.NotEqual("application/zip", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Wrong password: nothing was exported.", WebUtility.HtmlDecode(await refused.Content.ReadAsStringAsync()));
        using var download = await onA.PostAsync("/account/data/export", new FormUrlEncodedContent(Form(await TokenAsync(onA), ("password", "correct horse"), ("passphrase", "correct horse battery"))));
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        var archive = await download.Content.ReadAsByteArrayAsync();

        var wrong = await UploadAsync(onB, archive, "wrong passphrase");
        Assert.Contains("The passphrase is wrong", WebUtility.HtmlDecode(wrong));
        Assert.Empty(await b.Get<PostService>().GetPostsByAsync("alice"));

        var done = await UploadAsync(onB, archive, "correct horse battery");
        Assert.Contains("Imported 1 post from", WebUtility.HtmlDecode(done));
        Assert.Equal("made on A", Assert.Single(await b.Get<PostService>().GetPostsByAsync("alice")).Content);
    }

    [Fact]
    public async Task TheOutcomeShowsOnce_AndALinkCannotPutWordsOnThePage()
    {
        await using var server = await RunningServer.StartAsync("server-a");
        await server.RegisterAsync("alice");
        using var client = await SignInAsync(server, "alice");

        // Someone sends Alice a link with their own "error" in it: the page ignores the query string.
        var crafted = await client.GetStringAsync("/account/data?error=Send+your+passphrase+to+mallory");
        Assert.DoesNotContain("mallory", crafted);
        Assert.DoesNotContain("id=\"data-error\"", crafted);

        var refused = await UploadAsync(client, [1, 2, 3], "whatever passphrase");
        Assert.Contains("id=\"data-error\"", refused);
        // Shown once: reloading the page does not show it again.
        Assert.DoesNotContain("id=\"data-error\"", await client.GetStringAsync("/account/data"));
    }

    [Fact]
    public async Task DeleteForm_NeedsThePassword_ThenDeletesAndSignsOut()
    {
        await using var server = await RunningServer.StartAsync("server-a");
        await server.RegisterAsync("alice");
        using var client = await SignInAsync(server, "alice");

        using var wrong = await client.PostAsync("/account/data/delete", new FormUrlEncodedContent(Form(await TokenAsync(client), ("password", "not it"), ("confirm", "alice"))));
        Assert.Contains("Wrong password: your account was not deleted.", WebUtility.HtmlDecode(await wrong.Content.ReadAsStringAsync()));
        Assert.NotNull(await server.Get<Core.Accounts.AccountService>().FindByUsernameAsync("alice"));

        using var right = await client.PostAsync("/account/data/delete", new FormUrlEncodedContent(Form(await TokenAsync(client), ("password", "correct horse"), ("confirm", "alice"))));
        Assert.Null(await server.Get<Core.Accounts.AccountService>().FindByUsernameAsync("alice"));
    }

    [Fact]
    public async Task Import_OfAnArchiveOverTheSizeCap_Answers413()
    {
        await using var server = await RunningServer.StartAsync("server-a", "--FedChat:Portability:MaxArchiveBytes=1000");
        await server.Get<AccountManager>().RegisterAsync("alice", "correct horse", null);
        using var client = await SignInAsync(server, "alice");

        using var content = new MultipartFormDataContent
        {
            { new StringContent(await TokenAsync(client)), "__RequestVerificationToken" },
            { new StringContent("correct horse battery"), "passphrase" },
            { new ByteArrayContent(new byte[5000]), "archive", "big.zip" },
        };
        using var response = await client.PostAsync("/account/data/import", content);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Contains("accepts archives up to 1000 bytes", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public void ImportMessage_WithManyFollowProblems_CountsThemAndNamesOnlyTheFirstThree()
    {
        // The message travels in a cookie, and browsers drop cookies over 4 KB: the outcome would vanish.
        var problems = Enumerable.Range(1, 200).Select(i => $"http://server-{i}.example/users/someone: could not reach the server").ToList();

        var message = AccountDataEndpoints.DescribeImport(new ImportResult("http://server-a.example/users/alice", 5, [], problems));

        Assert.Contains("Could not follow 200 accounts again", message);
        Assert.Contains("server-3.example", message);
        Assert.DoesNotContain("server-4.example", message);
        Assert.True(message.Length < AccountDataEndpoints.MaxOutcomeLength, $"{message.Length} characters");
    }

    private static async Task<HttpClient> SignInAsync(RunningServer server, string username)
    {
        var client = server.CreateClient();
        var login = await client.GetStringAsync("/login");
        using var response = await client.PostAsync("/login", new FormUrlEncodedContent(Form(Token(login),
            ("_handler", "login"), ("Input.Username", username), ("Input.Password", "correct horse"))));
        Assert.Contains("Download archive", await client.GetStringAsync("/account/data")); // signed in: the page shows, not the login form
        return client;
    }

    private static async Task<string> UploadAsync(HttpClient client, byte[] archive, string passphrase)
    {
        using var content = new MultipartFormDataContent
        {
            { new StringContent(await TokenAsync(client)), "__RequestVerificationToken" },
            { new StringContent(passphrase), "passphrase" },
            { new ByteArrayContent(archive), "archive", "archive.zip" },
        };
        using var response = await client.PostAsync("/account/data/import", content);
        response.EnsureSuccessStatusCode(); // the redirect back to the page was followed
        return await response.Content.ReadAsStringAsync();
    }

    private static async Task<string> TokenAsync(HttpClient client) => Token(await client.GetStringAsync("/account/data"));

    private static string Token(string html) => TokenPattern().Match(html).Groups[1].Value;

    private static Dictionary<string, string> Form(string token, params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)).Append(KeyValuePair.Create("__RequestVerificationToken", token)));

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
