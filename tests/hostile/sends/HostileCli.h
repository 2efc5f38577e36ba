#pragma once

// headroom-cli as a child process against the sandbox, for the tests of what
// Headroom sends: the files a run leaves and how many requests reached the sandbox.
#include "tests/support/CliProcess.h"
#include "tests/support/TestFiles.h"
#include "core/sandbox/SandboxThread.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QTemporaryDir>

namespace headroom::testing {

// Default run directories under the test's own XDG data home; no secret of
// the machine's environment reaches the child.
inline QProcessEnvironment isolatedEnvironment(const QTemporaryDir &dir)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("XDG_DATA_HOME"), dir.filePath(QStringLiteral("xdg-data")));
    for (const char *name : {"HEADROOM_TOKEN", "HEADROOM_SITE_ID", "HEADROOM_API_KEY", "HEADROOM_WRITE_KEY"})
        env.remove(QLatin1String(name));
    return env;
}

inline ProcessResult runCli(const QStringList &args, const QProcessEnvironment &env)
{
    return runProcess(QStringLiteral(HEADROOM_CLI), args, env);
}

// Every JSON line of a .jsonl file.
inline QList<QJsonObject> readJsonLines(const QString &path)
{
    QList<QJsonObject> out;
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return out;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine().trimmed();
        if (!line.isEmpty())
            out << QJsonDocument::fromJson(line).object();
    }
    return out;
}

// Requests that reached the sandbox (accepted or answered with an error).
inline qint64 requestsSeen(const sandbox::SandboxThread &sandbox)
{
    const QJsonObject stats = sandbox.stats();
    return stats.value(QStringLiteral("accepted")).toInteger() + stats.value(QStringLiteral("rejectedTotal")).toInteger()
           + stats.value(QStringLiteral("dropped")).toInteger();
}

} // namespace headroom::testing
