#pragma once

#include <QObject>
#include <QString>

#include <functional>

namespace headroom::ui {

// Where the console keeps API secrets: the system keychain in the app, memory
// in tests and headless runs. Never QSettings, never a file. Jobs may finish
// later (the keychain is asynchronous); callbacks run on the caller's thread.
class CredentialStore : public QObject
{
    Q_OBJECT
public:
    using ReadDone = std::function<void(const QString &value, const QString &error)>;
    using WriteDone = std::function<void(const QString &error)>;

    using QObject::QObject;
    ~CredentialStore() override = default;

    // `key` is e.g. "customerio-track/HEADROOM_API_KEY". Missing: empty value, no error.
    virtual void read(const QString &key, ReadDone done) = 0;
    // An empty value deletes the entry.
    virtual void write(const QString &key, const QString &value, WriteDone done) = 0;
    // Whether `key` is taken from the console's environment (HEADROOM_*), not kept here.
    virtual bool fromEnvironment(const QString &key) const
    {
        Q_UNUSED(key);
        return false;
    }
};

} // namespace headroom::ui
