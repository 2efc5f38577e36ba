#pragma once

#include "sandbox/WindowPeakTracker.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QMutex>
#include <QStringList>

#include <optional>

namespace headroom::sandbox {

// What the sandbox accepted and rejected, per API and per limit scope, and how
// often each row identity was accepted (to prove "each row exactly once").
// Written on the server's thread, read from any: every member locks.
class SandboxStats
{
public:
    struct Acceptance
    {
        QString api;
        QString scope;                 // limit scope; empty when none applied
        int limit = 0;
        Duration window{};
        bool fixedWindow = false;
        TimePoint fixedWindowStart{};
        int items = 1;                 // accepted items (batch: valid items)
        QStringList identities;        // one per accepted item that has one
    };

    void recordAccepted(const Acceptance &acceptance, TimePoint now);
    void recordRejected(const QString &api, int status);
    void recordDropped(const QString &api);

    QJsonObject snapshot(bool withIdentities) const;
    void reset();

private:
    struct ApiCounters
    {
        qint64 accepted = 0;
        qint64 acceptedItems = 0;
        qint64 duplicates = 0;
        qint64 dropped = 0;
        QMap<int, qint64> rejected;
    };
    struct ScopeCounters
    {
        QString api;
        int limit = 0;
        bool fixedWindow = false;
        qint64 accepted = 0;
        WindowPeakTracker peak;
        TimePoint currentFixedStart{};
        int currentFixedCount = 0;
        int maxInFixedWindow = 0;
    };

    mutable QMutex m_mutex;
    QMap<QString, ApiCounters> m_apis;
    QMap<QString, ScopeCounters> m_scopes;
    QHash<QString, int> m_identities;
    qint64 m_duplicates = 0;
};

} // namespace headroom::sandbox
