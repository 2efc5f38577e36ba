#include "core/run/AttemptOutcome.h"

#include <QRegularExpression>

namespace headroom::run {

namespace {

using Kind = AttemptOutcome::Kind;
using RejectClass = AttemptOutcome::RejectClass;

AttemptOutcome rejected(RejectClass c)
{
    return {Kind::Rejected, c};
}

bool isWrite(const QByteArray &method)
{
    const QByteArray m = method.toUpper();
    return m != "GET" && m != "HEAD" && m != "OPTIONS";
}

// A 400 or 422 names what is wrong in its body; the APIs' words for a size
// and for an identifier are few and stable.
RejectClass ofInvalidRequest(QByteArrayView body)
{
    static const QRegularExpression size(
        QStringLiteral("larger than|too large|too long|exceeds|bytes|at most|limit of"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression identifier(
        QStringLiteral("\\b(identifiers?|id|ids|userId|anonymousId|anonymous_id|customer id|cio_id|email)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    const QString text = QString::fromUtf8(body.first(qMin<qsizetype>(body.size(), 2048)));
    if (text.contains(size))
        return RejectClass::Size;
    if (text.contains(identifier))
        return RejectClass::Identifier;
    return RejectClass::Schema;
}

} // namespace

AttemptOutcome AttemptOutcome::classify(const Facts &f)
{
    const int s = f.answered;
    const bool whole = !f.cutOff && !f.timedOut && !f.transportError;
    if (s >= 200 && s <= 299) {
        if (whole)
            return {Kind::Delivered};
        // A 2xx cut off: the server acted, but a batch's per-row verdicts are lost.
        return isWrite(f.method) ? AttemptOutcome{Kind::Ambiguous} : rejected(RejectClass::Other);
    }
    if (s <= 0) {
        // Nothing came back. A request that never left changed nothing; a
        // read changes nothing either.
        return f.sent && isWrite(f.method) ? AttemptOutcome{Kind::Ambiguous} : rejected(RejectClass::Other);
    }
    if (s == 429)
        return rejected(RejectClass::Rate);
    if (s == 401 || s == 403)
        return rejected(RejectClass::Auth);
    if (s == 413)
        return rejected(RejectClass::Size);
    if (s == 404 || s == 410)
        return rejected(RejectClass::Identifier);
    if (s == 400 || s == 422)
        return rejected(ofInvalidRequest(f.body));
    if (s == 501 || s == 505)
        return rejected(RejectClass::Other); // never supported: nothing was done
    if (s >= 500 && s <= 599)
        return isWrite(f.method) ? AttemptOutcome{Kind::Ambiguous} : rejected(RejectClass::Other);
    return rejected(RejectClass::Other);
}

AttemptOutcome AttemptOutcome::ofProblem(bool payloadRule, const QString &message)
{
    if (payloadRule)
        return rejected(RejectClass::Size);
    return rejected(ofInvalidRequest(message.toUtf8()));
}

bool AttemptOutcome::resendIsSafe(const QString &operation, const QString &path)
{
    if (operation == QLatin1String("transactional_email") || operation == QLatin1String("broadcast_trigger"))
        return false;
    // Customer.io App API: /v1/send/{email,push,sms} and /v1/campaigns/{id}/triggers.
    static const QRegularExpression unkeyed(QStringLiteral("^/v1/(send/[^/?]+|campaigns/[^/?]+/triggers)/?(\\?|$)"));
    return operation != QLatin1String("request") || !unkeyed.match(path).hasMatch();
}

QString AttemptOutcome::kindName(Kind kind)
{
    switch (kind) {
    case Kind::Delivered: return QStringLiteral("delivered");
    case Kind::Rejected: return QStringLiteral("rejected");
    case Kind::Ambiguous: return QStringLiteral("ambiguous");
    }
    return {};
}

QString AttemptOutcome::rejectClassName(RejectClass c)
{
    switch (c) {
    case RejectClass::Identifier: return QStringLiteral("identifier");
    case RejectClass::Size: return QStringLiteral("size");
    case RejectClass::Schema: return QStringLiteral("schema");
    case RejectClass::Auth: return QStringLiteral("auth");
    case RejectClass::Rate: return QStringLiteral("rate");
    case RejectClass::Other: return QStringLiteral("other");
    }
    return {};
}

QString AttemptOutcome::name() const
{
    return kind == Kind::Rejected ? kindName(kind) + QLatin1Char(':') + rejectClassName(rejectClass) : kindName(kind);
}

} // namespace headroom::run
