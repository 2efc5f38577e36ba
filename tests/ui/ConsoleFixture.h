#pragma once

// What the console's offscreen tests share besides TestFiles.h: a window
// opened on the embedded sandbox, and that sandbox's limit.
#include "ui/MainWindow.h"
#include "tests/support/TestFiles.h"
#include "core/sandbox/SandboxThread.h"
#include "ui/session/RunSession.h"

#include <QString>

#include <chrono>

namespace headroom::testing {

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
