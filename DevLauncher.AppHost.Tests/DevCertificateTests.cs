using DevLauncher.Hosting;

namespace DevLauncher.AppHost.Tests;

public sealed class DevCertificateTests
{
    private static readonly Dictionary<string, string?> HttpsProfile = new() { ["ASPNETCORE_URLS"] = "https://localhost:17100;http://localhost:15100" };

    [Fact]
    public void Without_a_certificate_the_https_profile_gets_the_http_profiles_addresses()
    {
        using var notices = new StringWriter();
        var args = DevCertificate.HttpWhenMissing(["--x=1"], k => HttpsProfile.GetValueOrDefault(k), () => false, notices);

        Assert.Equal("--x=1", args[0]);
        Assert.Contains("--ASPNETCORE_URLS=http://localhost:15100", args);
        Assert.Contains("--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true", args);
        Assert.DoesNotContain(args, a => a.Contains("https://", StringComparison.Ordinal));
    }

    [Fact]
    public void Without_a_certificate_one_line_says_the_dashboard_runs_on_http()
    {
        using var notices = new StringWriter();
        DevCertificate.HttpWhenMissing(["--x=1"], k => HttpsProfile.GetValueOrDefault(k), () => false, notices);

        Assert.Equal(DevCertificate.HttpNotice + Environment.NewLine, notices.ToString());
    }

    [Fact]
    public void With_a_certificate_or_an_http_profile_nothing_changes()
    {
        using var notices = new StringWriter();
        Assert.Equal(["--x=1"], DevCertificate.HttpWhenMissing(["--x=1"], k => HttpsProfile.GetValueOrDefault(k), () => true, notices));
        Assert.Equal(["--x=1"], DevCertificate.HttpWhenMissing(["--x=1"], _ => "http://localhost:15100", () => false, notices));
        Assert.Equal(["--x=1"], DevCertificate.HttpWhenMissing(["--x=1"], _ => null, () => false, notices));
        Assert.Empty(notices.ToString());
    }
}
