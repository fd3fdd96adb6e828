using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using DevLauncher.AppHost.Tests.Infrastructure;

namespace DevLauncher.AppHost.Tests;

/// <summary>
/// Every endpoint, given what a careless or hostile client sends: a 4xx that says why, never a 5xx. A bad request
/// loses nothing and breaks nothing.
/// </summary>
public sealed partial class RunningAppTests
{
    private const string Json = "application/json";
    private static readonly string HugeBody = JsonSerializer.Serialize(new { body = new string('x', 100_000) });

    public static TheoryData<string, string, string, string, string, int> MalformedRequests => new()
    {
        // service, method, path, content type, body, expected status
        { "auth", "POST", "/users", Json, "{\"email\":", 400 },
        { "auth", "POST", "/users", Json, "{}", 400 },
        { "auth", "POST", "/users", Json, "[1,2,3]", 400 },
        { "auth", "POST", "/users", Json, "{\"email\":\"no-at-sign\",\"password\":\"long enough password\"}", 400 },
        { "auth", "POST", "/users", Json, "{\"email\":\"a@example.com\",\"password\":\"short\"}", 400 },
        { "auth", "POST", "/users", Json, "{\"email\":\"" + new string('a', 400) + "@example.com\",\"password\":\"long enough password\"}", 400 },
        { "auth", "POST", "/users", Json, "{\"email\":\"x'); DROP TABLE auth.users;--@example.com\",\"password\":\"long enough password\"}", 400 },
        { "auth", "POST", "/users", Json, "{\"email\":42,\"password\":true}", 400 },
        { "auth", "POST", "/users", "text/plain", "email=a@example.com", 415 },
        { "auth", "POST", "/users", Json, HugeBody, 413 },
        { "auth", "POST", "/sessions", Json, "not json", 400 },
        { "auth", "POST", "/sessions", Json, "{\"email\":\"nobody@example.com\"}", 400 },
        { "auth", "POST", "/sessions", Json, "{\"email\":\"nobody@example.com\",\"password\":\"whatever it is\"}", 401 },
        { "auth", "GET", "/sessions/current", "", "", 401 },
        { "auth", "DELETE", "/sessions/current", "", "", 401 },
        { "backend", "POST", "/threads", Json, "{\"title\":", 400 },
        { "backend", "POST", "/threads", Json, "{}", 400 },
        { "backend", "POST", "/threads", Json, "{\"title\":\"   \"}", 400 },
        { "backend", "POST", "/threads", Json, "{\"title\":\"" + new string('t', 201) + "\"}", 400 },
        { "backend", "POST", "/threads", Json, "{\"title\":\"nul\\u0000byte\"}", 400 },
        { "backend", "POST", "/threads", "text/html", "<h1>title</h1>", 415 },
        { "backend", "POST", "/threads", Json, HugeBody, 413 },
        { "backend", "POST", "/threads/{thread}/messages", Json, "{\"body\":\"\"}", 400 },
        { "backend", "POST", "/threads/{thread}/messages", Json, "{\"body\":\"" + new string('b', 4001) + "\"}", 400 },
        { "backend", "POST", "/threads/{thread}/messages", Json, "{\"body\":[\"not\",\"a\",\"string\"]}", 400 },
        { "backend", "POST", "/threads/999999999/messages", Json, "{\"body\":\"to nowhere\"}", 404 },
        { "backend", "GET", "/threads/999999999/messages", "", "", 404 },
        { "backend", "GET", "/threads/not-a-number/messages", "", "", 404 },
        { "backend", "GET", "/threads/99999999999999999999999/messages", "", "", 404 },
    };

    public static TheoryData<string> BadTokens => ["", "Bearer", "Bearer not-a-token", "Bearer " + new string('A', 43), "Basic dXNlcjpwYXNz", "Bearer expired"];

    [Theory]
    [MemberData(nameof(MalformedRequests))]
    public async Task Malformed_requests_get_a_4xx_with_a_reason(string service, string method, string path, string contentType, string body, int expected)
    {
        using var api = NewApiClient();
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail());
        var thread = await api.CreateThreadAsync(token, "bad input target");
        var url = (service == "auth" ? App.Auth : App.Backend) + path.Replace("{thread}", thread.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal);
        var sendToken = service == "backend" ? token : null;

        using var response = contentType.Length == 0
            ? await api.SendAsync(new HttpMethod(method), url, sendToken)
            : await api.SendRawAsync(new HttpMethod(method), url, sendToken, body, contentType);

        var text = await response.Content.ReadAsStringAsync(CancellationToken);
        Assert.True((int)response.StatusCode == expected, $"{method} {path}: {(int)response.StatusCode} {text}");
        if (response.StatusCode != HttpStatusCode.NotFound || text.Length > 0)
        {
            AssertHasReason(text);
        }
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_missing_malformed_unknown_or_expired_token_is_401_with_a_reason(string authorization)
    {
        if (authorization == "Bearer expired")
        {
            authorization = "Bearer " + await ExpiredTokenAsync();
        }

        using var http = new HttpClient();
        foreach (var (method, path) in new[] { ("GET", "/threads"), ("POST", "/threads"), ("GET", "/threads/1/messages"), ("POST", "/threads/1/messages") })
        {
            using var request = new HttpRequestMessage(new HttpMethod(method), App.Backend + path)
            {
                Content = method == "POST" ? new StringContent("{\"title\":\"t\",\"body\":\"b\"}", null, Json) : null,
            };
            if (authorization.Length > 0)
            {
                request.Headers.TryAddWithoutValidation("Authorization", authorization);
            }

            using var response = await http.SendAsync(request, CancellationToken);
            var text = await response.Content.ReadAsStringAsync(CancellationToken);
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"{method} {path} with '{authorization}': {(int)response.StatusCode} {text}");
            AssertHasReason(text);
        }
    }

    [Fact]
    public async Task Another_users_thread_is_not_found()
    {
        using var api = NewApiClient();
        var alice = await api.SignUpAndInAsync(ApiClient.NewEmail());
        var bob = await api.SignUpAndInAsync(ApiClient.NewEmail());
        var thread = await api.CreateThreadAsync(alice, "alice's");

        using var peek = await api.SendAsync(HttpMethod.Get, $"{App.Backend}/threads/{thread}/messages", bob);
        using var write = await api.PostMessageAsync(bob, thread, "intrusion");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound), (peek.StatusCode, write.StatusCode));
    }

    [Fact]
    public async Task A_users_list_holds_none_of_another_users_threads()
    {
        using var api = NewApiClient();
        var alice = await api.SignUpAndInAsync(ApiClient.NewEmail());
        var bob = await api.SignUpAndInAsync(ApiClient.NewEmail());
        await api.CreateThreadAsync(alice, "alice's");

        Assert.Empty((await GetJsonAsync(api, "/threads", bob)).EnumerateArray());
    }

    [Fact]
    public async Task A_users_threads_are_listed_newest_first()
    {
        using var api = NewApiClient();
        var alice = await api.SignUpAndInAsync(ApiClient.NewEmail());
        var first = await api.CreateThreadAsync(alice, "first");
        var second = await api.CreateThreadAsync(alice, "second");

        Assert.Equal([second, first], (await GetJsonAsync(api, "/threads", alice)).EnumerateArray().Select(t => t.GetProperty("id").GetInt64()));
    }

    [Fact]
    public async Task A_threads_messages_are_listed_oldest_first()
    {
        using var api = NewApiClient();
        var alice = await api.SignUpAndInAsync(ApiClient.NewEmail());
        var thread = await api.CreateThreadAsync(alice, "ordered");
        foreach (var body in new[] { "one", "two", "three" })
        {
            (await api.PostMessageAsync(alice, thread, body)).Dispose();
        }

        Assert.Equal(["one", "two", "three"], (await GetJsonAsync(api, $"/threads/{thread}/messages", alice)).EnumerateArray().Select(m => m.GetProperty("body").GetString()));
    }

    [Fact]
    public async Task An_email_is_unique_whatever_its_case()
    {
        using var api = NewApiClient();
        var email = ApiClient.NewEmail();
        await api.SignUpAndInAsync(email);

        using var again = await api.RegisterAsync(email.ToUpperInvariant(), "another long password");

        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        AssertHasReason(await again.Content.ReadAsStringAsync(CancellationToken));
    }

    [Fact]
    public async Task A_session_token_is_stored_only_as_its_hash()
    {
        using var api = NewApiClient();
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail());

        var raw = TokenBytes(token);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(App.Database,
            $"SELECT count(*) FROM auth.sessions WHERE token_hash = '\\x{Convert.ToHexString(SHA256.HashData(raw))}'::bytea", CancellationToken));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(App.Database,
            $"SELECT count(*) FROM auth.sessions WHERE token_hash = '\\x{Convert.ToHexString(raw)}'::bytea OR encode(token_hash, 'escape') LIKE '%{token[..10]}%'", CancellationToken));
    }

    private async Task<string> ExpiredTokenAsync()
    {
        using var api = NewApiClient();
        var token = await api.SignUpAndInAsync(ApiClient.NewEmail());
        await Sql.ExecuteAsync(App.Database,
            "UPDATE auth.sessions SET created_at = now() - interval '2 days', expires_at = now() - interval '1 day' " +
            $"WHERE token_hash = '\\x{Convert.ToHexString(SHA256.HashData(TokenBytes(token)))}'::bytea", CancellationToken);
        return token;
    }

    private async Task<JsonElement> GetJsonAsync(ApiClient api, string path, string token)
    {
        using var response = await api.SendAsync(HttpMethod.Get, $"{App.Backend}{path}", token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return JsonDocument.Parse(await response.Content.ReadAsStringAsync(CancellationToken)).RootElement.Clone();
    }

    /// <summary>The session token is base64url without padding; what auth stores is the SHA-256 of these bytes.</summary>
    private static byte[] TokenBytes(string token) => Convert.FromBase64String(token.Replace('-', '+').Replace('_', '/') + "=");
}
