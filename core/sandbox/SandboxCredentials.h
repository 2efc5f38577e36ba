#pragma once

#include <QHash>
#include <QJsonObject>
#include <QStringList>

namespace headroom::sandbox {

// The credentials the sandbox accepts, and which workspace a Bearer token of
// the Customer.io App API belongs to (so /v1/send/email shares the Track limit
// of that workspace, as on the real service).
struct SandboxCredentials
{
    QHash<QString, QString> trackWorkspaces{{QStringLiteral("sandbox-site"), QStringLiteral("sandbox-key")}}; // site_id -> api_key
    QStringList bearerTokens{QStringLiteral("sandbox-token")};
    QHash<QString, QString> tokenWorkspaces{{QStringLiteral("sandbox-token"), QStringLiteral("sandbox-site")}}; // token -> site_id
    QStringList writeKeys{QStringLiteral("sandbox-write-key")};

    // The Track workspace whose limit an App API token shares; the token itself when unmapped.
    QString workspaceOfToken(const QString &token) const { return tokenWorkspaces.value(token, token); }

    QJsonObject toJson() const;
    bool merge(const QJsonObject &json, QString *error);
};

} // namespace headroom::sandbox
