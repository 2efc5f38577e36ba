#include "core/http/Credentials.h"

#include <QCoreApplication>
#include <QCryptographicHash>

namespace headroom::http {

using apis::AuthScheme;

namespace {

QString fingerprint(const QString &secret)
{
    const QByteArray hash = QCryptographicHash::hash(secret.toUtf8(), QCryptographicHash::Sha256).toHex();
    return QStringLiteral("key:") + QString::fromLatin1(hash.left(8));
}

} // namespace

Credentials Credentials::make(AuthScheme scheme, const QString &user, const QString &secret)
{
    Credentials c;
    switch (scheme) {
    case AuthScheme::None:
        return c;
    case AuthScheme::BasicSiteKey: {
        const QByteArray basic = (user + QLatin1Char(':') + secret).toUtf8().toBase64();
        c.m_authorization = "Basic " + basic;
        c.m_scopeName = QStringLiteral("site:") + user;
        c.m_secrets = {secret.toUtf8(), basic};
        break;
    }
    case AuthScheme::Bearer:
        c.m_authorization = "Bearer " + secret.toUtf8();
        c.m_scopeName = fingerprint(secret);
        c.m_secrets = {secret.toUtf8()};
        break;
    case AuthScheme::BasicWriteKey: {
        const QByteArray basic = (secret + QLatin1Char(':')).toUtf8().toBase64();
        c.m_authorization = "Basic " + basic;
        c.m_scopeName = fingerprint(secret);
        c.m_secrets = {secret.toUtf8(), basic};
        break;
    }
    }
    return c;
}

std::optional<Credentials> Credentials::fromEnvironment(const apis::ApiProfile &profile,
                                                        const QProcessEnvironment &env, QString *error)
{
    const QStringList vars = profile.credentialVariables();
    QStringList missing;
    for (const QString &v : vars) {
        if (env.value(v).isEmpty())
            missing << v;
    }
    if (profile.name == QLatin1String("generic") && !missing.isEmpty())
        return Credentials{}; // a generic API may need no auth at all
    if (!missing.isEmpty()) {
        if (error) {
            *error = QCoreApplication::translate("Credentials",
                                                 "profile %1 needs the environment variable(s) %2")
                         .arg(profile.name, missing.join(QStringLiteral(", ")));
        }
        return std::nullopt;
    }
    switch (profile.auth) {
    case AuthScheme::BasicSiteKey:
        return make(profile.auth, env.value(vars.at(0)), env.value(vars.at(1)));
    case AuthScheme::Bearer:
    case AuthScheme::BasicWriteKey:
        return make(profile.auth, {}, env.value(vars.at(0)));
    case AuthScheme::None:
        break;
    }
    return Credentials{};
}

Credentials Credentials::sandboxDefaults(const apis::ApiProfile &profile)
{
    switch (profile.auth) {
    case AuthScheme::BasicSiteKey:
        return make(profile.auth, QStringLiteral("sandbox-site"), QStringLiteral("sandbox-key"));
    case AuthScheme::Bearer:
        return make(profile.auth, {}, QStringLiteral("sandbox-token"));
    case AuthScheme::BasicWriteKey:
        return make(profile.auth, {}, QStringLiteral("sandbox-write-key"));
    case AuthScheme::None:
        break;
    }
    return {};
}

} // namespace headroom::http
