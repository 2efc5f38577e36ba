#pragma once

#include "core/clock/Clock.h"
#include "core/imports/MappedRow.h"
#include "core/run/ChangePreview.h"
#include "core/run/RowDecisions.h"
#include "core/run/RunObserver.h"
#include "core/state/AcceptedStore.h"
#include "core/state/ChangeMode.h"
#include "core/state/SendDecision.h"

#include <QHash>

#include <array>
#include <functional>
#include <memory>

namespace headroom::run {

// The run's side of the destination's store: it leaves out the rows the mode
// says to skip (as the source's filter) and records the rows the server
// accepted. A row is recorded only after the journal has synced its "done"
// (the journal calls commit() after each sync, and at the end the tracker has
// the journal synced before its last commit), so the store never says a row
// was accepted that a killed run had not finished; a row that failed, or
// never got an answer, is never recorded.
//
// The store is opened lazily on the engine thread, where both the filter and
// the observer hooks run, and closed there when the lanes finish.
class ChangeTracker final : public RunObserver
{
public:
    ChangeTracker(QString storePath, QByteArray destination, state::ChangeMode mode, const Clock &clock);
    ~ChangeTracker() override;

    // Opens and closes the store on the calling thread: a damaged or foreign
    // file is refused before anything is sent.
    bool check(QString *error);
    // Asked before the last commit: has the journal synced what it holds.
    void setSyncJournal(std::function<void()> syncJournal) { m_syncJournal = std::move(syncJournal); }

    // Takes the verdicts a preview of this run reached (its first line's
    // count), so the filter only reads a decided row's bit; rows the preview
    // did not decide are looked up as without one.
    void adoptPreview(ChangePreview preview);
    // The source's filter: true leaves the row out.
    bool skip(const imports::MappedRow &row, qint64 rowNumber);
    // A row an earlier attempt of the run finished (its "done" is in the
    // journal already): recorded unless the store has it as it is, for the
    // killed attempt may have died between its journal and its store.
    void acceptedEarlier(const imports::MappedRow &row);
    // Writes the acceptances the journal has made durable, in one transaction.
    void commit();

    void rowsDone(const QList<qint64> &rows) override;
    void rowsFailed(const FailedRows &failed) override;
    void lanesFinished(const QList<Lane *> &lanes, TimePoint now) override;

    state::ChangeMode mode() const { return m_mode; }
    qint64 rowsWith(state::SendDecision::Reason reason) const { return m_reasons[size_t(reason)]; }
    qint64 rowsRecorded() const { return m_recorded; }
    QString errorString() const { return m_error; }

private:
    bool ensureOpen();
    qint64 wallMs() const;

    std::unique_ptr<state::AcceptedStore> m_store;
    QByteArray m_destination;
    state::ChangeMode m_mode;
    const Clock &m_clock;
    std::function<void()> m_syncJournal;
    // Rows sent and not yet answered, by row number.
    QHash<qint64, state::AcceptedStore::Entry> m_inFlight;
    // Accepted, waiting for the journal's next sync.
    QList<state::AcceptedStore::Entry> m_accepted;
    std::array<qint64, state::SendDecision::kReasonCount> m_reasons{};
    RowDecisions m_decisions;
    qint64 m_recorded = 0;
    bool m_openTried = false;
    bool m_finished = false;
    QString m_error;
};

} // namespace headroom::run
