using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace Jtai.Strategy.Web.Tests;

/// <summary>
/// Debian's Chromium (apt <c>chromium</c>, installed by scripts/infra.sh), driven by Playwright headless: no browser
/// is downloaded (<c>playwright install</c> is never run). Its profile and caches live in a temporary folder.
/// </summary>
public sealed class Browser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    private readonly IPlaywright playwright;
    private readonly string home;

    private Browser(IPlaywright playwright, IBrowser browser, string home)
    {
        this.playwright = playwright;
        Instance = browser;
        this.home = home;
    }

    public IBrowser Instance { get; }

    public static async Task<Browser> LaunchAsync()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: scripts/infra.sh up installs apt's chromium.");
        var home = Path.Combine(Path.GetTempPath(), "jtai-web-tests-chromium-" + Guid.NewGuid().ToString("N")[..8]);
        System.IO.Directory.CreateDirectory(home);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
            Env = new Dictionary<string, string> { ["XDG_CONFIG_HOME"] = Path.Combine(home, "config"), ["XDG_CACHE_HOME"] = Path.Combine(home, "cache") },
        });
        return new Browser(playwright, browser, home);
    }

    /// <summary>A fresh context (its own cookies: one user), desktop width.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Instance.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 }, Locale = "en-GB" });
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Instance.DisposeAsync();
        playwright.Dispose();
        try
        {
            System.IO.Directory.Delete(home, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its crash folder as it exits: a temporary folder left behind is harmless.
        }
    }
}

/// <summary>A class of browser tests: Debian's Chromium launched before its tests and closed after them.</summary>
public abstract class BrowserTests : IAsyncLifetime
{
    /// <summary>The class's browser: each test opens its own contexts (users) in it.</summary>
    protected Browser Chromium { get; private set; } = null!;

    public async Task InitializeAsync() => Chromium = await Browser.LaunchAsync();

    public async Task DisposeAsync() => await Chromium.DisposeAsync();
}

/// <summary>
/// What every page must pass: axe finds no serious or critical violation, at desktop width and at 320 px (where nothing
/// scrolls sideways); it ships at most 300 KB of script as transferred; and a screenshot of each for docs/web.md.
/// </summary>
public static class PageChecks
{
    public static string ScreenshotFolder { get; } = Path.Combine(WebSystem.RepositoryRoot, ".local", "screenshots");

    public const int MaxScriptBytes = 300 * 1024;

    /// <param name="ofTheWebService">False for the identity provider's page, which loads no script.</param>
    public static async Task AssertAccessibleAsync(IPage page, string name, bool ofTheWebService = true)
    {
        System.IO.Directory.CreateDirectory(ScreenshotFolder);
        // The page's scripts are deferred modules: a test may hold the page before they arrive (an error summary is
        // visible first), and a script not yet fetched has no resource entry. The load event comes after them.
        await page.WaitForLoadStateAsync(LoadState.Load);
        // Bytes as sent (compressed, if the server compressed them) of every script the page loaded, module imports included.
        var script = await page.EvaluateAsync<long>(
            "() => performance.getEntriesByType('resource').filter(r => /\\.m?js(\\?|$)/.test(r.name)).reduce((n, r) => n + (r.encodedBodySize || r.transferSize || 0), 0)");
        Assert.True(script <= MaxScriptBytes && (script > 0 || !ofTheWebService), $"{name} loads {script} bytes of script (GOV.UK Frontend's at least; at most {MaxScriptBytes})");
        var desktop = page.ViewportSize!;
        await AssertNoSeriousViolationsAsync(page, name + " (desktop)");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + ".png"), FullPage = true });

        await page.SetViewportSizeAsync(320, 640);
        await AssertNoSeriousViolationsAsync(page, name + " (320 px)");
        var overflow = await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth - document.documentElement.clientWidth");
        Assert.True(overflow <= 0, $"{name} scrolls sideways by {overflow} px at 320 px width");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotFolder, name + "-320.png"), FullPage = true });
        await page.SetViewportSizeAsync(desktop.Width, desktop.Height);
    }

    private static async Task AssertNoSeriousViolationsAsync(IPage page, string where)
    {
        var result = await page.RunAxe();
        var serious = result.Violations.Where(v => v.Impact is "serious" or "critical").ToList();
        Assert.True(serious.Count == 0, $"{where}: " + string.Join("; ", serious.Select(v =>
            $"{v.Id} ({v.Impact}): {v.Help} at {string.Join(", ", v.Nodes.Select(n => n.Html))}")));
    }
}
