#pragma once

// What the console's offscreen tests share: files in a temporary directory,
// a window opened on the embedded sandbox, and that sandbox's limit.
#include "MainWindow.h"
#include "sandbox/SandboxThread.h"
#include "session/RunSession.h"

#include <QByteArray>
#include <QFile>
#include <QString>
#include <QTemporaryDir>

#include <chrono>

namespace headroom::testing {

// `bytes` as `name` in `dir`; an empty path when it cannot be written.
inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        return {};
    return path;
}

// id,email,plan rows whose ids are `prefix`1 … `prefix`n.
inline QByteArray customersCsv(const QByteArray &prefix, int n)
{
    QByteArray csv = "id,email,plan\n";
    for (int i = 1; i <= n; ++i)
        csv += prefix + QByteArray::number(i) + ",c" + QByteArray::number(i) + "@example.com,free\n";
    return csv;
}

// The console as a fresh start with --sandbox would open it: `file` loaded
// (when given), runs kept under `runsDirectory`.
inline void openOnSandbox(ui::MainWindow &window, const QString &file, const QString &runsDirectory)
{
    ui::MainWindow::StartupOptions options;
    options.sandbox = true;
    options.file = file;
    options.runsDirectory = runsDirectory;
    window.applyStartup(options);
}

// The session's embedded sandbox, started, with customerio-track limited to
// `limit` per `window` and its counters reset.
inline bool limitSandbox(ui::RunSession *session, int limit, std::chrono::milliseconds window)
{
    if (!session->ensureSandbox())
        return false;
    sandbox::SandboxConfig config;
    sandbox::ApiPolicy policy = config.policy(QStringLiteral("customerio-track"));
    policy.limit = limit;
    policy.window = window;
    config.apis.insert(QStringLiteral("customerio-track"), policy);
    session->sandbox()->setConfig(config);
    session->sandbox()->reset();
    return true;
}

} // namespace headroom::testing
