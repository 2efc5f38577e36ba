#pragma once

// What the transfer-list ui tests share: imports of people into the
// embedded sandbox, both APIs limited to kLimit per kWindow.
#include "core/run/RunSettings.h"
#include "core/sandbox/SandboxConfig.h"
#include "core/sandbox/SandboxThread.h"
#include "ui/MainWindow.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/session/RunSession.h"

#include <QByteArray>
#include <QString>

#include <chrono>

namespace transferfixture {

using namespace headroom;
using namespace headroom::ui;
using namespace std::chrono_literals;

constexpr int kLimit = 20;
constexpr auto kWindow = 500ms;

inline QByteArray people(const QByteArray &prefix, int rows)
{
    QByteArray csv = "id,email\n";
    for (int i = 1; i <= rows; ++i)
        csv += prefix + QByteArray::number(i) + "," + prefix + QByteArray::number(i) + "@example.com\n";
    return csv;
}

// Both APIs limited to kLimit per kWindow, counters reset.
inline bool limitSandbox(RunSession *session)
{
    if (!session->ensureSandbox())
        return false;
    sandbox::SandboxConfig config;
    for (const QString &api : {QStringLiteral("customerio-track"), QStringLiteral("segment-tracking")}) {
        sandbox::ApiPolicy policy = config.policy(api);
        policy.limit = kLimit;
        policy.window = kWindow;
        config.apis.insert(api, policy);
    }
    session->sandbox()->setConfig(config);
    session->sandbox()->reset();
    return true;
}

inline void target(MainWindow &window, const QString &profile)
{
    run::RunSettings s = window.apiPanel()->settings();
    s.profile = profile;
    s.sandbox = true;
    s.rate = kLimit;
    s.window = kWindow;
    window.apiPanel()->setSettings(s);
}

} // namespace transferfixture
