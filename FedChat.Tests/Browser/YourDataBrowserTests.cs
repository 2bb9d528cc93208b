using FedChat.Core.Posts;
using FedChat.Tests.Support;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Browser;

/// <summary>Taking an account from one server to another through the "Your data" page, in real Chromium.</summary>
[Collection(BrowserCollection.Name)]
public class YourDataBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumFact]
    public async Task ExportOnOneServer_ImportOnAnother_AWrongPassphraseIsRefusedFirst()
    {
        await using var a = await RunningServer.StartAsync("server-a");
        await using var b = await RunningServer.StartAsync("server-b");
        var old = await Browser.NewPageAsync(a.BaseUrl);
        await RegisterAsync(old, "alice");
        var alice = await a.Get<Core.Accounts.AccountService>().FindByUsernameAsync("alice");
        await a.Get<PostService>().CreatePostAsync(alice!.Id, "my first post, before I moved");

        await old.GotoAsync("/account/data");
        await old.Locator("#export-password").FillAsync(Password);
        await old.GetByLabel("Passphrase (at least").FillAsync("a long passphrase");
        var download = await old.RunAndWaitForDownloadAsync(() => old.GetByRole(AriaRole.Button, new() { Name = "Download archive" }).ClickAsync());
        var archive = Path.Combine(Path.GetTempPath(), $"fedchat-archive-{Guid.NewGuid():N}.zip");
        await download.SaveAsAsync(archive);

        try
        {
            var fresh = await Browser.NewPageAsync(b.BaseUrl);
            await RegisterAsync(fresh, "alice");
            await fresh.GotoAsync("/account/data");
            await fresh.GetByLabel("Archive (.zip)").SetInputFilesAsync(archive);
            await fresh.GetByLabel("Passphrase you chose at export").FillAsync("not my passphrase");
            await fresh.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();
            await Expect(fresh.Locator("#data-error")).ToContainTextAsync("passphrase");

            await fresh.GetByLabel("Archive (.zip)").SetInputFilesAsync(archive);
            await fresh.GetByLabel("Passphrase you chose at export").FillAsync("a long passphrase");
            await fresh.GetByRole(AriaRole.Button, new() { Name = "Import", Exact = true }).ClickAsync();

            await Expect(fresh.Locator("#data-message")).ToContainTextAsync("1 post");
            await Expect(fresh.Locator("#data-aliases")).ToContainTextAsync($"alice@127.0.0.1:{a.Port}");
            await fresh.ScreenshotAsync(new() { Path = Path.Combine(ChromiumBrowser.ScreenshotDirectory, "your-data.png"), FullPage = true });
            await fresh.GotoAsync("/users/alice");
            await Expect(fresh.Locator(".post-card .post-content")).ToHaveTextAsync("my first post, before I moved");
        }
        finally
        {
            File.Delete(archive);
        }
    }
}
