using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using DevLauncher.Tests.Infrastructure;

namespace DevLauncher.Tests.Distributed;

/// <summary>A user's path through the running system, over HTTP, and what it leaves in the logs.</summary>
public sealed partial class EndToEndTests(SharedSystemFixture system) : IClassFixture<SharedSystemFixture>
{
    [Fact]
    public async Task Register_sign_in_create_a_thread_post_through_the_backend_and_see_it_on_the_frontend()
    {
        using var api = new ApiClient(system.Ready);
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail());
        var threadId = await api.CreateThreadAsync(token, "Release planning");
        using (var posted = await api.PostMessageAsync(token, threadId, "Ship it on <Friday> & celebrate"))
        {
            Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        }

        using var browser = new FrontendSession(system.Ready.Frontend);
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
        using var browser = new FrontendSession(system.Ready.Frontend);

        var afterRegister = await browser.SubmitFormAsync("/register", new() { ["Email"] = email, ["Password"] = "correct horse battery" });
        Assert.Contains("Your account is ready", afterRegister, StringComparison.Ordinal);
        var threads = await browser.SubmitFormAsync("/signin", new() { ["Email"] = email, ["Password"] = "correct horse battery" });
        Assert.Contains("Your threads", threads, StringComparison.Ordinal);
        var thread = await browser.SubmitFormAsync("/", new() { ["Title"] = "<script>alert(1)</script>" });
        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;", thread, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert(1)</script>", thread, StringComparison.Ordinal);
        var threadUrl = browser.LastUrl!;
        var withMessage = await browser.SubmitFormAsync(threadUrl.PathAndQuery, new() { ["Body"] = "hello from the form" });
        Assert.Contains("hello from the form", withMessage, StringComparison.Ordinal);

        var signedOut = await browser.SubmitFormAsync(threadUrl.PathAndQuery, new(), formAction: "/signout");
        Assert.Contains("<h1>Sign in</h1>", signedOut, StringComparison.Ordinal);
        var again = await browser.GetPageAsync(threadUrl.PathAndQuery);
        Assert.Contains("<h1>Sign in</h1>", again, StringComparison.Ordinal);
    }

    [Fact]
    public async Task One_frontend_request_leaves_the_same_trace_id_in_the_logs_of_frontend_backend_and_auth()
    {
        using var api = new ApiClient(system.Ready);
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail());
        var threadId = await api.CreateThreadAsync(token, "Tracing");
        using var browser = new FrontendSession(system.Ready.Frontend);
        browser.UseSessionToken(token);

        await browser.GetPageAsync($"/threads/{threadId}");

        var traceId = await EventuallyAsync(() => TraceIdOf("frontend", $"Thread page {threadId} shown"));
        Assert.NotNull(traceId);
        Assert.NotNull(await EventuallyAsync(() => LinesWithTrace("backend", traceId).FirstOrDefault(l => l.Contains($"messages of thread {threadId}", StringComparison.Ordinal))));
        Assert.NotNull(await EventuallyAsync(() => LinesWithTrace("auth", traceId).FirstOrDefault(l => l.Contains("Session check: user", StringComparison.Ordinal))));
    }

    [Fact]
    public async Task No_password_or_token_reaches_the_logs_or_the_spans()
    {
        using var api = new ApiClient(system.Ready);
        var password = $"secret-{Guid.NewGuid():N}";
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail(), password);
        var threadId = await api.CreateThreadAsync(token, "Secrets");
        (await api.PostMessageAsync(token, threadId, "hello")).Dispose();
        (await api.SendAsync(HttpMethod.Get, $"{system.Ready.Backend}/threads", token)).Dispose();
        await Task.Delay(500); // let the last log lines arrive

        var output = system.Host.Output;
        // The services run with --console-traces: their spans and every span attribute are in this output too.
        Assert.Contains("Activity.DisplayName:", output, StringComparison.Ordinal);
        Assert.Contains("db.query.text", output, StringComparison.Ordinal);
        var superuserPassword = new Npgsql.NpgsqlConnectionStringBuilder(system.Ready.Database).Password!;
        var servicePassword = new Npgsql.NpgsqlConnectionStringBuilder(system.Ready.ServiceDatabase).Password!;
        Assert.DoesNotContain(password, output, StringComparison.Ordinal);
        Assert.DoesNotContain(token, output, StringComparison.Ordinal);
        Assert.DoesNotContain(superuserPassword, output, StringComparison.Ordinal);
        Assert.DoesNotContain(servicePassword, output, StringComparison.Ordinal);
    }

    private string? TraceIdOf(string service, string messageFragment) =>
        JsonLines(service).Where(l => l.Contains(messageFragment, StringComparison.Ordinal))
            .Select(l => TraceIdPattern().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).FirstOrDefault();

    private IEnumerable<string> LinesWithTrace(string service, string traceId) =>
        JsonLines(service).Where(l => l.Contains($"\"TraceId\":\"{traceId}\"", StringComparison.Ordinal));

    /// <summary>The JSON log lines one service printed, as relayed by the host ("auth       | {...}").</summary>
    private IEnumerable<string> JsonLines(string service) =>
        system.Host.Output.Split('\n')
            .Where(l => l.StartsWith(service.PadRight(10) + " | {", StringComparison.Ordinal))
            .Select(l => l[(service.PadRight(10).Length + 3)..])
            .Where(IsJson);

    private static bool IsJson(string line)
    {
        try
        {
            using var _ = JsonDocument.Parse(line);
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static async Task<T?> EventuallyAsync<T>(Func<T?> probe)
    {
        for (var i = 0; i < 50; i++)
        {
            if (probe() is { } value)
            {
                return value;
            }

            await Task.Delay(100);
        }

        return default;
    }

    [GeneratedRegex("\"TraceId\":\"([0-9a-f]{32})\"")]
    private static partial Regex TraceIdPattern();
}
