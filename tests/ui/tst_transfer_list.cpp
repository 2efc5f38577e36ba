// The transfer list, offscreen, against the console's embedded sandbox: three
// imports, two into one Customer.io workspace and one into Segment, run at
// once; the two share their workspace's budget (the sandbox refuses next to
// nothing and counts no window above the limit) while the third runs beside
// them; one is paused and resumed, one cancelled; the console is closed with
// one running, and a new window over the same list resumes it.
#include "tests/ui/ConsoleFixture.h"
#include "tests/ui/TransferListFixture.h"
#include "ui/MainWindow.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/apis/MemoryCredentialStore.h"
#include "ui/live/LiveChartsPanel.h"
#include "ui/log/LogPanel.h"
#include "ui/log/RunLogFilter.h"
#include "ui/session/RunSession.h"
#include "ui/transfers/TransferListModel.h"
#include "ui/transfers/TransferListPanel.h"
#include "ui/transfers/TransferStarter.h"

#include "core/run/RunController.h"
#include "core/sandbox/SandboxThread.h"
#include "core/transfers/TransferList.h"
#include "tests/support/SandboxStats.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QSpinBox>
#include <QStandardPaths>
#include <QItemSelectionModel>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::ui;
using namespace std::chrono_literals;
using transfers::TransferState;
using namespace transferfixture;

namespace {

qint64 rowsDone(const transfers::Transfer *t)
{
    return t->controller()->lastProgress().rowsDone;
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? QJsonDocument::fromJson(f.readAll()).object() : QJsonObject();
}

} // namespace

class TestTransferList : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    MainWindow::StartupOptions options() const
    {
        MainWindow::StartupOptions o;
        o.sandbox = true;
        o.runsDirectory = m_dir.filePath(QStringLiteral("runs"));
        o.transfersFile = m_dir.filePath(QStringLiteral("transfers.json"));
        return o;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QString::fromLatin1("headroom.example"), QStringLiteral("Headroom")).clear();
        QVERIFY(m_dir.isValid());
    }

    void threeImportsSharePauseCancelAndSurviveARestart()
    {
        const QString track1 = testing::writeFile(m_dir, QStringLiteral("track-one.csv"), people("a", 200));
        const QString track2 = testing::writeFile(m_dir, QStringLiteral("track-two.csv"), people("b", 200));
        const QString segment = testing::writeFile(m_dir, QStringLiteral("segment.csv"), people("s", 60));
        QString stoppedDirectory;
        {
            MemoryCredentialStore credentials;
            MainWindow window(&credentials);
            window.applyStartup(options());
            QVERIFY(limitSandbox(window.session()));
            transfers::TransferList *list = window.transferList();
            window.transferPanel()->maxActiveBox()->setValue(3);
            QCOMPARE(list->maxActive(), 3);

            target(window, QStringLiteral("customerio-track"));
            window.addImports({track1, track2});
            target(window, QStringLiteral("segment-tracking"));
            window.addImports({segment});
            QCOMPARE(window.transferPanel()->model()->rowCount(), 3);
            transfers::Transfer *one = list->at(0), *two = list->at(1), *seg = list->at(2);
            QCOMPARE(one->entry().settings.profile, QStringLiteral("customerio-track"));
            QCOMPARE(seg->entry().settings.profile, QStringLiteral("segment-tracking"));

            // All three run at once, each in a run directory of its own.
            QTRY_VERIFY_WITH_TIMEOUT(one->state() == TransferState::Running && two->state() == TransferState::Running,
                                     10000);
            QTRY_VERIFY_WITH_TIMEOUT(rowsDone(one) >= 30 && rowsDone(two) >= 30, 20000);
            QVERIFY(seg->state() == TransferState::Running || seg->state() == TransferState::Done);
            QVERIFY(!one->entry().runDirectory.isEmpty());
            // Each new file was preflighted before its run started.
            QCOMPARE(one->entry().preflightRows, qint64(200));
            QCOMPARE(seg->entry().preflightRows, qint64(60));
            QCOMPARE(window.transferPanel()->model()->index(0, TransferListModel::Preflight).data().toString(),
                     QStringLiteral("200 rows"));
            QVERIFY(one->entry().runDirectory != two->entry().runDirectory);

            // Selecting an import points the charts, the log and the dead
            // letters at it; no selection, at the console's own run.
            window.transferPanel()->view()->selectRow(1);
            RunSession *twoSession = window.transferStarter()->sessionOf(two);
            QVERIFY(twoSession);
            QCOMPARE(window.logPanel()->logModel(), twoSession->log());
            QCOMPARE(window.logPanel()->deadLetterModel(), twoSession->deadLetters());
            QTRY_VERIFY_WITH_TIMEOUT(window.logPanel()->filter()->rowCount() > 0, 5000);
            QTRY_VERIFY_WITH_TIMEOUT(window.livePanel()->pointCount() > 0, 5000);
            window.transferPanel()->view()->selectionModel()->clearCurrentIndex();
            QCOMPARE(window.logPanel()->logModel(), window.session()->log());
            window.transferPanel()->view()->selectRow(0);
            QCOMPARE(window.logPanel()->logModel(), window.transferStarter()->sessionOf(one)->log());

            list->pause(0);
            QTRY_COMPARE_WITH_TIMEOUT(one->state(), TransferState::Paused, 5000);
            list->cancel(1);
            QTRY_COMPARE_WITH_TIMEOUT(two->state(), TransferState::Cancelled, 5000);
            QTRY_COMPARE_WITH_TIMEOUT(seg->state(), TransferState::Done, 20000);

            // The two track imports drew from one budget: alone, each would
            // have sent its own 20 per window into the same workspace.
            const QJsonObject stats = window.session()->sandbox()->stats();
            const QJsonObject scopes = stats.value(QStringLiteral("scopes")).toObject();
            const QJsonObject track = scopes.value(QStringLiteral("customerio-track/sandbox-site")).toObject();
            QVERIFY2(testing::scopePeak(stats) <= kLimit, qPrintable(QString::number(testing::scopePeak(stats))));
            // A late wire time on a loaded machine costs a few 429s while the
            // budget's margin grows (unshared, each run would send its own 20
            // per window into the one workspace).
            QVERIFY2(track.value(QStringLiteral("rejected")).toInteger() * 10
                         <= track.value(QStringLiteral("accepted")).toInteger(),
                     QJsonDocument(scopes).toJson(QJsonDocument::Compact).constData());
            QCOMPARE(scopes.value(QStringLiteral("segment-tracking/sandbox-write-key"))
                         .toObject()
                         .value(QStringLiteral("accepted"))
                         .toInteger(),
                     60);

            list->resume(0);
            QTRY_COMPARE_WITH_TIMEOUT(one->state(), TransferState::Done, 30000);
            QCOMPARE(readJson(one->entry().runDirectory + QStringLiteral("/summary.json"))
                         .value(QStringLiteral("rows_done"))
                         .toInteger(),
                     200);

            // The cancelled one continues from its journal, and is under way
            // when the console closes.
            const QString cancelledDirectory = two->entry().runDirectory;
            list->resume(1);
            QTRY_COMPARE_WITH_TIMEOUT(two->state(), TransferState::Running, 10000);
            QCOMPARE(two->entry().runDirectory, cancelledDirectory);
            QTRY_VERIFY_WITH_TIMEOUT(rowsDone(two) >= 10, 10000);
            stoppedDirectory = two->entry().runDirectory;
        }

        // A new window over the same list: the unfinished import is stopped,
        // the others as they ended.
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        window.applyStartup(options());
        transfers::TransferList *list = window.transferList();
        QCOMPARE(list->count(), 3);
        QCOMPARE(list->maxActive(), 3);
        QCOMPARE(list->at(0)->state(), TransferState::Done);
        QCOMPARE(list->at(1)->state(), TransferState::Stopped);
        QCOMPARE(list->at(2)->state(), TransferState::Done);
        QCOMPARE(list->at(1)->entry().runDirectory, stoppedDirectory);
        // What it wrote last is the cancel's summary: the resumed run never ended.
        QCOMPARE(readJson(stoppedDirectory + QStringLiteral("/summary.json")).value(QStringLiteral("ending")).toString(),
                 QStringLiteral("cancelled"));
        QCOMPARE(window.transferPanel()->model()->index(1, TransferListModel::State).data().toString(),
                 QStringLiteral("Stopped"));

        QVERIFY(limitSandbox(window.session()));
        list->resume(1);
        QTRY_COMPARE_WITH_TIMEOUT(list->at(1)->state(), TransferState::Done, 30000);
        // Only what the first console had not finished went to this sandbox.
        const qint64 resent = window.session()
                                  ->sandbox()
                                  ->stats()
                                  .value(QStringLiteral("distinctIdentities"))
                                  .toInteger();
        QVERIFY2(resent > 0 && resent < 200, qPrintable(QString::number(resent)));
        QCOMPARE(readJson(stoppedDirectory + QStringLiteral("/summary.json")).value(QStringLiteral("ending")).toString(),
                 QStringLiteral("completed"));
    }
};

QTEST_MAIN(TestTransferList)
#include "tst_transfer_list.moc"
