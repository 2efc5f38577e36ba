#pragma once

#include "core/clock/Clock.h"
#include "core/run/JournalReplay.h"
#include "core/run/RunDirectory.h"
#include "core/run/RunPlan.h"
#include "core/run/RunSummary.h"

#include <QByteArray>
#include <QList>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>

#include <functional>
#include <memory>
#include <optional>

namespace headroom::run {

class ChangeTracker;
struct ChangePreview;
class DeadLetterWriter;
class LaneStateStore;
class RunJournal;
class RunLogWriter;
class RunObserver;

// Keeps one run's directory for one attempt at that run, the same way for the
// CLI and the console, so a run started in one can be resumed in the other.
// A new run gets its directory and manifest (run.json); a resumed one gets its
// manifest back plus the journal's account of which rows are finished. While
// the engine runs, the recorder's observers write the journal, dead letters,
// run log and lane state; at the end it completes and writes summary.json.
//
// Order: createNew() or loadForResume(); prepare() the plan; start the engine
// with the plan, observers() and skip(); finish().
class RunRecorder
{
public:
    explicit RunRecorder(const QString &directory);
    ~RunRecorder();
    RunRecorder(const RunRecorder &) = delete;
    RunRecorder &operator=(const RunRecorder &) = delete;

    // A new run: creates the directory (refusing one that already holds a run)
    // and writes run.json with absolute paths, so a resume may start from any
    // working directory. `mappingJson`, when given, is the mapping to use
    // (the console's in-memory one), kept in the directory as mapping.json.
    // A dead-letter file is turned into the request file the run will send.
    bool createNew(const RunSettings &settings, QString *error, const QByteArray &mappingJson = {});
    // A resume: reads run.json and replays the journal.
    bool loadForResume(QString *error);
    // Undoes createNew() when the run cannot start after all (no credentials,
    // a bad mapping): the directory holds no half-made run.
    void discard();

    QString directory() const { return m_dir.path(); }
    const RunDirectory &runDirectory() const { return m_dir; }
    const RunDirectory::Manifest &manifest() const { return m_manifest; }
    const RunSettings &settings() const { return m_manifest.settings; }
    bool isResume() const { return m_replay.has_value(); }
    const std::optional<JournalReplay> &replay() const { return m_replay; }
    // What the operator should hear before the run starts: damaged journal
    // records skipped, dead letters that have no request, lane state not restored.
    QStringList warnings() const { return m_warnings; }

    // The plan for this attempt, from settings() and `env` (credentials):
    // pointed at what the run actually reads (a re-driven dead-letter file is
    // sent as its request file), with the journal (compacted on resume), dead
    // letters, run log and lane state opened. A new run whose plan cannot be
    // built is discarded.
    std::optional<RunPlan> prepare(const QProcessEnvironment &env, std::optional<quint16> sandboxPort,
                                   const Clock &clock, QString *error);
    // The writers, for the engine; valid from open() to finish().
    QList<RunObserver *> observers() const;
    // Rows an earlier attempt finished (done or dead-lettered); empty on a new run.
    std::function<bool(qint64)> skip() const;
    // Rows the destination's store says to leave out (the run's change mode);
    // it also notes what each sent row was, so its acceptance is recorded.
    std::function<bool(const imports::MappedRow &, qint64)> filter() const;
    // On a resume, the rows the earlier attempt finished as done: recorded in
    // the store if the killed attempt had not yet recorded them.
    std::function<void(const imports::MappedRow &, qint64)> skipped() const;
    // The destination's store of accepted rows (a file that may not exist yet).
    QString storePath() const { return m_storePath; }
    // The run's change mode counted before it starts: the run sends the rows
    // the count decided to send without deciding again.
    void adoptPreview(ChangePreview preview);
    // Whether an earlier attempt dead-lettered rows (a resumed run answers for
    // the whole run).
    bool hadEarlierDeadLetters() const { return m_replay && !m_replay->failed.isEmpty(); }

    // Closes the writers (durably), adds what only the recorder knows (rows
    // re-sent) and writes summary.json. Returns the completed summary; `error`
    // is set when summary.json could not be written.
    RunSummary finish(RunSummary summary, QString *error);

private:
    bool open(const QList<QByteArray> &secrets, const Clock &clock, QString *error);
    // The change tracker for the plan's destination; false when the run asked
    // for a change mode and the store cannot serve it.
    bool openChanges(const RunPlan &plan, const QProcessEnvironment &env, const Clock &clock, QString *error);
    // Hands what the writers hold to the disk (journal synced, once).
    void closeWriters();

    RunDirectory m_dir;
    RunDirectory::Manifest m_manifest;
    std::optional<JournalReplay> m_replay;
    QStringList m_warnings;
    bool m_createdDirectory = false;
    std::unique_ptr<RunLogWriter> m_runLog;
    std::unique_ptr<DeadLetterWriter> m_deadLetters;
    std::unique_ptr<RunJournal> m_journal;
    std::unique_ptr<LaneStateStore> m_laneStates;
    std::unique_ptr<ChangeTracker> m_changes;
    QString m_storePath;
    bool m_finished = false;
};

} // namespace headroom::run
