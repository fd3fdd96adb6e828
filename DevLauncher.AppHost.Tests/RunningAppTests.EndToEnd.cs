using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Tests;

/// <summary>A user's path through the running system, over HTTP, and the trace it leaves in the logs.</summary>
public sealed partial class RunningAppTests
{
    [Fact]
    public async Task A_message_posted_through_the_backend_shows_on_the_frontends_thread_page()
    {
        using var api = NewApiClient();
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail());
        var threadId = await api.CreateThreadAsync(token, "Release planning");
        using (var posted = await api.PostMessageAsync(token, threadId, "Ship it on <Friday> & celebrate"))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        using var browser = NewFrontendSession();
        browser.UseSessionToken(token);
        var page = await browser.GetPageAsync($"/threads/{threadId}");

        Assert.Contains("<h1>Release planning</h1>", page, StringComparison.Ordinal);
        Assert.Contains("Ship it on &lt;Friday&gt; &amp; celebrate", page, StringComparison.Ordinal);
        // Times are shown in UTC and say so: a developer's machine and the server may be in different time zones.
        Assert.Matches(@"\d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC</time>", page);
    }

    [Fact]
    public async Task The_frontend_forms_take_a_new_user_to_a_posted_message()
    {
        using var browser = NewFrontendSession();

        var (_, withMessage) = await ThroughTheFormsAsync(browser);

        Assert.Contains("hello from the form", withMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_thread_title_is_shown_escaped_on_its_page()
    {
        using var browser = NewFrontendSession();

        var (thread, _) = await ThroughTheFormsAsync(browser);

        var page = await browser.GetPageAsync(thread);
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_on_the_frontend_ends_the_session()
    {
        using var browser = NewFrontendSession();
        var (thread, _) = await ThroughTheFormsAsync(browser);

        var signedOut = await browser.SubmitFormAsync(thread, [], formAction: "/signout");

        Assert.Contains("<h1>Sign in</h1>", signedOut, StringComparison.Ordinal);
        Assert.Contains("<h1>Sign in</h1>", await browser.GetPageAsync(thread), StringComparison.Ordinal);
    }

    /// <summary>Registers, signs in, creates a thread and posts in it, each through its form; the thread's path and page.</summary>
    private static async Task<(string Thread, string Page)> ThroughTheFormsAsync(FrontendSession browser)
    {
        var email = ApiClient.NewEmail();
        var afterRegister = await browser.SubmitFormAsync("/register", new() { ["Email"] = email, ["Password"] = ApiClient.Password });
        Assert.Contains("Your account is ready", afterRegister, StringComparison.Ordinal);
        var threads = await browser.SubmitFormAsync("/signin", new() { ["Email"] = email, ["Password"] = ApiClient.Password });
        Assert.Contains("Your threads", threads, StringComparison.Ordinal);
        await browser.SubmitFormAsync("/", new() { ["Title"] = "<script>alert(1)</script>" });
        var thread = browser.LastUrl!.PathAndQuery;
        return (thread, await browser.SubmitFormAsync(thread, new() { ["Body"] = "hello from the form" }));
    }

    [Fact]
    public async Task One_frontend_request_leaves_one_trace_id_in_the_three_services_logs()
    {
        using var api = NewApiClient();
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail());
        var threadId = await api.CreateThreadAsync(token, "Tracing");
        using var browser = NewFrontendSession();
        browser.UseSessionToken(token);

        await browser.GetPageAsync($"/threads/{threadId}");

        var logs = await shared.Telemetry.WaitForLogsAsync(l => TraceOfThreadPage(l, threadId).Count == 3, AppResources.WaitTimeout, CancellationToken);
        var trace = TraceOfThreadPage(logs, threadId);
        Assert.True(trace.Count == 3, $"Found only {string.Join(", ", trace.Select(r => $"{r.Resource}: {r.Body}"))}");
        Assert.Single(trace.Select(r => r.TraceId).Distinct());
    }

    /// <summary>The frontend's line for the page, and backend's and auth's lines with the same trace id.</summary>
    private static List<LogRecord> TraceOfThreadPage(IReadOnlyList<LogRecord> logs, long threadId)
    {
        var page = logs.FirstOrDefault(r => r.Resource == ResourceNames.Frontend && r.Body.Contains($"Thread page {threadId} shown", StringComparison.Ordinal));
        if (page is null || page.TraceId.Length == 0)
        {
            return [];
        }

        var sameTrace = logs.Where(r => r.TraceId == page.TraceId).ToList();
        return
        [
            page,
            .. sameTrace.Where(r => r.Resource == ResourceNames.Backend && r.Body.Contains($"messages of thread {threadId}", StringComparison.Ordinal)).Take(1),
            .. sameTrace.Where(r => r.Resource == ResourceNames.Auth && r.Body.Contains("Session check: user", StringComparison.Ordinal)).Take(1),
        ];
    }
}
