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

    // Where a run takes a key's secret from.
    enum class Source {
        Keychain,    // the system keychain (or what stands in for it), asked when a run starts
        Environment, // HEADROOM_* in the environment the console was started with
        Session,     // kept in memory for this session only, never written
    };

    using QObject::QObject;
    ~CredentialStore() override = default;

    // `key` is e.g. "customerio-track/HEADROOM_API_KEY". Missing: empty value, no error.
    virtual void read(const QString &key, ReadDone done) = 0;
    // An empty value deletes the entry.
    virtual void write(const QString &key, const QString &value, WriteDone done) = 0;
    virtual Source sourceOf(const QString &key) const
    {
        Q_UNUSED(key);
        return Source::Keychain;
    }
    // Keeps `value` in memory until the console quits (an empty value forgets
    // it); false when this store has no such place or the key is fixed by the
    // environment.
    virtual bool keepForSession(const QString &key, const QString &value)
    {
        Q_UNUSED(key);
        Q_UNUSED(value);
        return false;
    }

    bool fromEnvironment(const QString &key) const { return sourceOf(key) == Source::Environment; }
};

} // namespace headroom::ui
