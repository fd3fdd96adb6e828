namespace DevLauncher.Frontend.Infrastructure;

/// <summary>
/// The auth token lives in this cookie: HttpOnly (no script can read it) and SameSite=Strict (no other site can make
/// the browser send it), and Secure whenever the page itself came over HTTPS.
/// </summary>
internal static class SessionCookie
{
    public const string Name = "devlauncher_session";

    public static string? Read(HttpRequest request) => request.Cookies[Name] is { Length: > 0 } token ? token : null;

    public static void Write(HttpResponse response, HttpRequest request, SessionDto session) =>
        response.Cookies.Append(Name, session.Token, new CookieOptions
        {
            HttpOnly = true,
            SameSite = SameSiteMode.Strict,
            Secure = request.IsHttps,
            Expires = session.ExpiresAt,
            Path = "/",
        });

    public static void Delete(HttpResponse response) => response.Cookies.Delete(Name, new CookieOptions { Path = "/" });
}
