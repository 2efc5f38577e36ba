// "Send only changed rows" in the console's Import panel: the checkbox starts
// the same changed-only run as headroom-cli run --changed-only. A first run
// records what the embedded sandbox accepted; a second run of the file with
// one row changed and the box ticked sends that row only, and says first, as
// headroom-cli's first line does, how many rows it leaves out.
#include "tests/ui/ConsoleFixture.h"
#include "ui/MainWindow.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/apis/MemoryCredentialStore.h"
#include "ui/imports/ImportPanel.h"
#include "ui/session/RunSession.h"
#include "core/run/RunController.h"
#include "core/run/RunSummary.h"

#include <QAction>
#include <QCheckBox>
#include <QSettings>
#include <QStatusBar>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::ui;
using namespace std::chrono_literals;

class TestConsoleChanged : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    static QByteArray customers(bool changed)
    {
        QByteArray csv = "id,email,plan\n";
        for (int i = 1; i <= 50; ++i)
            csv += "cust-" + QByteArray::number(i) + ",c" + QByteArray::number(i) + "@example.com,"
                   + (changed && i == 7 ? "pro" : "free") + '\n';
        return csv;
    }

    // Runs what the window shows to its end; the summary.
    static std::optional<run::RunSummary> runToEnd(MainWindow &window, const QString &file)
    {
        RunSession *session = window.session();
        if (!window.importPanel()->loadFile(file))
            return std::nullopt;
        QSignalSpy finished(session->controller(), &run::RunController::finished);
        QSignalSpy failed(session, &RunSession::failedToStart);
        [&] { QTRY_VERIFY_WITH_TIMEOUT(!window.importPanel()->isPreflightRunning(), 15000); }();
        window.startAction()->trigger();
        [&] { QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 20000); }();
        if (finished.isEmpty())
            return std::nullopt;
        return finished.at(0).at(0).value<run::RunSummary>();
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QString::fromLatin1("headroom.example"), QStringLiteral("Headroom")).clear();
        QVERIFY(m_dir.isValid());
        qputenv("HEADROOM_STATE_DIR", m_dir.filePath(QStringLiteral("state")).toUtf8());
    }

    void checkboxSendsOnlyTheChangedRow()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        testing::openOnSandbox(window, QString(), m_dir.filePath(QStringLiteral("runs")));
        RunSession *session = window.session();
        QVERIFY(testing::limitSandbox(session, 100, 100ms));
        run::RunSettings s = window.apiPanel()->settings();
        s.profile = QStringLiteral("customerio-track");
        s.sandbox = true;
        s.rate = 100;
        s.window = 100ms;
        window.apiPanel()->setSettings(s);
        QCheckBox *box = window.importPanel()->changedOnlyBox();
        QVERIFY(!box->isChecked());

        const auto first = runToEnd(window, testing::writeFile(m_dir, QStringLiteral("all.csv"), customers(false)));
        QVERIFY(first);
        QCOMPARE(first->rowsDone, 50);
        QCOMPARE(first->rowsUnchanged, 0);
        QVERIFY(!window.statusBar()->currentMessage().contains(QStringLiteral("skipped"))); // no mode, no count

        session->sandbox()->reset();
        box->click();
        QVERIFY(window.importPanel()->changedOnly());
        QSignalSpy counted(session, &RunSession::changesCounted);
        const auto second = runToEnd(window, testing::writeFile(m_dir, QStringLiteral("one.csv"), customers(true)));
        QVERIFY(second);
        QCOMPARE(second->rowsDone, 1);
        QCOMPARE(second->rowsUnchanged, 49);
        QCOMPARE(session->sandbox()->stats().value(QStringLiteral("accepted")).toInteger(), 1);
        // Before sending, the console says what the mode leaves out, in the CLI's words.
        const QString expected = QStringLiteral("changed-only: 49 unchanged rows skipped: 0 s at 1,000/s; 1 rows to send");
        QCOMPARE(counted.size(), 1);
        QCOMPARE(counted.at(0).at(0).toString(), expected);
        QCOMPARE(window.statusBar()->currentMessage(), expected);
    }
};

QTEST_MAIN(TestConsoleChanged)
#include "tst_console_changed.moc"
