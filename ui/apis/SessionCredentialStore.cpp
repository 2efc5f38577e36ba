#include "ui/apis/SessionCredentialStore.h"

#include <QPointer>

namespace headroom::ui {

SessionCredentialStore::SessionCredentialStore(CredentialStore *keychain, QObject *parent)
    : CredentialStore(parent)
    , m_keychain(keychain)
{
}

void SessionCredentialStore::read(const QString &key, ReadDone done)
{
    const auto held = m_values.constFind(key);
    if (held != m_values.cend()) {
        if (done)
            done(held.value(), QString());
        return;
    }
    m_keychain->read(key, std::move(done));
}

void SessionCredentialStore::write(const QString &key, const QString &value, WriteDone done)
{
    // Once the keychain holds it, the keychain's copy is the one in use.
    m_keychain->write(key, value, [self = QPointer<SessionCredentialStore>(this), key, done = std::move(done)](const QString &error) {
        if (self && error.isEmpty())
            self->m_values.remove(key);
        if (done)
            done(error);
    });
}

CredentialStore::Source SessionCredentialStore::sourceOf(const QString &key) const
{
    return m_values.contains(key) ? Source::Session : m_keychain->sourceOf(key);
}

bool SessionCredentialStore::keepForSession(const QString &key, const QString &value)
{
    if (value.isEmpty())
        m_values.remove(key);
    else
        m_values.insert(key, value);
    return true;
}

} // namespace headroom::ui
