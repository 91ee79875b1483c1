using Jtai.Strategy.BuildingBlocks.Security;

namespace Jtai.Strategy.Platform.Tests;

/// <summary>
/// Whether an OIDC provider's metadata must come over https: yes unless the provider is on loopback, or the setting
/// says otherwise (docker-compose.yml's provider on the private container network). A real provider's address never
/// loosens it by itself.
/// </summary>
public sealed class RequireHttpsMetadataTests
{
    [Theory]
    [InlineData(null, "https://login.partnership.example/", true)]
    [InlineData(null, "http://dev-identity:5443/", true)]
    [InlineData(null, "http://127.0.0.1:27443/", false)]
    [InlineData(null, "http://localhost:27443/", false)]
    [InlineData(false, "http://dev-identity:5443/", false)]
    [InlineData(true, "http://127.0.0.1:27443/", true)]
    public void Https_is_required_except_on_loopback_or_when_configured_otherwise(bool? configured, string authority, bool required) =>
        Assert.Equal(required, AuthExtensions.RequireHttpsMetadata(configured, authority));
}
