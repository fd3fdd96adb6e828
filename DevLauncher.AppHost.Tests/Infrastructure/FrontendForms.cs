namespace DevLauncher.AppHost.Tests.Infrastructure;

public static class FrontendForms
{
    private const string TokenMarker = "name=\"__RequestVerificationToken\" type=\"hidden\" value=\"";

    /// <summary>GETs the page with the form, then POSTs the fields with its anti-forgery token, as a browser does.</summary>
    public static async Task<string> SubmitAsync(HttpClient client, string path, Dictionary<string, string> fields, CancellationToken cancellationToken)
    {
        var form = await client.GetStringAsync(path, cancellationToken);
        var start = form.IndexOf(TokenMarker, StringComparison.Ordinal);
        Assert.True(start >= 0, $"No anti-forgery token on {path}");
        start += TokenMarker.Length;
        fields["__RequestVerificationToken"] = WebUtility.HtmlDecode(form[start..form.IndexOf('"', start)]);

        using var content = new FormUrlEncodedContent(fields);
        using var response = await client.PostAsync(path, content, cancellationToken);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync(cancellationToken);
    }
}
