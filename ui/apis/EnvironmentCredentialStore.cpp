#include "ui/apis/EnvironmentCredentialStore.h"

namespace headroom::ui {

EnvironmentCredentialStore::EnvironmentCredentialStore(const QProcessEnvironment &environment,
                                                       CredentialStore *fallback, QObject *parent)
    : CredentialStore(parent)
    , m_environment(environment)
    , m_fallback(fallback)
{
}

QString EnvironmentCredentialStore::variableOf(const QString &key)
{
    // "customerio-track/HEADROOM_API_KEY": the same variable names as the CLI.
    return key.section(QLatin1Char('/'), -1);
}

bool EnvironmentCredentialStore::isSet(const QString &key) const
{
    const QString variable = variableOf(key);
    return variable.startsWith(QLatin1String("HEADROOM_")) && !m_environment.value(variable).isEmpty();
}

CredentialStore::Source EnvironmentCredentialStore::sourceOf(const QString &key) const
{
    return isSet(key) ? Source::Environment : m_fallback->sourceOf(key);
}

bool EnvironmentCredentialStore::keepForSession(const QString &key, const QString &value)
{
    return !isSet(key) && m_fallback->keepForSession(key, value);
}

void EnvironmentCredentialStore::read(const QString &key, ReadDone done)
{
    if (isSet(key)) {
        if (done)
            done(m_environment.value(variableOf(key)), QString());
        return;
    }
    m_fallback->read(key, std::move(done));
}

void EnvironmentCredentialStore::write(const QString &key, const QString &value, WriteDone done)
{
    if (isSet(key)) {
        if (done)
            done(tr("%1 comes from the environment the console was started with and stays in use; "
                    "start the console without it to use another value.")
                     .arg(variableOf(key)));
        return;
    }
    m_fallback->write(key, value, std::move(done));
}

} // namespace headroom::ui
