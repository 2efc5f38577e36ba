#include "core/run/ChangeTracker.h"

#include "core/run/RunLogging.h"
#include "core/state/PayloadFingerprint.h"

#include <chrono>

namespace headroom::run {

ChangeTracker::ChangeTracker(QString storePath, QByteArray destination, state::ChangeMode mode, const Clock &clock)
    : m_store(std::make_unique<state::AcceptedStore>(std::move(storePath)))
    , m_destination(std::move(destination))
    , m_mode(mode)
    , m_clock(clock)
{
}

ChangeTracker::~ChangeTracker() = default;

bool ChangeTracker::check(QString *error)
{
    const bool ok = m_store->open(m_destination, state::AcceptedStore::OpenMode::Create, error);
    m_store->close();
    return ok;
}

bool ChangeTracker::ensureOpen()
{
    if (m_store->isOpen())
        return true;
    if (m_openTried || m_finished)
        return false;
    m_openTried = true;
    if (!m_store->open(m_destination, state::AcceptedStore::OpenMode::Create, &m_error))
        qCWarning(lcRun).noquote() << "state store unavailable, every row is sent:" << m_error;
    return m_store->isOpen();
}

void ChangeTracker::adoptPreview(ChangePreview preview)
{
    if (preview.mode != m_mode)
        return;
    m_decisions = std::move(preview.decisions);
    m_reasons = preview.reasons;
}

bool ChangeTracker::skip(const imports::MappedRow &row, qint64 rowNumber)
{
    const std::optional<bool> decided = m_decisions.sends(rowNumber);
    if (decided == false)
        return true; // counted in the preview's reasons already
    state::AcceptedStore::Entry entry;
    entry.identity = state::PayloadFingerprint::identityOf(row);
    entry.fingerprint = state::PayloadFingerprint::fingerprintOf(row);
    if (decided) {
        entry.label = state::PayloadFingerprint::labelOf(row);
        m_inFlight.insert(rowNumber, std::move(entry));
        return false;
    }
    std::optional<QByteArray> stored;
    if (m_mode != state::ChangeMode::All && ensureOpen()) {
        QString error;
        stored = m_store->lookup(entry.identity, &error);
        if (!error.isEmpty() && m_error.isEmpty()) {
            m_error = error;
            qCWarning(lcRun).noquote() << "state store lookup failed, the row is sent:" << error;
        }
    }
    const state::SendDecision::Verdict verdict = state::SendDecision::decide(m_mode, stored, entry.fingerprint);
    ++m_reasons[size_t(verdict.reason)];
    if (!verdict.send)
        return true;
    entry.label = state::PayloadFingerprint::labelOf(row);
    m_inFlight.insert(rowNumber, std::move(entry));
    return false;
}

void ChangeTracker::acceptedEarlier(const imports::MappedRow &row)
{
    if (!ensureOpen())
        return;
    state::AcceptedStore::Entry entry;
    entry.identity = state::PayloadFingerprint::identityOf(row);
    entry.fingerprint = state::PayloadFingerprint::fingerprintOf(row);
    if (m_store->lookup(entry.identity) == entry.fingerprint)
        return;
    entry.label = state::PayloadFingerprint::labelOf(row);
    entry.acceptedAtMs = wallMs();
    m_accepted.append(std::move(entry));
}

qint64 ChangeTracker::wallMs() const
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(m_clock.wallNow().time_since_epoch()).count();
}

void ChangeTracker::rowsDone(const QList<qint64> &rows)
{
    const qint64 nowMs = wallMs();
    for (const qint64 row : rows) {
        auto it = m_inFlight.find(row);
        if (it == m_inFlight.end())
            continue;
        it->acceptedAtMs = nowMs;
        m_accepted.append(std::move(*it));
        m_inFlight.erase(it);
    }
}

void ChangeTracker::rowsFailed(const FailedRows &failed)
{
    for (const qint64 row : failed.rows)
        m_inFlight.remove(row);
}

void ChangeTracker::commit()
{
    if (m_accepted.isEmpty())
        return;
    if (!ensureOpen()) {
        m_accepted.clear(); // nowhere to keep them; the run goes on
        return;
    }
    QString error;
    if (!m_store->recordAccepted(m_accepted, &error)) {
        // Not recorded: a later changed-only run sends these rows again, which
        // costs budget but loses nothing.
        if (m_error.isEmpty())
            qCWarning(lcRun).noquote() << "cannot record accepted rows:" << error;
        m_error = error;
        return;
    }
    m_recorded += m_accepted.size();
    m_accepted.clear();
}

void ChangeTracker::lanesFinished(const QList<Lane *> &lanes, TimePoint now)
{
    Q_UNUSED(lanes);
    Q_UNUSED(now);
    if (m_syncJournal)
        m_syncJournal(); // its after-sync hook commits
    commit();
    m_inFlight.clear();
    m_finished = true;
    m_store->close();
}

} // namespace headroom::run
