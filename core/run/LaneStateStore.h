#pragma once

#include "core/clock/Clock.h"
#include "core/run/RunObserver.h"

#include <QJsonArray>
#include <QString>

namespace headroom::run {

// Keeps the lanes' learned pacing state in the run directory (lanes.json) and
// gives it back to a resumed run's lanes before their first send, so the
// resume paces as if it had never stopped instead of re-spending a window the
// server is still counting. Saved at most every `interval` while running
// (atomically: a kill leaves the previous copy) and once at the end.
class LaneStateStore final : public RunObserver
{
public:
    LaneStateStore(const QString &path, const Clock &clock,
                   std::chrono::milliseconds interval = std::chrono::seconds(1));

    // Reads a saved state to restore (a missing file restores nothing).
    bool load(QString *error);
    qsizetype loadedLanes() const { return m_loaded.size(); }

    void lanesStarted(const QList<Lane *> &lanes, TimePoint now) override;
    void laneAdded(Lane *lane, TimePoint now) override { lanesStarted({lane}, now); }
    void lanesSampled(const QList<Lane *> &lanes, TimePoint now) override;
    void lanesFinished(const QList<Lane *> &lanes, TimePoint now) override;

private:
    void save(const QList<Lane *> &lanes, TimePoint now);

    QString m_path;
    const Clock &m_clock;
    std::chrono::milliseconds m_interval;
    QJsonArray m_loaded;
    TimePoint m_lastSave{};
    bool m_saved = false;
};

} // namespace headroom::run
