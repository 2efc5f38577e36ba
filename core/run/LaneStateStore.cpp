#include "core/run/LaneStateStore.h"

#include "core/run/Lane.h"
#include "core/run/RunDirectory.h"
#include "core/run/RunLogging.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>

namespace headroom::run {

LaneStateStore::LaneStateStore(const QString &path, const Clock &clock, std::chrono::milliseconds interval)
    : m_path(path)
    , m_clock(clock)
    , m_interval(interval)
{
}

bool LaneStateStore::load(QString *error)
{
    QFile file(m_path);
    if (!file.exists())
        return true;
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll());
    // A damaged copy costs only the learned pace, never a row: start fresh.
    m_loaded = doc.object().value(QLatin1String("lanes")).toArray();
    return true;
}

void LaneStateStore::lanesStarted(const QList<Lane *> &lanes, TimePoint now)
{
    const WallTime wallNow = m_clock.wallNow();
    for (const QJsonValue &value : std::as_const(m_loaded)) {
        const QJsonObject state = value.toObject();
        const QString name = state.value(QLatin1String("lane")).toString();
        for (Lane *lane : lanes) {
            if (lane->config().name == name) {
                lane->restoreState(state, now, wallNow);
                break;
            }
        }
    }
    m_lastSave = now;
}

void LaneStateStore::lanesSampled(const QList<Lane *> &lanes, TimePoint now)
{
    if (!m_saved || now - m_lastSave >= m_interval)
        save(lanes, now);
}

void LaneStateStore::lanesFinished(const QList<Lane *> &lanes, TimePoint now)
{
    save(lanes, now);
}

void LaneStateStore::save(const QList<Lane *> &lanes, TimePoint now)
{
    const WallTime wallNow = m_clock.wallNow();
    QJsonArray states;
    for (const Lane *lane : lanes)
        states.append(lane->saveState(now, wallNow));
    QString error;
    if (!RunDirectory::writeJsonFile(m_path, QJsonObject{{QStringLiteral("lanes"), states}}, &error))
        qCWarning(lcRun) << "cannot save lane state:" << error;
    m_lastSave = now;
    m_saved = true;
}

} // namespace headroom::run
