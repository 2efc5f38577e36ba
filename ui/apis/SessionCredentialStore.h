#pragma once

#include "ui/apis/CredentialStore.h"

#include <QHash>

namespace headroom::ui {

// Secrets for this session only, in front of the keychain: a secret the
// operator keeps here lives in this process's memory until it quits and is
// never written anywhere. This is the console's way to run a real import on a
// desktop whose keychain refuses (no Secret Service daemon, dbus-launch
// missing) without restarting it from a terminal. Everything else is the
// keychain's: read from it when not held here, and a secret saved to it
// replaces the one held here.
class SessionCredentialStore final : public CredentialStore
{
    Q_OBJECT
public:
    // `keychain` is not owned and must outlive this store.
    explicit SessionCredentialStore(CredentialStore *keychain, QObject *parent = nullptr);

    void read(const QString &key, ReadDone done) override;
    void write(const QString &key, const QString &value, WriteDone done) override;
    Source sourceOf(const QString &key) const override;
    bool keepForSession(const QString &key, const QString &value) override;

private:
    CredentialStore *m_keychain;
    QHash<QString, QString> m_values;
};

} // namespace headroom::ui
