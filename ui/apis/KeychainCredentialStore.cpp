#include "ui/apis/KeychainCredentialStore.h"

#include "ui/UiLogging.h"

#include <qt6keychain/keychain.h>

namespace headroom::ui {

KeychainCredentialStore::KeychainCredentialStore(const QString &service, QObject *parent)
    : CredentialStore(parent)
    , m_service(service)
{
}

void KeychainCredentialStore::read(const QString &key, ReadDone done)
{
    auto *job = new QKeychain::ReadPasswordJob(m_service, this);
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    job->setKey(key);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *finished) {
        auto *read = static_cast<QKeychain::ReadPasswordJob *>(finished);
        if (finished->error() == QKeychain::EntryNotFound) {
            if (done)
                done(QString(), QString());
            return;
        }
        if (finished->error() != QKeychain::NoError)
            qCWarning(lcUi) << "keychain read failed:" << finished->errorString();
        if (done)
            done(finished->error() == QKeychain::NoError ? read->textData() : QString(),
                 finished->error() == QKeychain::NoError ? QString() : finished->errorString());
    });
    job->start();
}

void KeychainCredentialStore::write(const QString &key, const QString &value, WriteDone done)
{
    QKeychain::Job *job = nullptr;
    if (value.isEmpty()) {
        auto *remove = new QKeychain::DeletePasswordJob(m_service, this);
        remove->setKey(key);
        job = remove;
    } else {
        auto *write = new QKeychain::WritePasswordJob(m_service, this);
        write->setKey(key);
        write->setTextData(value);
        job = write;
    }
    job->setAutoDelete(true);
    job->setInsecureFallback(false);
    connect(job, &QKeychain::Job::finished, this, [done = std::move(done)](QKeychain::Job *finished) {
        const bool ok = finished->error() == QKeychain::NoError || finished->error() == QKeychain::EntryNotFound;
        if (!ok)
            qCWarning(lcUi) << "keychain write failed:" << finished->errorString();
        if (done)
            done(ok ? QString() : finished->errorString());
    });
    job->start();
}

} // namespace headroom::ui
