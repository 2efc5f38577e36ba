#include "core/sandbox/SandboxStats.h"

#include <QJsonArray>

namespace headroom::sandbox {

namespace {
// An identity that is a dedupe key the client chose, not a person.
bool isKeyed(const QString &identity)
{
    return identity.startsWith(QLatin1String("id:")) || identity.startsWith(QLatin1String("messageId:"));
}
} // namespace

void SandboxStats::recordAccepted(const Acceptance &a, TimePoint now)
{
    QMutexLocker lock(&m_mutex);
    ApiCounters &api = m_apis[a.api];
    ++api.accepted;
    api.acceptedItems += a.items;
    for (const QString &identity : a.identities) {
        if (!a.dedupeScope.isEmpty() && isKeyed(identity)
            && !m_seenKeys.remember(a.dedupeScope + QLatin1Char('\n') + identity)) {
            ++api.duplicatesDropped;
            ++m_duplicatesDropped;
            continue;
        }
        int &count = m_identities[identity];
        if (++count > 1) {
            ++api.duplicates;
            ++m_duplicates;
        }
    }
    if (a.scope.isEmpty())
        return;
    ScopeCounters &s = scopeFor(a);
    ++s.accepted;
    s.peak.add(now);
    s.clientPeak.add(now);
    if (a.fixedWindow)
        countFixed(s, a.fixedWindowStart);
}

void SandboxStats::recordScopeAccepted(const Acceptance &a, TimePoint now)
{
    QMutexLocker lock(&m_mutex);
    ScopeCounters &s = scopeFor(a);
    ++s.accepted;
    s.peak.add(now);
    s.clientPeak.add(now);
    if (a.fixedWindow)
        countFixed(s, a.fixedWindowStart);
}

void SandboxStats::recordSilentlyDropped(const QString &api)
{
    QMutexLocker lock(&m_mutex);
    ++m_apis[api].silentlyDropped;
}

SandboxStats::ScopeCounters &SandboxStats::scopeFor(const Acceptance &a)
{
    auto it = m_scopes.find(a.scope);
    if (it == m_scopes.end() || it->peak.window() != a.window || it->limit != a.limit
        || it->fixedWindow != a.fixedWindow || it->windowKind != a.windowKind) {
        ScopeCounters fresh;
        fresh.api = a.api;
        fresh.limit = a.limit;
        fresh.fixedWindow = a.fixedWindow;
        fresh.windowKind = a.windowKind;
        fresh.peak = WindowPeakTracker(a.window);
        fresh.clientPeak = WindowPeakTracker(a.window);
        it = m_scopes.insert(a.scope, fresh);
    }
    return *it;
}

void SandboxStats::countFixed(ScopeCounters &s, TimePoint windowStart)
{
    if (s.currentFixedCount == 0 || s.currentFixedStart != windowStart) {
        s.currentFixedStart = windowStart;
        s.currentFixedCount = 0;
    }
    s.maxInFixedWindow = std::max(s.maxInFixedWindow, ++s.currentFixedCount);
}

void SandboxStats::recordNeighbour(const Acceptance &scope, TimePoint at, const RateDecision &decision)
{
    QMutexLocker lock(&m_mutex);
    ScopeCounters &s = scopeFor(scope);
    if (!decision.allowed) {
        ++s.neighbourRejected;
        return;
    }
    ++s.neighbourAccepted;
    s.peak.add(at);
    if (scope.fixedWindow)
        countFixed(s, decision.fixedWindowStart);
}

void SandboxStats::recordLostAnswer(const QString &api)
{
    QMutexLocker lock(&m_mutex);
    ++m_apis[api].lostAnswers;
}

void SandboxStats::recordRejected(const QString &api, int status)
{
    QMutexLocker lock(&m_mutex);
    ++m_apis[api].rejected[status];
}

void SandboxStats::recordLimited(const Acceptance &refusal)
{
    QMutexLocker lock(&m_mutex);
    ++scopeFor(refusal).rejected;
}

void SandboxStats::recordDropped(const QString &api)
{
    QMutexLocker lock(&m_mutex);
    ++m_apis[api].dropped;
}

QJsonObject SandboxStats::snapshot(bool withIdentities) const
{
    QMutexLocker lock(&m_mutex);
    qint64 accepted = 0, acceptedItems = 0, dropped = 0, silentlyDropped = 0, rejectedTotal = 0;
    QMap<int, qint64> rejected;
    QJsonObject apis;
    for (auto it = m_apis.begin(); it != m_apis.end(); ++it) {
        const ApiCounters &c = it.value();
        accepted += c.accepted;
        acceptedItems += c.acceptedItems;
        dropped += c.dropped;
        silentlyDropped += c.silentlyDropped;
        QJsonObject rejectedJson;
        for (auto r = c.rejected.begin(); r != c.rejected.end(); ++r) {
            rejected[r.key()] += r.value();
            rejectedTotal += r.value();
            rejectedJson.insert(QString::number(r.key()), r.value());
        }
        apis.insert(it.key(), QJsonObject{
                                  {QStringLiteral("accepted"), c.accepted},
                                  {QStringLiteral("acceptedItems"), c.acceptedItems},
                                  {QStringLiteral("duplicates"), c.duplicates},
                                  {QStringLiteral("duplicatesDropped"), c.duplicatesDropped},
                                  {QStringLiteral("dropped"), c.dropped},
                                  {QStringLiteral("silentlyDropped"), c.silentlyDropped},
                                  {QStringLiteral("lostAnswers"), c.lostAnswers},
                                  {QStringLiteral("rejected"), rejectedJson},
                              });
    }
    QJsonObject rejectedJson;
    for (auto r = rejected.begin(); r != rejected.end(); ++r)
        rejectedJson.insert(QString::number(r.key()), r.value());

    QJsonObject maxInWindow;
    QJsonObject scopes;
    for (auto it = m_scopes.begin(); it != m_scopes.end(); ++it) {
        const ScopeCounters &s = it.value();
        maxInWindow.insert(it.key(), s.peak.peak());
        QJsonObject scope{
            {QStringLiteral("api"), s.api},
            {QStringLiteral("limit"), s.limit},
            {QStringLiteral("windowMs"), qint64(std::chrono::duration_cast<std::chrono::milliseconds>(s.peak.window()).count())},
            {QStringLiteral("window"), !s.windowKind.isEmpty() ? s.windowKind
                                       : s.fixedWindow         ? QStringLiteral("fixed")
                                                               : QStringLiteral("sliding")},
            {QStringLiteral("accepted"), s.accepted},
            {QStringLiteral("rejected"), s.rejected},
            {QStringLiteral("neighbourAccepted"), s.neighbourAccepted},
            {QStringLiteral("neighbourRejected"), s.neighbourRejected},
            {QStringLiteral("maxInWindow"), s.peak.peak()},
            {QStringLiteral("clientMaxInWindow"), s.clientPeak.peak()},
        };
        if (s.fixedWindow)
            scope.insert(QStringLiteral("maxInFixedWindow"), s.maxInFixedWindow);
        scopes.insert(it.key(), scope);
    }

    QJsonObject result{
        {QStringLiteral("accepted"), accepted},
        {QStringLiteral("acceptedItems"), acceptedItems},
        {QStringLiteral("rejected"), rejectedJson},
        {QStringLiteral("rejectedTotal"), rejectedTotal},
        {QStringLiteral("dropped"), dropped},
        {QStringLiteral("silentlyDropped"), silentlyDropped},
        {QStringLiteral("duplicates"), m_duplicates},
        {QStringLiteral("duplicatesDropped"), m_duplicatesDropped},
        {QStringLiteral("distinctIdentities"), qint64(m_identities.size())},
        {QStringLiteral("maxInWindow"), maxInWindow},
        {QStringLiteral("scopes"), scopes},
        {QStringLiteral("apis"), apis},
    };
    if (withIdentities) {
        QJsonObject identities;
        for (auto it = m_identities.begin(); it != m_identities.end(); ++it)
            identities.insert(it.key(), it.value());
        result.insert(QStringLiteral("identities"), identities);
    }
    return result;
}

void SandboxStats::reset()
{
    QMutexLocker lock(&m_mutex);
    m_apis.clear();
    m_scopes.clear();
    m_identities.clear();
    m_duplicates = 0;
    m_seenKeys.clear();
    m_duplicatesDropped = 0;
}

} // namespace headroom::sandbox
