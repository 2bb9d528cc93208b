using FedChat.Tests.Support;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static FedChat.Tests.Browser.BrowserSteps;
using static Microsoft.Playwright.Assertions;

namespace FedChat.Tests.Browser;

/// <summary>
/// The room walkthrough on three "laptops": three FedChat server processes in three network namespaces
/// that find each other by mDNS, and a fourth namespace where the students' browser runs (Chromium
/// started inside it, so it reaches the servers over the lab's bridge, as a laptop on the Wi-Fi would).
/// A direct message chosen while the page is still connecting must never go public.
/// </summary>
[Collection(BrowserCollection.Name)]
[System.Runtime.Versioning.SupportedOSPlatform("linux")]
[Trait("Speed", "Slow")]
public class RoomInNamespacesBrowserTests(ITestOutputHelper output)
{
    [RootFact("chromium")]
    public async Task DirectMessage_ChosenAroundTheMomentThePageGoesLive_ReachesOnlyTheOneMentioned()
    {
        using var lab = new NetworkLab();
        var servers = new List<LabServer>();
        var launcher = Path.Combine(Path.GetTempPath(), $"fedchat-chromium-{lab.Tag}.sh");
        try
        {
            foreach (var (name, i) in new[] { "a", "b", "c" }.Select((n, i) => (n, i + 1)))
            {
                servers.Add(LabServer.Start("room" + name, lab.AddHost(name, $"10.97.0.{i}"), $"10.97.0.{i}"));
            }
            var viewer = lab.AddHost("v", "10.97.0.9");
            var (a, b, c) = (servers[0], servers[1], servers[2]);
            foreach (var server in servers)
            {
                var others = servers.Where(s => s != server).Select(s => s.BaseUrl.ToString()).ToList();
                var seen = await server.WaitForAsync(list => others.All(url => list.Peers.Any(p => p.Url == url)), TimeSpan.FromSeconds(90));
                Assert.True(seen is not null, $"{server.Process} did not find the other two by mDNS:\n{server.Process.Output}");
                // Each server is a fresh process: its first page render compiles a lot of code. Do that
                // now, so the browser's first form post below is not the one that waits for it.
                NetworkLab.Exec(server.Namespace, TimeSpan.FromSeconds(60), null, "curl", "--silent", "--output", "/dev/null", new Uri(server.BaseUrl, "/register").ToString());
            }

            // Playwright talks to Chromium over pipes, which `ip netns exec` passes on: the browser runs in the lab.
            File.WriteAllText(launcher, $"#!/bin/sh\nexec ip netns exec {viewer} {ChromiumBrowser.ChromiumPath} \"$@\"\n");
            File.SetUnixFileMode(launcher, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            using var playwright = await Playwright.CreateAsync();
            await using var chromium = await playwright.Chromium.LaunchAsync(new()
            {
                ExecutablePath = launcher,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--no-first-run"],
            });
            var alice = await NewPageAsync(chromium, a.BaseUrl);
            var bob = await NewPageAsync(chromium, b.BaseUrl);
            var carol = await NewPageAsync(chromium, c.BaseUrl);
            await RegisterAsync(alice, "alice");
            await RegisterAsync(bob, "bob");
            await RegisterAsync(carol, "carol");

            // Carol follows Alice, so anything of Alice's that went public would reach Carol's server.
            var aliceHandle = $"@alice@{a.BaseUrl.Authority}";
            await carol.GetByLabel("Find someone by handle").FillAsync(aliceHandle);
            await carol.GetByLabel("Find someone by handle").PressAsync("Enter");
            await WaitUntilLiveOnAsync(carol, "Find someone");
            await carol.GetByRole(AriaRole.Button, new() { Name = "Follow", Exact = true }).ClickAsync();
            await Expect(carol.Locator("#follow-state")).ToHaveTextAsync("Following");

            // Alice opens her timeline on a slow connection: while it connects, the choice is not offered...
            var release = await HoldBlazorScriptAsync(alice);
            await alice.GotoAsync("/", new() { WaitUntil = WaitUntilState.Commit });
            await Expect(alice.Locator("#composer .composer-visibility input").First).ToBeDisabledAsync();
            release.SetResult();
            await WaitUntilLiveAsync(alice);
            // ...and the moment it is live she picks "Only the people mentioned" and writes to Bob.
            await alice.Locator("#composer .composer-visibility .mud-select").First.ClickAsync();
            await alice.GetByRole(AriaRole.Option, new() { Name = "Only the people mentioned" }).ClickAsync();
            await Expect(alice.Locator("#composer .composer-visibility")).ToContainTextAsync("Only the people mentioned");
            var secret = $"@bob@{b.BaseUrl.Authority} the room must not see this";
            await PostAsync(alice, secret);
            await Expect(alice.Locator(".post-card").First.Locator(".post-direct")).ToBeVisibleAsync();
            // Then a public post, which Carol must get: once it is there, a leaked direct message would be too.
            await PostAsync(alice, "hello everyone");

            await OpenLiveTimelineAsync(bob);
            await Expect(bob.Locator(".post-card", new() { HasText = "the room must not see this" }).Locator(".post-direct")).ToBeVisibleAsync();

            await OpenLiveTimelineAsync(carol);
            await Expect(carol.GetByText("hello everyone")).ToBeVisibleAsync();
            await Expect(carol.GetByText("the room must not see this")).ToHaveCountAsync(0);
            await carol.GotoAsync("/?feed=federated");
            await WaitUntilLiveAsync(carol);
            await Expect(carol.GetByText("hello everyone")).ToBeVisibleAsync();
            await Expect(carol.GetByText("the room must not see this")).ToHaveCountAsync(0);
            // Nor does Alice's own server show it to a visitor on its Local timeline.
            var visitor = await NewPageAsync(chromium, a.BaseUrl);
            await visitor.GotoAsync("/?feed=local");
            await WaitUntilLiveAsync(visitor);
            await Expect(visitor.GetByText("hello everyone")).ToBeVisibleAsync();
            await Expect(visitor.GetByText("the room must not see this")).ToHaveCountAsync(0);
        }
        finally
        {
            foreach (var server in servers)
            {
                // On a failure this says what each server saw (the test output is printed for failed tests).
                output.WriteLine($"--- {server.Process}:\n{server.Process.Output}");
                server.Dispose();
            }
            File.Delete(launcher);
        }
    }

    private static async Task<IPage> NewPageAsync(IBrowser chromium, Uri baseUrl)
    {
        var context = await chromium.NewContextAsync(new() { BaseURL = baseUrl.ToString() });
        // 30 s, not the 15 s of the in-process browser tests: three separate server processes and Chromium
        // share two cores here, and each server compiles its pages on first use.
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }
}
