// The whole console, offscreen, against the in-process sandbox: load a file,
// preflight it, start, pause and resume, reach 100 %, export, remember the
// settings, and never write a credential into QSettings.
#include "tests/ui/ConsoleFixture.h"
#include "ui/ConsoleSettings.h"
#include "ui/MainWindow.h"
#include "ui/PanelDock.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/apis/MemoryCredentialStore.h"
#include "ui/imports/ImportPanel.h"
#include "ui/imports/PreflightView.h"
#include "ui/imports/PreviewModel.h"
#include "ui/live/LiveChartsPanel.h"
#include "ui/log/LogPanel.h"
#include "ui/log/RunLogModel.h"
#include "ui/runs/RunsPanel.h"
#include "core/sandbox/SandboxThread.h"
#include "ui/session/RunSession.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QDockWidget>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProgressBar>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QScrollArea>
#include <QScrollBar>
#include <QChartView>
#include <QTest>

using namespace headroom;
using namespace headroom::ui;
using namespace std::chrono_literals;

namespace {

QByteArray customers(int n, bool withBadRow = false)
{
    QByteArray csv = "id,email,plan\n";
    for (int i = 1; i <= n; ++i) {
        if (withBadRow && i == 3)
            csv += "cust-bad,bad@example.com,free,one-field-too-many\n";
        csv += "cust-" + QByteArray::number(i) + ",c" + QByteArray::number(i) + "@example.com,free\n";
    }
    return csv;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

} // namespace

class TestConsole : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString writeFile(const QString &name, const QByteArray &bytes) { return testing::writeFile(m_dir, name, bytes); }

    static void setRate(MainWindow &window)
    {
        run::RunSettings s = window.apiPanel()->settings();
        s.profile = QStringLiteral("customerio-track");
        s.sandbox = true;
        s.rate = 50;
        s.window = 200ms;
        window.apiPanel()->setSettings(s);
    }

private slots:
    // At the window's default size every Live chart is in view at once: no
    // scrolling to find the seventh (two columns left it below the fold).
    void allChartsInViewAtTheDefaultSize()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        LiveChartsPanel *live = window.livePanel();
        auto *scroll = live->findChild<QScrollArea *>();
        QVERIFY(scroll);
        qInfo("window %dx%d, Live panel %dx%d, %d columns", window.width(), window.height(), live->width(),
              live->height(), live->columnCount());
        QTRY_COMPARE_WITH_TIMEOUT(scroll->verticalScrollBar()->maximum(), 0, 2000);
        for (const QChartView *view : live->findChildren<QChartView *>())
            QVERIFY(scroll->viewport()->rect().contains(view->geometry()));
        // A narrow window still keeps the charts readable: fewer columns, and a scroll.
        live->resize(live->minimumSizeHint().width() + 10, live->height());
        QTRY_VERIFY_WITH_TIMEOUT(live->columnCount() < 3, 2000);
    }

    static QString statusText(MainWindow &window)
    {
        for (const QLabel *label : window.statusBar()->findChildren<QLabel *>()) {
            if (label->text().contains(QStringLiteral(" rows")))
                return label->text();
        }
        return {};
    }

    // Qt shows a dock's title in three places: its tab and its View menu entry
    // read it as mnemonic text, its title bar as written. Each must show
    // "APIs & rates", with no letter taken for a mnemonic.
    void dockTitlesReadTheSameEverywhere()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        const QList<PanelDock *> docks = window.findChildren<PanelDock *>();
        QVERIFY(docks.size() >= 4);
        for (const PanelDock *dock : docks) {
            QString text = dock->toggleViewAction()->text();
            // A lone '&' would underline the next letter and drop the ampersand.
            QVERIFY2(!text.remove(QStringLiteral("&&")).contains(QLatin1Char('&')), qPrintable(dock->windowTitle()));
            QVERIFY2(!dock->titleBarText().contains(QStringLiteral("&&")), qPrintable(dock->titleBarText()));
        }
        auto *apis = window.findChild<PanelDock *>(QStringLiteral("apisDock"));
        QVERIFY(apis);
        QCOMPARE(apis->toggleViewAction()->text(), QStringLiteral("APIs && rates"));
        QCOMPARE(apis->titleBarText(), QStringLiteral("APIs & rates"));
        QStringList tabs;
        for (const QTabBar *bar : window.findChildren<QTabBar *>()) {
            for (int i = 0; i < bar->count(); ++i)
                tabs << bar->tabText(i);
        }
        QVERIFY2(tabs.contains(QStringLiteral("APIs && rates")), qPrintable(tabs.join(QLatin1Char('|'))));
        QCOMPARE(PanelDock::shownText(QStringLiteral("A && B &Cd")), QStringLiteral("A & B Cd"));
    }

    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QString::fromLatin1("headroom.example"), QStringLiteral("Headroom")).clear();
        QVERIFY(m_dir.isValid());
    }

    void freshMachineOpensWithSandboxAndSample()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        MainWindow::StartupOptions options;
        options.runsDirectory = m_dir.filePath(QStringLiteral("runs-fresh"));
        window.applyStartup(options);
        QVERIFY(window.apiPanel()->settings().sandbox);
        QVERIFY(window.importPanel()->file().endsWith(QStringLiteral("customers.csv")));
        QCOMPARE(window.importPanel()->preview()->columns().value(0), QStringLiteral("id"));
        QVERIFY(window.startAction()->isEnabled());
        // Preflight starts asynchronously: "not running" may be seen before it
        // began, so wait for its result rather than for it to stop.
        QTRY_COMPARE_WITH_TIMEOUT(window.importPanel()->lastReport().rows, qint64(500), 15000); // the bundled sample
        QTRY_VERIFY(!window.importPanel()->isPreflightRunning());
    }

    void preflightListsBadRowsByLine()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        testing::openOnSandbox(window, writeFile(QStringLiteral("bad.csv"), customers(10, true)),
                               m_dir.filePath(QStringLiteral("runs-bad")));
        ImportPanel *import = window.importPanel();
        QTRY_COMPARE_WITH_TIMEOUT(import->lastReport().badRows, qint64(1), 15000);
        QTRY_VERIFY(!import->isPreflightRunning());
        const imports::PreflightReport &report = import->lastReport();
        QCOMPARE(report.goodRows, qint64(10));
        QVERIFY(report.requestsUnbatched > 0);
        QListWidget *problems = import->preflightView()->problemList();
        QVERIFY(problems->count() >= 1);
        QVERIFY(problems->item(0)->text().startsWith(QStringLiteral("line 4")));
        problems->setCurrentRow(0);
        QVERIFY2(import->preflightView()->rawText().contains(QStringLiteral("one-field-too-many")), qPrintable(import->preflightView()->rawText()));
        QVERIFY(import->preflightView()->summaryText().contains(QStringLiteral("without batching")));
    }

    void runReachesHundredPercentWithPauseResumeAndExports()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        testing::openOnSandbox(window, writeFile(QStringLiteral("hundred.csv"), customers(100)),
                               m_dir.filePath(QStringLiteral("runs")));
        RunSession *session = window.session();
        QVERIFY(testing::limitSandbox(session, 50, 200ms)); // as setRate() sets the run
        setRate(window);

        QTRY_COMPARE_WITH_TIMEOUT(window.importPanel()->lastReport().rows, qint64(100), 15000);
        QTRY_VERIFY(!window.importPanel()->isPreflightRunning());
        QSignalSpy started(session, &RunSession::started);
        QSignalSpy states(session->controller(), &run::RunController::stateChanged);
        QSignalSpy finished(session->controller(), &run::RunController::finished);
        QSignalSpy failed(session, &RunSession::failedToStart);
        window.startAction()->trigger();
        QVERIFY2(started.wait(5000), failed.isEmpty() ? "no start" : qPrintable(failed.at(0).at(0).toString()));

        // Pause at once: the lane reports the operator's pause, the toolbar follows.
        session->controller()->pause(); // what the Pause action sends; queued behind the engine's start
        QTRY_COMPARE(session->controller()->state(), run::Dispatcher::State::Paused);
        QTRY_VERIFY(!session->controller()->lastSnapshots().isEmpty() && session->controller()->lastSnapshots().constFirst().paused);
        QVERIFY(window.resumeAction()->isEnabled());
        QVERIFY(!window.pauseAction()->isEnabled());
        window.resumeAction()->trigger();
        QTRY_VERIFY(session->controller()->state() != run::Dispatcher::State::Paused);
        bool resumed = false;
        for (const QList<QVariant> &args : std::as_const(states))
            resumed = resumed || args.at(0).value<run::Dispatcher::State>() == run::Dispatcher::State::Running;
        QVERIFY(resumed);

        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty(), 10000);
        const auto summary = finished.at(0).at(0).value<run::RunSummary>();
        QCOMPARE(summary.ending, run::RunSummary::Ending::Completed);
        QCOMPARE(summary.rowsDone, qint64(100));
        QCOMPARE(window.progressBar()->value(), window.progressBar()->maximum());
        // Until the run has read its whole file, the status bar counts rows
        // against what preflight counted, not "?".
        run::RunProgress partial;
        partial.rowsDone = 40;
        emit session->controller()->progressed(partial);
        QVERIFY2(statusText(window).contains(QStringLiteral("40 / 100 rows")), qPrintable(statusText(window)));
        QVERIFY(window.session()->log()->rowCount() >= 100);
        QVERIFY(window.livePanel()->pointCount() > 0);

        // The run directory, as the Runs panel reads it.
        const QString runDir = session->currentRunDirectory();
        QVERIFY(QFile::exists(runDir + QStringLiteral("/run.json")));
        const QJsonObject s = QJsonDocument::fromJson(readAll(runDir + QStringLiteral("/summary.json"))).object();
        QCOMPARE(s.value(QStringLiteral("rows_done")).toInteger(), qint64(100));
        QVERIFY(!readAll(runDir + QStringLiteral("/requests.jsonl")).isEmpty());
        QCOMPARE(window.runsPanel()->view()->model()->rowCount(), 1);

        // Exports exist and parse.
        QString error;
        const QString csv = m_dir.filePath(QStringLiteral("log.csv"));
        QVERIFY2(window.logPanel()->exportTo(csv, &error), qPrintable(error));
        QCOMPARE(int(readAll(csv).trimmed().split('\n').size()), window.session()->log()->rowCount() + 1);
        const QString jsonl = m_dir.filePath(QStringLiteral("log.jsonl"));
        QVERIFY2(window.logPanel()->exportTo(jsonl, &error), qPrintable(error));
        for (const QByteArray &line : readAll(jsonl).trimmed().split('\n'))
            QVERIFY2(QJsonDocument::fromJson(line).isObject(), line.constData());
        const QStringList pngs = window.livePanel()->exportPng(m_dir.filePath(QStringLiteral("charts")), &error);
        QCOMPARE(int(pngs.size()), window.livePanel()->chartCount());
        for (const QString &png : pngs)
            QVERIFY(!QImage(png).isNull());
    }

    void settingsPersistAndCredentialsStayOut()
    {
        const QString secret = QStringLiteral("sk-never-in-settings-4711");
        MemoryCredentialStore credentials;
        {
            MainWindow window(&credentials);
            MainWindow::StartupOptions options;
            options.runsDirectory = m_dir.filePath(QStringLiteral("runs-settings"));
            window.applyStartup(options);
            run::RunSettings s = ApiSettingsPanel::defaultsFor(QStringLiteral("customerio-track"));
            s.sandbox = false;
            s.region = QStringLiteral("eu");
            s.rate = 42;
            s.sharedBudget = QStringLiteral("redis://:pw-never-stored@127.0.0.1:6390/0?key=cio-site");
            window.apiPanel()->setSettings(s);
            QLineEdit *key = window.apiPanel()->credentialField(QStringLiteral("HEADROOM_API_KEY"));
            QVERIFY(key);
            key->setText(secret);
            window.apiPanel()->saveCredential(QStringLiteral("HEADROOM_API_KEY"), key->text());
            window.saveSettings();
        }
        QString stored;
        credentials.read(RunSession::credentialKey(QStringLiteral("customerio-track"), QStringLiteral("HEADROOM_API_KEY")),
                         [&stored](const QString &value, const QString &) { stored = value; });
        QCOMPARE(stored, secret);
        const QByteArray settingsBytes = readAll(ConsoleSettings::fileName());
        QVERIFY(!settingsBytes.isEmpty());
        QVERIFY2(!settingsBytes.contains(secret.toUtf8()), "a credential reached QSettings");
        QVERIFY2(!settingsBytes.contains("pw-never-stored"), "a Redis password reached QSettings");

        MainWindow again(&credentials);
        MainWindow::StartupOptions options;
        options.runsDirectory = m_dir.filePath(QStringLiteral("runs-settings"));
        again.applyStartup(options);
        const run::RunSettings back = again.apiPanel()->settings();
        QCOMPARE(back.profile, QStringLiteral("customerio-track"));
        QCOMPARE(back.region, QStringLiteral("eu"));
        QVERIFY(!back.sandbox);
        QCOMPARE(back.rate.value_or(0), 42);
        // The shared budget is remembered per profile, its password masked.
        QCOMPARE(back.sharedBudget, QStringLiteral("redis://:***@127.0.0.1:6390/0?key=cio-site"));
    }
};

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
