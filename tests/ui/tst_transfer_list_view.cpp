// The transfer list as the main window shows it, offscreen, against the
// console's embedded sandbox: the list is the window's centre with the charts
// below it (no dock of its own), an import dragged in the list moves in the
// queue, and "All" charts every run at once, summed per rate-limit scope;
// the Runs panel shows the imports' runs as running, not interrupted.
#include "tests/ui/ConsoleFixture.h"
#include "tests/ui/TransferListFixture.h"
#include "ui/MainWindow.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/apis/MemoryCredentialStore.h"
#include "ui/live/LiveChartsPanel.h"
#include "ui/log/LogPanel.h"
#include "ui/runs/RunHistoryModel.h"
#include "ui/runs/RunsPanel.h"
#include "ui/session/RunSession.h"
#include "ui/transfers/ImportFollower.h"
#include "ui/transfers/TransferListModel.h"
#include "ui/transfers/TransferListPanel.h"
#include "ui/transfers/TransferStarter.h"

#include "core/run/RunController.h"
#include "core/sandbox/SandboxThread.h"
#include "core/transfers/TransferList.h"

#include <QAction>
#include <QDockWidget>
#include <QFileInfo>
#include <QLabel>
#include <QMimeData>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QSplitter>
#include <QStandardPaths>
#include <QTabBar>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <QToolButton>

using namespace headroom;
using namespace headroom::ui;
using namespace std::chrono_literals;
using transfers::TransferState;
using namespace transferfixture;

namespace {

QStringList queueOrder(const transfers::TransferList &list)
{
    QStringList names;
    for (int i = 0; i < list.count(); ++i)
        names << QFileInfo(list.at(i)->entry().settings.file).baseName();
    return names;
}

// What a drag of `from` dropped at `at` in the view's viewport delivers.
void dropRow(QTableView *view, int from, QPoint at)
{
    std::unique_ptr<QMimeData> data(view->model()->mimeData({view->model()->index(from, 0)}));
    QDragEnterEvent enter(at, Qt::MoveAction, data.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view->viewport(), &enter);
    QDragMoveEvent move(at, Qt::MoveAction, data.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view->viewport(), &move);
    QDropEvent drop(at, Qt::MoveAction, data.get(), Qt::LeftButton, Qt::NoModifier);
    QCoreApplication::sendEvent(view->viewport(), &drop);
}

qint64 requestsOf(const run::RunController *controller, const QString &lane)
{
    qint64 requests = 0;
    for (const metrics::LaneSnapshot &s : controller->lastSnapshots()) {
        if (s.lane.startsWith(lane))
            requests += s.requests;
    }
    return requests;
}

} // namespace

class TestTransferListView : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    MainWindow::StartupOptions options(const QString &name) const
    {
        MainWindow::StartupOptions o;
        o.sandbox = true;
        o.runsDirectory = m_dir.filePath(name + QStringLiteral("-runs"));
        o.transfersFile = m_dir.filePath(name + QStringLiteral("-transfers.json"));
        return o;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QString::fromLatin1("headroom.example"), QStringLiteral("Headroom")).clear();
        QVERIFY(m_dir.isValid());
    }

    void theListIsTheWindowsCentre()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        window.applyStartup(options(QStringLiteral("centre")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *centre = qobject_cast<QSplitter *>(window.centralWidget());
        QVERIFY(centre);
        QCOMPARE(centre->widget(0), window.transferPanel());
        QVERIFY(centre->widget(1)->isAncestorOf(window.livePanel()));
        // A caption says whose charts these are.
        auto *caption = centre->widget(1)->findChild<QLabel *>(QStringLiteral("chartsCaption"));
        QVERIFY(caption);
        QVERIFY2(caption->text().contains(QLatin1String("Start")), qPrintable(caption->text()));
        QVERIFY(window.transferPanel()->isVisible() && window.livePanel()->isVisible());
        for (const QDockWidget *dock : window.findChildren<QDockWidget *>())
            QVERIFY2(!dock->isAncestorOf(window.transferPanel()), qPrintable(dock->objectName()));
    }

    // The split between the list and the charts is remembered with the window.
    void theCentresSplitIsRemembered()
    {
        QList<int> sizes;
        {
            MemoryCredentialStore credentials;
            MainWindow window(&credentials);
            window.applyStartup(options(QStringLiteral("split")));
            window.show();
            QVERIFY(QTest::qWaitForWindowExposed(&window));
            window.centre()->setSizes({300, 400});
            sizes = window.centre()->sizes();
            window.saveSettings();
        }
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        window.applyStartup(options(QStringLiteral("split")));
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QCOMPARE(window.centre()->sizes(), sizes);
        QSettings(QString::fromLatin1("headroom.example"), QStringLiteral("Headroom")).clear();
    }

    void aDraggedImportMovesInTheQueue()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        window.applyStartup(options(QStringLiteral("drag")));
        QVERIFY(limitSandbox(window.session()));
        window.resize(1400, 900);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        target(window, QStringLiteral("customerio-track"));
        QStringList files;
        for (const QString &name : {QStringLiteral("a"), QStringLiteral("b"), QStringLiteral("c")})
            files << testing::writeFile(m_dir, name + QStringLiteral(".csv"), people(name.toLatin1(), 5));
        window.addImports(files);
        transfers::TransferList *list = window.transferList();
        QCOMPARE(queueOrder(*list), QStringList({"a", "b", "c"}));

        QTableView *view = window.transferPanel()->view();
        view->selectRow(2);
        // c dropped onto the first row goes before it.
        dropRow(view, 2, view->visualRect(view->model()->index(0, TransferListModel::Name)).center());
        QCOMPARE(queueOrder(*list), QStringList({"c", "a", "b"}));
        // The moved import stays the selected one: the charts and log keep following it.
        QCOMPARE(window.transferPanel()->currentRow(), 0);
        // a dropped below the last row goes to the end.
        const QRect last = view->visualRect(view->model()->index(2, TransferListModel::Name));
        dropRow(view, 1, QPoint(last.center().x(), last.bottom() + 20));
        QCOMPARE(queueOrder(*list), QStringList({"c", "b", "a"}));
        // A drop of something else (a file from outside) moves nothing.
        QMimeData file;
        file.setUrls({QUrl::fromLocalFile(files.first())});
        QVERIFY(!view->model()->canDropMimeData(&file, Qt::MoveAction, 0, 0, {}));
        // Up and Down move it the same way.
        QVERIFY(view->model()->moveRow({}, 0, {}, 2));
        QCOMPARE(queueOrder(*list), QStringList({"b", "c", "a"}));
        for (int i = 0; i < list->count(); ++i)
            QTRY_COMPARE_WITH_TIMEOUT(list->at(i)->state(), TransferState::Done, 20000);
    }

    // Three imports into one workspace and one into Segment: "All" draws one
    // line per scope, each the sum of the imports into it.
    void allChartsEachScopeSummedAcrossImports()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        window.applyStartup(options(QStringLiteral("all")));
        QVERIFY(limitSandbox(window.session()));
        window.show();
        transfers::TransferList *list = window.transferList();
        window.transferPanel()->maxActiveBox()->setValue(4);
        TransferListPanel *panel = window.transferPanel();
        panel->allButton()->click();
        QVERIFY(window.follower()->followsAll());
        QCOMPARE(panel->currentRow(), TransferListPanel::kAllRows);
        QVERIFY2(window.follower()->description().contains(QLatin1String("every run")),
                 qPrintable(window.follower()->description()));

        target(window, QStringLiteral("customerio-track"));
        window.addImports({testing::writeFile(m_dir, QStringLiteral("t1.csv"), people("t1-", 400)),
                           testing::writeFile(m_dir, QStringLiteral("t2.csv"), people("t2-", 400)),
                           testing::writeFile(m_dir, QStringLiteral("t3.csv"), people("t3-", 400))});
        target(window, QStringLiteral("segment-tracking"));
        window.addImports({testing::writeFile(m_dir, QStringLiteral("s1.csv"), people("s1-", 400))});
        QTRY_VERIFY_WITH_TIMEOUT(list->at(0)->controller()->lastProgress().rowsDone >= 10
                                     && list->at(1)->controller()->lastProgress().rowsDone >= 10
                                     && list->at(2)->controller()->lastProgress().rowsDone >= 10,
                                 20000);
        LiveChartsPanel *live = window.livePanel();
        // One line per scope (the lane's name says its workspace or key).
        QTRY_COMPARE_WITH_TIMEOUT(live->lanes().size(), 2, 5000);
        const QString trackLane = live->lanes().at(0);
        QVERIFY2(trackLane.startsWith(QLatin1String("customerio-track ")), qPrintable(trackLane));
        QVERIFY2(live->lanes().at(1).startsWith(QLatin1String("segment-tracking ")), qPrintable(live->lanes().at(1)));

        // Held still, the totals are the imports' own counts added up.
        list->pauseAll();
        for (int i = 0; i < list->count(); ++i)
            QTRY_COMPARE_WITH_TIMEOUT(list->at(i)->state(), TransferState::Paused, 5000);
        const auto trackTotal = [&] {
            for (const metrics::LaneSnapshot &s : window.follower()->lastTotals()) {
                if (s.lane == trackLane)
                    return s.requests;
            }
            return qint64(-1);
        };
        const auto importsSum = [&] {
            return requestsOf(list->at(0)->controller(), QStringLiteral("customerio-track"))
                   + requestsOf(list->at(1)->controller(), QStringLiteral("customerio-track"))
                   + requestsOf(list->at(2)->controller(), QStringLiteral("customerio-track"));
        };
        QTRY_COMPARE_WITH_TIMEOUT(trackTotal(), importsSum(), 5000);

        // The Runs panel lists these runs as running here, and offers no
        // second resume of a run under way.
        QTableView *runs = window.runsPanel()->view();
        const QString pausedDirectory = QFileInfo(list->at(0)->entry().runDirectory).fileName();
        int runRow = -1;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                for (int r = 0; r < runs->model()->rowCount(); ++r) {
                    if (runs->model()->index(r, 0).data(Qt::ToolTipRole).toString().endsWith(pausedDirectory))
                        runRow = r;
                }
                return runRow >= 0;
            }(),
            5000);
        QCOMPARE(runs->model()->index(runRow, RunHistoryModel::Ending).data().toString(), QStringLiteral("running"));
        runs->selectRow(runRow);
        QVERIFY(!window.runsPanel()->resumeButton()->isEnabled());
        QVERIFY(requestsOf(list->at(0)->controller(), QStringLiteral("customerio-track")) < trackTotal());

        // The workspace's rate as the chart drew it: all three imports' share of
        // its kLimit per kWindow, never above it.
        const double limitPerS = kLimit / std::chrono::duration<double>(kWindow).count();
        const double peak = live->peak(trackLane, QStringLiteral("Requests/s"));
        QVERIFY2(peak >= 0.6 * limitPerS && peak <= 1.1 * limitPerS, qPrintable(QString::number(peak)));

        // Choosing one import leaves "All": the charts follow that import alone.
        panel->view()->selectRow(1);
        QVERIFY(!panel->allButton()->isChecked());
        QVERIFY(!window.follower()->followsAll());
        QCOMPARE(window.follower()->followedSession(), window.transferStarter()->sessionOf(list->at(1)));
        QCOMPARE(window.follower()->description(), QStringLiteral("Charts of t2.csv"));
        list->cancelAll();
    }
};

QTEST_MAIN(TestTransferListView)
#include "tst_transfer_list_view.moc"
