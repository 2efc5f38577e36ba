#pragma once

#include "ui/apis/CredentialStore.h"

#include <QHash>

namespace headroom::ui {

// Secrets held in memory only, for tests and headless runs: gone on exit.
class MemoryCredentialStore final : public CredentialStore
{
    Q_OBJECT
public:
    using CredentialStore::CredentialStore;

    void read(const QString &key, ReadDone done) override;
    void write(const QString &key, const QString &value, WriteDone done) override;

private:
    QHash<QString, QString> m_values;
};

} // namespace headroom::ui
