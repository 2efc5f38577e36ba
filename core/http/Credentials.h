#pragma once

#include "core/apis/ApiProfile.h"

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>

#include <optional>

namespace headroom::http {

// The secret a lane authenticates with, and the non-secret name of the scope
// it belongs to. The secret leaves this object only as an Authorization header
// value; toString-like accessors never reveal it.
class Credentials
{
public:
    Credentials() = default;

    // Reads the profile's variables (HEADROOM_SITE_ID/HEADROOM_API_KEY,
    // HEADROOM_TOKEN, HEADROOM_WRITE_KEY). On a missing variable returns nullopt
    // and names it in *error (never the value).
    static std::optional<Credentials> fromEnvironment(const apis::ApiProfile &profile,
                                                      const QProcessEnvironment &env,
                                                      QString *error);
    // The sandbox's built-in defaults for the profile.
    static Credentials sandboxDefaults(const apis::ApiProfile &profile);
    static Credentials make(apis::AuthScheme scheme, const QString &user, const QString &secret);

    bool isEmpty() const { return m_authorization.isEmpty(); }
    // Value for the Authorization header; empty when the API takes none.
    QByteArray authorizationHeader() const { return m_authorization; }
    // Who this is, without the secret: a site id, or a fingerprint of a token.
    QString scopeName() const { return m_scopeName; }
    // Every secret string a redactor must never let through (raw and encoded).
    QList<QByteArray> secrets() const { return m_secrets; }

private:
    QByteArray m_authorization;
    QString m_scopeName;
    QList<QByteArray> m_secrets;
};

} // namespace headroom::http
