#pragma once

#include <QJsonObject>
#include <QStringList>

namespace headroom::sandbox {

enum class OutageMode { Fail,
                        Refuse };

// Which failures the sandbox injects into API answers, and how often. The
// admin endpoints under /__sandbox are never faulted.
struct FaultPlan
{
    double error500 = 0.0; // probability of answering 500 instead of processing
    double error502 = 0.0;
    double error503 = 0.0;
    double drop = 0.0;       // probability of closing the socket mid-request
    double lostAnswer = 0.0; // probability that an accepted request's answer is lost:
                             // counted and applied, then the connection closes unanswered
    int latencyMs = 0;       // added to every API answer
    int jitterMs = 0;        // uniform 0..jitter on top of latency
    double stall = 0.0;      // probability of a long stall instead of latency
    int stallMs = 30000;
    QStringList apis; // APIs the faults hit; empty = all
    quint32 seed = 0; // 0 = a fresh random seed each start

    // An outage window scheduled from start (afterSeconds) for `seconds`.
    OutageMode outageMode = OutageMode::Fail;
    int outageAfterSeconds = -1; // < 0: none scheduled
    int outageSeconds = 0;

    bool appliesTo(const QString &api) const { return apis.isEmpty() || apis.contains(api); }

    QJsonObject toJson() const;
    bool merge(const QJsonObject &json, QString *error);

    static QString outageModeName(OutageMode mode);
    static bool parseOutageMode(const QString &text, OutageMode *mode);
};

} // namespace headroom::sandbox
