using Xunit;

namespace Jtai.Strategy.Testing;

/// <summary>Signing in to the web service through the development OIDC provider, without a browser (the browser tests and the web benchmark).</summary>
public static class WebSignIn
{
    /// <summary>
    /// A client of the web service at <paramref name="webAddress"/> signed in as the example user over plain HTTP, without a browser: the OpenID Connect
    /// code flow followed by hand (the web's challenge, the provider's sign-in form posted with its antiforgery token,
    /// the code back to the web), its cookies kept. It follows no redirect itself, so a test sees each answer as sent.
    /// </summary>
    public static async Task<HttpClient> OverHttpAsync(Uri webAddress, string userName, string password)
    {
        var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = new System.Net.CookieContainer() }) { BaseAddress = webAddress };
        var next = new Uri(webAddress, "sign-in");
        for (var step = 0; step < 12; step++)
        {
            using var response = await client.GetAsync(next);
            if (response.StatusCode is System.Net.HttpStatusCode.Redirect or System.Net.HttpStatusCode.Found or System.Net.HttpStatusCode.SeeOther)
            {
                next = new Uri(next, response.Headers.Location!);
                if (next.GetLeftPart(UriPartial.Authority) == webAddress.GetLeftPart(UriPartial.Authority) && next.AbsolutePath == "/home")
                {
                    return client; // the web's cookie is set: signed in
                }

                continue;
            }

            var page = await response.Content.ReadAsStringAsync();
            Assert.True(response.IsSuccessStatusCode && next.AbsolutePath == "/sign-in", $"Signing in as {userName}: {next} answered {(int)response.StatusCode}\n{page}");
            // The provider's form: its antiforgery field and the authorization request to return to.
            var fields = System.Text.RegularExpressions.Regex.Matches(page, "<input type=\"hidden\" name=\"([^\"]+)\" value=\"([^\"]*)\">")
                .ToDictionary(m => System.Net.WebUtility.HtmlDecode(m.Groups[1].Value), m => System.Net.WebUtility.HtmlDecode(m.Groups[2].Value));
            fields["user"] = userName;
            fields["password"] = password;
            using var posted = await client.PostAsync(new Uri(next, "/sign-in"), new FormUrlEncodedContent(fields));
            Assert.True(posted.StatusCode == System.Net.HttpStatusCode.Redirect || posted.StatusCode == System.Net.HttpStatusCode.Found,
                $"Signing in as {userName}: the provider's form answered {(int)posted.StatusCode}\n{await posted.Content.ReadAsStringAsync()}");
            next = new Uri(next, posted.Headers.Location!);
        }

        throw new InvalidOperationException($"Signing in as {userName} did not reach /home within 12 steps (last: {next}).");
    }
}
