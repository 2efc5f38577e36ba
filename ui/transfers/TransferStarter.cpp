#include "ui/transfers/TransferStarter.h"

#include "core/imports/Mapping.h"
#include "core/imports/Preflight.h"
#include "core/transfers/TransferList.h"
#include "ui/session/RunSession.h"

#include <QFutureWatcher>
#include <QtConcurrent/QtConcurrentRun>

#include <chrono>

namespace headroom::ui {

TransferStarter::TransferStarter(transfers::TransferList *list, CredentialStore *credentials, RunSession *sandboxOwner,
                                 QObject *parent)
    : QObject(parent)
    , m_list(list)
    , m_credentials(credentials)
    , m_sandboxOwner(sandboxOwner)
{
    connect(list, &transfers::TransferList::startRequested, this, &TransferStarter::start);
}

RunSession *TransferStarter::sessionOf(const transfers::Transfer *transfer) const
{
    return m_sessions.value(transfer);
}

RunSession *TransferStarter::sessionFor(transfers::Transfer *transfer)
{
    if (RunSession *session = m_sessions.value(transfer))
        return session;
    // A child of the import, made after its controller: the controller goes
    // (and stops its engine) before the session closes the run's files.
    auto *session = new RunSession(m_credentials, transfer, transfer->controller());
    session->shareSandboxOf(m_sandboxOwner);
    if (!m_runsDirectory.isEmpty())
        session->setRunsDirectory(m_runsDirectory);
    connect(session, &RunSession::started, transfer,
            [transfer](const QString &directory) { transfer->setRunDirectory(directory); });
    connect(session, &RunSession::failedToStart, transfer, [this, transfer](const QString &error) {
        transfer->setState(transfers::TransferState::Failed, error);
        emit failed(transfer->entry().settings.file, error);
    });
    connect(transfer, &transfers::Transfer::changed, session, [transfer, session] {
        if (transfer->state() == transfers::TransferState::Cancelled)
            session->abandonStart(); // cancelled while the keychain was asked
    });
    m_sessions.insert(transfer, session);
    return session;
}

void TransferStarter::start(transfers::Transfer *transfer)
{
    const transfers::TransferEntry &entry = transfer->entry();
    if (entry.runDirectory.isEmpty() && entry.preflightRows < 0)
        return preflight(transfer);
    launch(transfer);
}

void TransferStarter::preflight(transfers::Transfer *transfer)
{
    // The same check as the Import panel's, on the file's own settings, off
    // the GUI thread (a large file takes seconds); the run starts after it.
    const transfers::TransferEntry &entry = transfer->entry();
    imports::PreflightOptions options;
    options.source.filePath = entry.settings.file;
    options.source.profile = entry.settings.profile;
    if (!entry.mapping.isEmpty()) {
        QString error;
        options.source.mapping = imports::Mapping::fromJson(entry.mapping, &error);
    }
    if (entry.settings.rate)
        options.rate = *entry.settings.rate;
    if (entry.settings.window)
        options.windowSeconds = std::chrono::duration<double>(*entry.settings.window).count();
    auto *watcher = new QFutureWatcher<imports::PreflightReport>(transfer);
    connect(watcher, &QFutureWatcher<imports::PreflightReport>::finished, transfer, [this, transfer, watcher] {
        const imports::PreflightReport report = watcher->result();
        watcher->deleteLater();
        if (transfer->state() != transfers::TransferState::Preflighting)
            return; // cancelled meanwhile
        if (report.fatal) {
            transfer->setState(transfers::TransferState::Failed, report.fatal->toText());
            emit failed(transfer->entry().settings.file, report.fatal->toText());
            return;
        }
        transfer->setPreflight(report.rows, report.badRows);
        launch(transfer);
    });
    watcher->setFuture(QtConcurrent::run([options] { return imports::Preflight::run(options); }));
}

void TransferStarter::launch(transfers::Transfer *transfer)
{
    RunSession *session = sessionFor(transfer);
    const transfers::TransferEntry &entry = transfer->entry();
    if (!entry.runDirectory.isEmpty()) {
        // The run's sandbox is this console's: start it before the resume checks the address.
        if (entry.settings.sandbox)
            session->ensureSandbox();
        session->resumeRun(entry.runDirectory);
        return;
    }
    std::optional<imports::Mapping> mapping;
    if (!entry.mapping.isEmpty()) {
        QString error;
        mapping = imports::Mapping::fromJson(entry.mapping, &error);
        if (!mapping) {
            transfer->setState(transfers::TransferState::Failed, tr("Its mapping cannot be read: %1").arg(error));
            return;
        }
    }
    session->start(entry.settings, mapping);
}

} // namespace headroom::ui
