#include "core/run/RunRecorder.h"
#include "core/run/RunFile.h"

#include "core/run/ChangeTracker.h"
#include "core/state/StateLocation.h"

#include "core/run/DeadLetterRequests.h"
#include "core/run/DeadLetterWriter.h"
#include "core/run/LaneStateStore.h"
#include "core/run/RunJournal.h"
#include "core/run/RunLogWriter.h"
#include "core/run/RunLogging.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSaveFile>

namespace headroom::run {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RunRecorder", text);
}

const QString kMappingFile = QStringLiteral("mapping.json");
const QString kRedriveFile = QStringLiteral("redrive-requests.jsonl");

} // namespace

RunRecorder::RunRecorder(const QString &directory)
    : m_dir(directory)
{
}

RunRecorder::~RunRecorder()
{
    // A run that never reached finish() (the process is going down) still
    // leaves what it has written durable.
    closeWriters();
}

void RunRecorder::closeWriters()
{
    if (m_journal && !m_finished)
        m_journal->finish();
    m_finished = true;
    if (m_deadLetters)
        m_deadLetters->sync(); // nothing to do when the journal's last sync did it
    if (m_runLog)
        m_runLog->flush();
}

bool RunRecorder::createNew(const RunSettings &settings, QString *error, const QByteArray &mappingJson)
{
    if (m_dir.hasManifest()) {
        *error = tr("%1 already holds a run: resume it, or choose another directory").arg(m_dir.path());
        return false;
    }
    m_createdDirectory = !QFileInfo::exists(m_dir.path());
    if (!m_dir.create(error))
        return false;

    m_manifest = {};
    m_manifest.id = QFileInfo(m_dir.path()).fileName();
    m_manifest.settings = settings;
    m_manifest.settings.file = QFileInfo(settings.file).absoluteFilePath();
    if (!mappingJson.isEmpty()) {
        QSaveFile mapping(m_dir.filePath(kMappingFile));
        if (!RunFile::refuseLink(mapping.fileName(), error)) {
            discard();
            return false;
        }
        if (!mapping.open(QIODevice::WriteOnly) || mapping.write(mappingJson) != mappingJson.size() || !mapping.commit()
            || !RunFile::makePrivate(mapping.fileName(), nullptr)) {
            *error = tr("cannot write %1: %2").arg(mapping.fileName(), mapping.errorString());
            discard();
            return false;
        }
        m_manifest.settings.mappingFile = m_dir.filePath(kMappingFile);
    } else if (!settings.mappingFile.isEmpty()) {
        m_manifest.settings.mappingFile = QFileInfo(settings.mappingFile).absoluteFilePath();
    }

    // A dead-letter file is re-driven as the requests it recorded, through the
    // lane of the profile the caller chose (never the file's own word), each
    // checked to be a call of that profile.
    if (DeadLetterRequests::profileOf(settings.file)) {
        const auto converted =
            DeadLetterRequests::convert(settings.file, m_dir.filePath(kRedriveFile), settings.profile, error);
        if (!converted) {
            discard();
            return false;
        }
        if (converted->unsendable > 0)
            m_warnings << tr("%1 dead letters were rejected before sending and have no request; fix them in the "
                             "original file")
                              .arg(converted->unsendable);
        m_manifest.sourceProfile = QStringLiteral("generic");
        m_manifest.originalFile = m_manifest.settings.file;
    }
    if (!m_dir.writeManifest(m_manifest, error)) {
        *error = tr("cannot write %1: %2").arg(m_dir.manifestPath(), *error);
        discard();
        return false;
    }
    return true;
}

bool RunRecorder::loadForResume(QString *error)
{
    // An older run's directory may be 0755, or a symbolic link planted in its place.
    const QFileInfo dir(m_dir.path());
    if ((dir.isSymLink() || dir.isDir()) && !m_dir.create(error))
        return false;
    const std::optional<RunDirectory::Manifest> manifest = m_dir.readManifest(error);
    if (!manifest)
        return false;
    m_manifest = *manifest;
    m_replay = JournalReplay::readFile(m_dir.journalPath(), error);
    if (!m_replay) {
        *error = tr("%1: %2").arg(m_dir.journalPath(), *error);
        return false;
    }
    // The killed attempt may have died mid-line; the next line must stand alone.
    RunDirectory::endTornLine(m_dir.requestsPath());
    RunDirectory::endTornLine(m_dir.deadLettersPath());
    if (m_replay->tornTail || m_replay->badRecords > 0)
        m_warnings << tr("journal: ignored %1 damaged record(s)%2")
                          .arg(m_replay->badRecords)
                          .arg(m_replay->tornTail ? tr(" and a torn last record") : QString());
    return true;
}

void RunRecorder::discard()
{
    if (m_createdDirectory) {
        QDir(m_dir.path()).removeRecursively();
        return;
    }
    for (const QString &name : {QStringLiteral("run.json"), kMappingFile, kRedriveFile})
        QFile::remove(m_dir.filePath(name));
}

std::optional<RunPlan> RunRecorder::prepare(const QProcessEnvironment &env, std::optional<quint16> sandboxPort,
                                            const Clock &clock, QString *error)
{
    std::optional<RunPlan> plan = RunPlan::build(m_manifest.settings, env, sandboxPort, error);
    if (!plan) {
        if (!isResume())
            discard();
        return std::nullopt;
    }
    if (!m_manifest.sourceProfile.isEmpty()) {
        plan->sourceOptions.profile = m_manifest.sourceProfile;
        plan->sourceOptions.filePath = m_dir.filePath(kRedriveFile);
        plan->sourceOptions.mapping.reset();
        plan->sourceOptions.format = imports::InputFormat::JsonLines;
    }
    // The store first: a run whose store is refused leaves no directory behind.
    if (!openChanges(*plan, env, clock, error)) {
        if (!isResume())
            discard();
        return std::nullopt;
    }
    if (!open(plan->secrets(), clock, error))
        return std::nullopt;
    if (m_changes) {
        m_changes->setSyncJournal([journal = m_journal.get()] { journal->flush(); });
        m_journal->setAfterSync([changes = m_changes.get()] { changes->commit(); });
    }
    return plan;
}

bool RunRecorder::openChanges(const RunPlan &plan, const QProcessEnvironment &env, const Clock &clock,
                              QString *error)
{
    const QProcessEnvironment stateEnv =
        env.contains(QStringLiteral("HEADROOM_STATE_DIR")) ? env : QProcessEnvironment::systemEnvironment();
    const QByteArray &destination = plan.sourceOptions.destination;
    m_storePath =
        state::StateLocation::storePath(state::StateLocation::directory(m_manifest.settings.stateDir, stateEnv),
                                        destination);
    auto tracker = std::make_unique<ChangeTracker>(m_storePath, destination, m_manifest.settings.changeMode, clock);
    QString why;
    if (!tracker->check(&why)) {
        if (m_manifest.settings.changeMode != state::ChangeMode::All) {
            *error = why;
            return false;
        }
        // A run that sends every row does not need the store; it only cannot update it.
        m_warnings << tr("%1 (this run does not update the state store)").arg(why);
        return true;
    }
    m_changes = std::move(tracker);
    return true;
}

bool RunRecorder::open(const QList<QByteArray> &secrets, const Clock &clock, QString *error)
{
    m_runLog = std::make_unique<RunLogWriter>(m_dir.requestsPath(), secrets);
    m_deadLetters = std::make_unique<DeadLetterWriter>(m_dir.deadLettersPath(), m_manifest.settings.profile, secrets);
    m_journal = std::make_unique<RunJournal>(m_dir.journalPath(), clock);
    // Dead letters sync before each journal sync: a row the journal calls
    // failed has its dead letter on disk.
    m_journal->setBeforeSync([dl = m_deadLetters.get()] { dl->sync(); });
    const bool journalOpen = m_replay ? m_journal->openCompacted(m_replay->sent, m_replay->done, m_replay->failed, error)
                                      : m_journal->open(-1, error);
    if (!journalOpen || !m_runLog->open(error) || !m_deadLetters->open(error)) {
        *error = tr("cannot write in the run directory %1: %2").arg(m_dir.path(), *error);
        return false;
    }
    m_laneStates = std::make_unique<LaneStateStore>(m_dir.lanesPath(), clock);
    QString why;
    if (m_replay && !m_laneStates->load(&why))
        m_warnings << tr("%1: %2 (pacing starts fresh)").arg(m_dir.lanesPath(), why);
    return true;
}

QList<RunObserver *> RunRecorder::observers() const
{
    if (!m_journal)
        return {};
    QList<RunObserver *> out{m_runLog.get(), m_deadLetters.get(), m_journal.get(), m_laneStates.get()};
    // After the journal: a row it calls done is in its pending records before
    // the tracker takes it as accepted.
    if (m_changes)
        out << m_changes.get();
    return out;
}

std::function<void(const imports::MappedRow &, qint64)> RunRecorder::skipped() const
{
    if (!m_changes || !m_replay)
        return {};
    return [changes = m_changes.get(), done = m_replay->done](const imports::MappedRow &row, qint64 number) {
        if (done.contains(number))
            changes->acceptedEarlier(row);
    };
}

std::function<bool(const imports::MappedRow &, qint64)> RunRecorder::filter() const
{
    if (!m_changes)
        return {};
    return [changes = m_changes.get()](const imports::MappedRow &row, qint64 number) {
        return changes->skip(row, number);
    };
}

std::function<bool(qint64)> RunRecorder::skip() const
{
    if (!m_replay)
        return {};
    RowRangeSet finished = m_replay->done;
    finished.add(m_replay->failed);
    return [finished = std::move(finished)](qint64 row) { return finished.contains(row); };
}

void RunRecorder::adoptPreview(ChangePreview preview)
{
    if (m_changes)
        m_changes->adoptPreview(std::move(preview));
}

RunSummary RunRecorder::finish(RunSummary summary, QString *error)
{
    closeWriters();
    if (m_replay)
        summary.rowsResent = m_replay->unfinished().count();
    if (!RunDirectory::writeJsonFile(m_dir.summaryPath(), summary.toJson(), error))
        *error = tr("cannot write %1: %2").arg(m_dir.summaryPath(), *error);
    qCInfo(lcRun) << "run recorded in" << m_dir.path();
    return summary;
}

} // namespace headroom::run
