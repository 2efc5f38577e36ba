#include "ui/apis/MemoryCredentialStore.h"

namespace headroom::ui {

void MemoryCredentialStore::read(const QString &key, ReadDone done)
{
    if (done)
        done(m_values.value(key), QString());
}

void MemoryCredentialStore::write(const QString &key, const QString &value, WriteDone done)
{
    if (value.isEmpty())
        m_values.remove(key);
    else
        m_values.insert(key, value);
    if (done)
        done(QString());
}

} // namespace headroom::ui
