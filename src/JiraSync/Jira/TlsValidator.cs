using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using JiraSync.Errors;

namespace JiraSync.Jira;

/// <summary>
/// Server certificate validation: the platform's own verdict first (system roots, host name, dates);
/// if that fails only because the chain ends in a root the system does not trust, the chain is built
/// again with the <c>ca_cert</c> roots as the sole trust anchors. TLS is never switched off. Remembers
/// which root vouched for the server (for `jirasync check`) and why the last refusal happened (for
/// the one-line error).
/// </summary>
internal sealed class TlsValidator
{
    private readonly X509Certificate2Collection? _customRoots;
    private readonly string? _caCertPath;
    private volatile string? _verifiedBy;
    private volatile string? _lastFailure;

    internal TlsValidator(string? caCertPath)
    {
        _caCertPath = caCertPath;
        if (caCertPath != null) _customRoots = LoadRoots(caCertPath);
    }

    /// <summary>How the last accepted server certificate was trusted, e.g.
    /// "CN=Example Root CA (system trust store)"; null before the first TLS handshake.</summary>
    internal string? VerifiedBy => _verifiedBy;

    /// <summary>Why the last certificate was refused, phrased for the user; null if none was.</summary>
    internal string? LastFailure => _lastFailure;

    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            _verifiedBy = $"{RootSubject(chain) ?? "a trusted root"} (system trust store)";
            return true;
        }
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNotAvailable))
            return Refuse("the server sent no certificate");
        if (errors.HasFlag(SslPolicyErrors.RemoteCertificateNameMismatch))
            return Refuse($"certificate does not match the host name (it is issued to {Subject(certificate)})");

        // Only chain errors are left. Retry with the custom roots, if any, as the trust anchors.
        var status = ChainStatus(chain);
        if (_customRoots != null && certificate is X509Certificate2 leaf)
        {
            using var custom = new X509Chain();
            custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            custom.ChainPolicy.CustomTrustStore.AddRange(_customRoots);
            // Internal CAs seldom publish revocation lists; the platform's default for TLS is no check either.
            custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
            if (chain != null)
                foreach (var element in chain.ChainElements.Skip(1)) custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            if (custom.Build(leaf))
            {
                _verifiedBy = $"{RootSubject(custom) ?? "ca_cert root"} (from ca_cert {_caCertPath})";
                return true;
            }
            return Refuse($"certificate not trusted: it chains neither to a system root nor to ca_cert {_caCertPath} ({ChainStatus(custom)})");
        }
        var untrustedRoot = status.Contains("UntrustedRoot") || status.Contains("PartialChain");
        return Refuse(untrustedRoot
            ? $"certificate not trusted (issued by {Issuer(certificate)}, not a system root): set ca_cert to the PEM file of that CA"
            : $"certificate not valid: {status}");
    }

    private bool Refuse(string reason)
    {
        _lastFailure = reason;
        return false;
    }

    private static X509Certificate2Collection LoadRoots(string path)
    {
        var roots = new X509Certificate2Collection();
        try
        {
            roots.ImportFromPemFile(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or CryptographicException or ArgumentException)
        {
            var reason = ex is CryptographicException ? ex.Message.TrimEnd('.') : UserFile.Cause(ex, path);
            throw new ConfigException($"\"ca_cert\" {path} cannot be read: {reason}", ex);
        }
        if (roots.Count == 0)
            throw new ConfigException($"\"ca_cert\" {path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
        return roots;
    }

    private static string? RootSubject(X509Chain? chain) =>
        chain is { ChainElements.Count: > 0 } ? chain.ChainElements[^1].Certificate.Subject : null;

    private static string ChainStatus(X509Chain? chain) =>
        chain == null || chain.ChainStatus.Length == 0 ? "unknown chain error"
            : string.Join(", ", chain.ChainStatus.Select(s => s.Status.ToString()).Distinct());

    private static string Subject(X509Certificate? c) => c?.Subject is { Length: > 0 } s ? s : "an unnamed subject";
    private static string Issuer(X509Certificate? c) => c?.Issuer is { Length: > 0 } s ? s : "an unknown issuer";
}
