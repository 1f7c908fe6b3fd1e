using System.Collections.Concurrent;
using System.Security.Cryptography;

namespace Wallboard.Hub.Live.Access;

/// <summary>
/// Sessions of the Hangfire dashboard (<c>/hangfire</c>): an admin opens it once with the key, and
/// its cookie then carries a random session reference, never the key itself, so a cookie that
/// leaks (a proxy log, a shared browser profile) is worth a few hours of one dashboard, not the
/// admin key. Sessions live in memory for <see cref="Lifetime"/>; a restart ends them all.
/// </summary>
internal sealed class DashboardSessions(TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>More than any team of admins opens in <see cref="Lifetime"/>; beyond it the oldest go first, so the table stays small.</summary>
    private const int Capacity = 1024;

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>A new session holding <paramref name="roles"/>; returns its reference (256 random bits, base64url).</summary>
    public string Open(IReadOnlyCollection<string> roles)
    {
        var now = time.GetUtcNow();
        if (_sessions.Count >= Capacity)
        {
            foreach (var old in _sessions.OrderBy(pair => pair.Value.Expires).Take(_sessions.Count - Capacity + 1).ToList())
            {
                _sessions.TryRemove(old.Key, out _);
            }
        }

        var reference = Microsoft.AspNetCore.WebUtilities.WebEncoders.Base64UrlEncode(RandomNumberGenerator.GetBytes(32));
        _sessions[reference] = new Session(roles, now + Lifetime);
        return reference;
    }

    /// <summary>The roles of a live session; empty for an unknown or expired reference.</summary>
    public IReadOnlyCollection<string> RolesOf(string reference)
    {
        if (!_sessions.TryGetValue(reference, out var session))
        {
            return [];
        }

        if (session.Expires <= time.GetUtcNow())
        {
            _sessions.TryRemove(reference, out _);
            return [];
        }

        return session.Roles;
    }

    private sealed record Session(IReadOnlyCollection<string> Roles, DateTimeOffset Expires);
}
