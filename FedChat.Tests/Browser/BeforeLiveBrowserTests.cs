using FedChat.Tests.Support;
using Microsoft.Playwright;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Browser;

/// <summary>
/// What a person does in the moment before a page is live (connected to the server). The Blazor script
/// is held back by the test, so "before live" lasts as long as the test needs, not 300 ms.
/// </summary>
[Collection(BrowserCollection.Name)]
public class BeforeLiveBrowserTests(ChromiumBrowser browser) : BrowserTest(browser)
{
    [ChromiumFact]
    public async Task TextTypedBeforeTheTimelineIsLive_IsKept_AndTheFocusStaysInTheBox()
    {
        await using var server = await RunningServer.StartAsync();
        var page = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(page, "alice");
        var release = await HoldBlazorScriptAsync(page);

        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit });
        var box = page.GetByLabel("What's happening");
        await box.ClickAsync();
        await page.Keyboard.TypeAsync("Typed while ");
        release.SetResult();
        await WaitUntilLiveAsync(page);

        // The live page drew a new box: it has the text, and the focus is back in it.
        await Expect(box).ToHaveValueAsync("Typed while ");
        await Expect(box).ToBeFocusedAsync();
        // So typing goes on in the same box, without clicking it again.
        await page.Keyboard.TypeAsync("connecting");
        await Expect(box).ToHaveValueAsync("Typed while connecting");
    }

    [ChromiumFact]
    public async Task Visibility_CannotBeChangedBeforeLive_AndAPostIsNeverMorePublicThanTheChoiceShown()
    {
        await using var server = await RunningServer.StartAsync();
        var alice = await Browser.NewPageAsync(server.BaseUrl);
        var visitor = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(alice, "alice");
        await server.RegisterAsync("bob");
        var release = await HoldBlazorScriptAsync(alice);

        await alice.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit });
        // Before live: the choice is visibly not available, so nothing chosen now can be lost later.
        var visibility = alice.Locator("#composer .composer-visibility input").First;
        await Expect(visibility).ToBeDisabledAsync();
        release.SetResult();
        await WaitUntilLiveAsync(alice);

        await alice.Locator("#composer .composer-visibility .mud-select").First.ClickAsync();
        await alice.GetByRole(AriaRole.Option, new() { Name = "Only the people mentioned" }).ClickAsync();
        await Expect(alice.Locator("#composer .composer-visibility")).ToContainTextAsync("Only the people mentioned");
        await PostAsync(alice, $"@bob@127.0.0.1:{server.Port} this is only for you");

        await Expect(alice.Locator(".post-card").First.Locator(".post-direct")).ToBeVisibleAsync();
        await visitor.GotoAsync("/?feed=local");
        await WaitUntilLiveAsync(visitor);
        await Expect(visitor.GetByText("this is only for you")).ToHaveCountAsync(0);
        // After posting, the composer says what the next post will be: public again, as shown.
        await Expect(alice.Locator("#composer .composer-visibility")).ToContainTextAsync("Everyone");
    }

    [ChromiumFact]
    public async Task HandleTypedInTheHeaderSearchBeforeLive_IsKept_AndEnterFindsThePerson()
    {
        await using var server = await RunningServer.StartAsync();
        await server.RegisterAsync("bob");
        var page = await Browser.NewPageAsync(server.BaseUrl);
        await RegisterAsync(page, "alice");
        var release = await HoldBlazorScriptAsync(page);

        await page.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit });
        var search = page.GetByLabel("Find someone by handle");
        await search.ClickAsync();
        await page.Keyboard.TypeAsync($"@bob@127.0.0.1:{server.Port}");
        release.SetResult();
        await WaitUntilLiveAsync(page);

        // The live page drew the box again: the handle is still in it, with the focus, so Enter searches for it.
        await Expect(search).ToHaveValueAsync($"@bob@127.0.0.1:{server.Port}");
        await Expect(search).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("#result-handle")).ToHaveTextAsync($"@bob@127.0.0.1:{server.Port}");
    }
}
