#pragma once

#include "ui/apis/CredentialStore.h"

namespace headroom::ui {

// Secrets in the system keychain (Secret Service, KWallet, macOS Keychain,
// Windows Credential Store) through qtkeychain's asynchronous jobs. The
// insecure plaintext fallback is never enabled: with no keychain, a write
// fails with a clear error instead of landing in a file.
class KeychainCredentialStore final : public CredentialStore
{
    Q_OBJECT
public:
    explicit KeychainCredentialStore(const QString &service, QObject *parent = nullptr);

    void read(const QString &key, ReadDone done) override;
    void write(const QString &key, const QString &value, WriteDone done) override;

private:
    QString m_service;
};

} // namespace headroom::ui
