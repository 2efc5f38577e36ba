#pragma once

#include "core/sandbox/RateDecision.h"
#include "core/sandbox/SeenKeys.h"
#include "core/sandbox/WindowPeakTracker.h"

#include <QHash>
#include <QJsonObject>
#include <QMap>
#include <QMutex>
#include <QStringList>

#include <optional>

namespace headroom::sandbox {

// What the sandbox accepted and rejected, per API and per limit scope, and how
// often each row identity was accepted (to prove "each row exactly once").
// Like the real APIs, an item whose dedupe key (Customer.io event `id`,
// Segment `messageId`) was seen before is accepted but not applied: it counts
// in duplicatesDropped, never as a duplicate effect.
// Written on the server's thread, read from any: every member locks.
class SandboxStats
{
public:
    struct Acceptance
    {
        QString api;
        QString scope; // limit scope; empty when none applied
        int limit = 0;
        Duration window{};
        bool fixedWindow = false;
        QString windowKind; // the policy's window name, for the stats
        TimePoint fixedWindowStart{};
        int items = 1;          // accepted items (batch: valid items)
        QStringList identities; // one per accepted item that has one
        // Where the API deduplicates on keyed identities ("id:", "messageId:"):
        // Customer.io per workspace, Segment across all of it. Empty: it does not.
        QString dedupeScope;
    };

    void recordAccepted(const Acceptance &acceptance, TimePoint now);
    // A request a narrower scope admitted: its scope's counts and windows only.
    void recordScopeAccepted(const Acceptance &acceptance, TimePoint now);
    // Answered 200 and not processed, as the API does with what it drops silently.
    void recordSilentlyDropped(const QString &api);
    void recordRejected(const QString &api, int status);
    // A 429 of the client's from `scope`'s limit (recorded beside recordRejected).
    void recordLimited(const Acceptance &refusal);
    void recordDropped(const QString &api);
    // An accepted request whose answer the sandbox threw away on purpose.
    void recordLostAnswer(const QString &api);
    // One attempt of a scope's neighbour; accepted ones count towards maxInWindow.
    // `scope` carries the scope's name, limit, window and kind.
    void recordNeighbour(const Acceptance &scope, TimePoint at, const RateDecision &decision);

    QJsonObject snapshot(bool withIdentities) const;
    void reset();

private:
    struct ApiCounters
    {
        qint64 accepted = 0;
        qint64 acceptedItems = 0;
        qint64 duplicates = 0;
        qint64 duplicatesDropped = 0;
        qint64 dropped = 0;
        qint64 silentlyDropped = 0;
        qint64 lostAnswers = 0;
        QMap<int, qint64> rejected;
    };
    struct ScopeCounters
    {
        QString api;
        int limit = 0;
        bool fixedWindow = false;
        QString windowKind;
        qint64 accepted = 0; // the client's
        qint64 rejected = 0; // the client's 429s
        qint64 neighbourAccepted = 0;
        qint64 neighbourRejected = 0;
        WindowPeakTracker peak;       // everything accepted: client and neighbour
        WindowPeakTracker clientPeak; // the client's accepted only
        TimePoint currentFixedStart{};
        int currentFixedCount = 0;
        int maxInFixedWindow = 0;
    };

    ScopeCounters &scopeFor(const Acceptance &a);
    static void countFixed(ScopeCounters &s, TimePoint windowStart);

    mutable QMutex m_mutex;
    QMap<QString, ApiCounters> m_apis;
    QMap<QString, ScopeCounters> m_scopes;
    QHash<QString, int> m_identities;
    qint64 m_duplicates = 0;
    SeenKeys m_seenKeys;
    qint64 m_duplicatesDropped = 0;
};

} // namespace headroom::sandbox
