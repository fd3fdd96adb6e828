using DevLauncher.AppHost.Tests.Infrastructure;
using DevLauncher.Contracts;

namespace DevLauncher.AppHost.Tests;

/// <summary>A user's path through the running system, over HTTP, and the trace it leaves in the logs.</summary>
public sealed partial class RunningAppTests
{
    [Fact]
    public async Task Register_sign_in_create_a_thread_post_through_the_backend_and_see_it_on_the_frontend()
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
    public async Task The_frontend_forms_register_sign_in_create_post_and_sign_out()
    {
        var email = ApiClient.NewEmail();
        using var browser = NewFrontendSession();

        var afterRegister = await browser.SubmitFormAsync("/register", new() { ["Email"] = email, ["Password"] = ApiClient.Password });
        Assert.Contains("Your account is ready", afterRegister, StringComparison.Ordinal);
        var threads = await browser.SubmitFormAsync("/signin", new() { ["Email"] = email, ["Password"] = ApiClient.Password });
        Assert.Contains("Your threads", threads, StringComparison.Ordinal);
        var thread = await browser.SubmitFormAsync("/", new() { ["Title"] = "<script>alert(1)</script>" });
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", thread, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", thread, StringComparison.Ordinal);
        var threadUrl = browser.LastUrl!;
        var withMessage = await browser.SubmitFormAsync(threadUrl.PathAndQuery, new() { ["Body"] = "hello from the form" });
        Assert.Contains("hello from the form", withMessage, StringComparison.Ordinal);

        var signedOut = await browser.SubmitFormAsync(threadUrl.PathAndQuery, [], formAction: "/signout");
        Assert.Contains("<h1>Sign in</h1>", signedOut, StringComparison.Ordinal);
        var again = await browser.GetPageAsync(threadUrl.PathAndQuery);
        Assert.Contains("<h1>Sign in</h1>", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_frontend_request_leaves_the_same_trace_id_in_the_logs_of_frontend_backend_and_auth()
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
