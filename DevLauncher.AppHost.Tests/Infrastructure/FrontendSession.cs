using System.Text.RegularExpressions;

namespace DevLauncher.AppHost.Tests.Infrastructure;

/// <summary>
/// A cookie-keeping HTTP client that fills the frontend's forms the way a browser does, anti-forgery token included,
/// and keeps the status of every page, 4xx included.
/// </summary>
public sealed partial class FrontendSession : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _http;
    private readonly Uri _baseAddress;
    private readonly CancellationToken _cancellationToken;

    public FrontendSession(string frontend, CancellationToken cancellationToken)
    {
        _baseAddress = new Uri(frontend);
        _cancellationToken = cancellationToken;
        _http = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = true }) { BaseAddress = _baseAddress };
    }

    public Uri? LastUrl { get; private set; }

    public HttpStatusCode LastStatus { get; private set; }

    public void UseSessionToken(string token) => _cookies.Add(_baseAddress, new Cookie("devlauncher_session", token));

    public async Task<string> GetPageAsync(string path)
    {
        using var response = await _http.GetAsync(path, _cancellationToken);
        return await KeepAsync(response);
    }

    /// <summary>GETs the page with the form, then POSTs the fields with the page's anti-forgery token.</summary>
    public async Task<string> SubmitFormAsync(string pagePath, Dictionary<string, string> fields, string? formAction = null)
    {
        var page = await GetPageAsync(pagePath);
        var token = AntiforgeryPattern().Match(page);
        Assert.True(token.Success, $"No anti-forgery token on {pagePath}:{Environment.NewLine}{page}");
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value);

        using var form = new FormUrlEncodedContent(fields);
        using var response = await _http.PostAsync(formAction ?? pagePath, form, _cancellationToken);
        return await KeepAsync(response);
    }

    public void Dispose() => _http.Dispose();

    private async Task<string> KeepAsync(HttpResponseMessage response)
    {
        LastUrl = response.RequestMessage?.RequestUri;
        LastStatus = response.StatusCode;
        return await response.Content.ReadAsStringAsync(_cancellationToken);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex AntiforgeryPattern();
}
