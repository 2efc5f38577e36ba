#include "core/budget/RedisUrl.h"

#include <QCoreApplication>
#include <QHostAddress>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace headroom::budget {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("RedisUrl", text);
}
} // namespace

std::optional<RedisUrl> RedisUrl::parse(const QString &text, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<RedisUrl> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    const QUrl url(text, QUrl::StrictMode);
    // Never echo `text` itself: it may hold a password.
    const bool tls = url.scheme() == QLatin1String("rediss");
    if (!url.isValid() || (!tls && url.scheme() != QLatin1String("redis")))
        return fail(tr("--shared-budget: expected redis://HOST:PORT/DB?key=NAME or rediss://HOST:PORT/DB?key=NAME"));
    RedisUrl out;
    out.tls = tls;
    out.host = url.host();
    if (out.host.isEmpty())
        return fail(tr("--shared-budget: the URL names no host"));
    const int port = url.port(6379);
    if (port <= 0 || port > 65535)
        return fail(tr("--shared-budget: bad port"));
    out.port = quint16(port);
    QString path = url.path();
    if (path.startsWith(QLatin1Char('/')))
        path.remove(0, 1);
    if (!path.isEmpty()) {
        bool ok = false;
        out.database = path.toInt(&ok);
        if (!ok || out.database < 0)
            return fail(tr("--shared-budget: the database must be a number (redis://HOST:PORT/0?key=NAME)"));
    }
    out.key = QUrlQuery(url).queryItemValue(QStringLiteral("key"), QUrl::FullyDecoded);
    static const QRegularExpression keyPattern(QStringLiteral("^[A-Za-z0-9._:@-]{1,200}$"));
    if (out.key.isEmpty())
        return fail(tr("--shared-budget: name the budget with ?key=NAME (one per workspace and API)"));
    if (!keyPattern.match(out.key).hasMatch())
        return fail(tr("--shared-budget: the key may hold letters, digits and . _ : @ - only"));
    const QString share = QUrlQuery(url).queryItemValue(QStringLiteral("share"));
    if (!share.isEmpty()) {
        bool ok = false;
        out.fallbackShare = share.toDouble(&ok);
        if (!ok || out.fallbackShare <= 0.0 || out.fallbackShare > 1.0)
            return fail(tr("--shared-budget: share must be a fraction in (0, 1]"));
    }
    out.user = url.userName(QUrl::FullyDecoded);
    out.password = url.password(QUrl::FullyDecoded);
    return out;
}

QString RedisUrl::redacted() const
{
    QString auth;
    if (!password.isEmpty())
        auth = user + QStringLiteral(":***@");
    else if (!user.isEmpty())
        auth = user + QLatin1Char('@');
    const QString shownHost = host.contains(QLatin1Char(':')) ? QLatin1Char('[') + host + QLatin1Char(']') : host;
    const QString scheme = tls ? QStringLiteral("rediss") : QStringLiteral("redis");
    QString text = QStringLiteral("%1://%2%3:%4/%5?key=%6").arg(scheme, auth, shownHost).arg(port).arg(database).arg(key);
    if (fallbackShare > 0.0)
        text += QStringLiteral("&share=") + QString::number(fallbackShare);
    return text;
}

bool RedisUrl::isLoopback() const
{
    if (host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

QByteArray RedisUrl::budgetKey() const
{
    return "headroom:budget:{" + key.toUtf8() + '}';
}

QByteArray RedisUrl::processesKey() const
{
    return budgetKey() + ":processes";
}

} // namespace headroom::budget
