#pragma once

#include "ui/apis/CredentialStore.h"

#include <QProcessEnvironment>

namespace headroom::ui {

// The secrets the console was started with — HEADROOM_* in its environment,
// read as headroom-cli reads them — in front of another store (the keychain).
// A variable set in the environment is read from there and is not written
// over; the rest go to the other store. This is how a console on a desktop
// without a Secret Service daemon (a bare window manager, WSLg, X forwarding)
// still runs real imports.
class EnvironmentCredentialStore final : public CredentialStore
{
    Q_OBJECT
public:
    // `fallback` is not owned and must outlive this store.
    EnvironmentCredentialStore(const QProcessEnvironment &environment, CredentialStore *fallback,
                               QObject *parent = nullptr);

    void read(const QString &key, ReadDone done) override;
    void write(const QString &key, const QString &value, WriteDone done) override;
    Source sourceOf(const QString &key) const override;
    bool keepForSession(const QString &key, const QString &value) override;

private:
    bool isSet(const QString &key) const;
    static QString variableOf(const QString &key);

    QProcessEnvironment m_environment;
    CredentialStore *m_fallback;
};

} // namespace headroom::ui
