#pragma once

#include "core/budget/RedisValue.h"
#include "core/clock/Clock.h"

#include <QObject>

#include <vector>

class QTimer;

namespace headroom::budget {

class RedisConnection;
class SharedBudgetLimiter;

// The I/O of one shared budget, on the engine thread: keeps the limiter's
// prefetch of slots filled by running the GCRA script (one request at a time,
// never blocking), says when Redis is away or back, probes it while away, and
// keeps this process registered on the budget. Decisions stay in the limiter.
class SharedBudgetClient : public QObject
{
    Q_OBJECT
public:
    SharedBudgetClient(SharedBudgetLimiter *limiter, const Clock &clock, QObject *parent = nullptr);
    ~SharedBudgetClient() override;

    void start();
    // Leaves the budget (best effort: the entry also expires on its own).
    void stop();

    struct Stats
    {
        qint64 reservations = 0; // script runs answered
        qint64 failures = 0;     // timeouts, refusals, lost connections
        double roundTripP50Ms = -1;
        double roundTripP99Ms = -1;
        double roundTripMaxMs = -1;
    };
    Stats stats() const;

signals:
    // New slots or a new mode: the lane may be able to send.
    void wake();
    // Something the operator should read in the run log.
    void notice(const QString &text);

private:
    void openConnection();
    void reserve(bool heartbeat);
    void onAnswer(quint64 attempt, const RedisValue &reply, bool retriedWithEval);
    void goAway(const QString &reason);
    void onTick();
    void onNothingGranted();
    QList<QByteArray> scriptCall(bool withSource, int wanted, qint64 publishLimit, qint64 publishPeriodUs) const;

    SharedBudgetLimiter *m_limiter;
    const Clock &m_clock;
    RedisConnection *m_connection = nullptr;
    QTimer *m_timeout = nullptr;
    QTimer *m_tick = nullptr;
    QTimer *m_backoff = nullptr; // the next ask after Redis granted nothing
    QByteArray m_processId;
    bool m_outstanding = false;
    bool m_stopped = false;
    int m_askedFor = 0;    // slots the request in flight wants
    int m_refusals = 0;    // answers in a row that granted none of them
    quint64 m_attempt = 0; // answers to an older attempt are ignored
    TimePoint m_askedAt{};
    TimePoint m_lastAnswerAt{};
    QList<QByteArray> m_lastCall; // for a NOSCRIPT retry
    std::vector<float> m_roundTripsMs;
    qint64 m_reservations = 0;
    qint64 m_failures = 0;
};

} // namespace headroom::budget
