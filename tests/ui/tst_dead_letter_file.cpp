// The dead letters of any run: the Log panel opens a run's dead-letters.jsonl,
// lists each letter with its reason, and re-drives the file the way
// `headroom-cli run --file dead-letters.jsonl` does (against the sandbox).
#include "tests/ui/ConsoleFixture.h"
#include "ui/MainWindow.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/apis/MemoryCredentialStore.h"
#include "ui/log/DeadLetterModel.h"
#include "ui/log/LogPanel.h"
#include "ui/log/RunLogModel.h"
#include "core/run/RunDirectory.h"
#include "core/run/RunSummary.h"
#include "ui/session/RunSession.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QMenuBar>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::ui;

namespace {

// Three letters that carry a request and one row rejected before sending, as
// DeadLetterWriter writes them.
QByteArray deadLetters()
{
    QByteArray out;
    for (int i = 1; i <= 3; ++i) {
        out += R"({"method":"PUT","path":"/api/v1/customers/dl-)" + QByteArray::number(i)
               + R"(","body":{"email":"dl)" + QByteArray::number(i) + R"(@example.com"},)"
               + R"("_headroom":{"row":)" + QByteArray::number(i * 10) + R"(,"line":)" + QByteArray::number(i * 10 + 1)
               + R"(,"operation":"identify","attempts":3,"status":503,"response":"busy",)"
               + R"("reason":"503 after 3 attempts","profile":"customerio-track","lane":"customerio-track"}})" + '\n';
    }
    out += R"({"_headroom":{"row":7,"line":8,"operation":"rejected","attempts":0,"status":0,)"
           R"("reason":"id: missing","profile":"customerio-track","lane":"customerio-track","original":"x,y"}})"
           "\n";
    return out;
}

QPushButton *button(QWidget *parent, const QString &text)
{
    for (QPushButton *b : parent->findChildren<QPushButton *>()) {
        if (b->text() == text)
            return b;
    }
    return nullptr;
}

} // namespace

class TestDeadLetterFile : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &bytes) { return testing::writeFile(m_dir, name, bytes); }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QString::fromLatin1("headroom.example"), QStringLiteral("Headroom")).clear();
        QVERIFY(m_dir.isValid());
    }

    void listsTheLettersOfAFileWithTheirReasons()
    {
        RunLogModel log;
        DeadLetterModel current;
        LogPanel panel(&log, &current);
        // The letters of a run: its run.json, not the lines, names the profile.
        const run::RunDirectory runDir(m_dir.filePath(QStringLiteral("a-run")));
        QString error;
        QVERIFY2(runDir.create(&error), qPrintable(error));
        run::RunDirectory::Manifest manifest;
        manifest.id = QStringLiteral("a-run");
        manifest.settings.profile = QStringLiteral("customerio-track");
        manifest.settings.file = m_dir.filePath(QStringLiteral("a.csv"));
        QVERIFY2(runDir.writeManifest(manifest, &error), qPrintable(error));
        const QString path = write(QStringLiteral("a-run/dead-letters.jsonl"), deadLetters());
        QVERIFY2(panel.openDeadLetters(path, &error), qPrintable(error));
        QCOMPARE(panel.deadLetterFile(), path);
        const QAbstractItemModel *model = panel.deadLetterView()->model();
        QVERIFY(model != &current);
        QCOMPARE(model->rowCount(), 4);
        QCOMPARE(model->index(0, DeadLetterModel::Rows).data().toString(), QStringLiteral("10"));
        QCOMPARE(model->index(0, DeadLetterModel::Lines).data().toString(), QStringLiteral("11"));
        QCOMPARE(model->index(0, DeadLetterModel::Attempts).data().toInt(), 3);
        QCOMPARE(model->index(0, DeadLetterModel::LastStatus).data().toInt(), 503);
        QCOMPARE(model->index(0, DeadLetterModel::Reason).data().toString(), QStringLiteral("503 after 3 attempts"));
        QCOMPARE(model->index(3, DeadLetterModel::Reason).data().toString(), QStringLiteral("id: missing"));

        // Re-drive asks for the file and its profile, and only while allowed.
        QPushButton *redrive = button(&panel, LogPanel::tr("&Re-drive this file"));
        QVERIFY(redrive);
        QVERIFY(!redrive->isEnabled());
        panel.setRedriveEnabled(true);
        QVERIFY(redrive->isEnabled());
        QVERIFY(redrive->focusPolicy() & Qt::TabFocus);
        QSignalSpy file(&panel, &LogPanel::redriveFileRequested);
        QSignalSpy run(&panel, &LogPanel::redriveRequested);
        redrive->click();
        QCOMPARE(file.count(), 1);
        QCOMPARE(file.at(0).at(0).toString(), path);
        QCOMPARE(file.at(0).at(1).toString(), QStringLiteral("customerio-track"));
        QCOMPARE(run.count(), 0);

        // Back to the current run's letters: by the button, or when a run starts.
        QPushButton *back = button(&panel, LogPanel::tr("&Current run's"));
        QVERIFY(back);
        back->click();
        QVERIFY(panel.deadLetterFile().isEmpty());
        QCOMPARE(panel.deadLetterView()->model(), &current);
        QVERIFY(panel.openDeadLetters(path));
        current.clear(); // what a starting run does
        QCOMPARE(panel.deadLetterView()->model(), &current);

        // A file outside a run names no profile, whatever its lines claim:
        // the re-drive then uses the profile chosen in the APIs panel.
        const QString loose = write(QStringLiteral("loose-dead-letters.jsonl"), deadLetters());
        QVERIFY(panel.openDeadLetters(loose));
        panel.setRedriveEnabled(true);
        redrive = button(&panel, LogPanel::tr("&Re-drive this file"));
        QVERIFY(redrive);
        redrive->click();
        QCOMPARE(file.count(), 2);
        QCOMPARE(file.at(1).at(1).toString(), QString());
    }

    void refusesAFileThatIsNotDeadLetters()
    {
        RunLogModel log;
        DeadLetterModel current;
        LogPanel panel(&log, &current);
        const QString path = write(QStringLiteral("customers.jsonl"), R"({"id":"a","email":"a@example.com"})"
                                                                      "\n");
        QString error;
        QVERIFY(!panel.openDeadLetters(path, &error));
        QVERIFY2(error.contains(QStringLiteral("not a dead letter")), qPrintable(error));
        QVERIFY(!panel.openDeadLetters(m_dir.filePath(QStringLiteral("missing.jsonl")), &error));
        QVERIFY(panel.deadLetterFile().isEmpty());
        QCOMPARE(panel.deadLetterView()->model(), &current);
    }

    void theFileMenuOpensDeadLettersByKeyboard()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        QAction *open = nullptr;
        for (QAction *action : window.menuBar()->actions().constFirst()->menu()->actions()) {
            if (action->shortcut() == QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_D))
                open = action;
        }
        QVERIFY2(open, "File menu: an action with Ctrl+Shift+D");
    }

    void redrivesAnOpenedFileAgainstTheSandbox()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        MainWindow::StartupOptions options;
        options.sandbox = true;
        options.runsDirectory = m_dir.filePath(QStringLiteral("runs"));
        window.applyStartup(options);
        const QString path = write(QStringLiteral("redrive-me.jsonl"), deadLetters());
        QVERIFY(window.logPanel()->openDeadLetters(path));
        QPushButton *redrive = button(window.logPanel(), LogPanel::tr("&Re-drive this file"));
        QVERIFY(redrive);
        QTRY_VERIFY_WITH_TIMEOUT(redrive->isEnabled(), 15000); // once the startup preflight is done

        QSignalSpy finished(window.session()->controller(), &run::RunController::finished);
        redrive->click();
        QVERIFY(finished.wait(30000));
        const auto summary = finished.at(0).at(0).value<run::RunSummary>();
        QCOMPARE(window.session()->settings().profile, QStringLiteral("customerio-track"));
        QCOMPARE(summary.rowsDone, qint64(3)); // the rejected row has no request to send
        QCOMPARE(summary.rowsFailed, qint64(0));
        QVERIFY(window.logPanel()->deadLetterFile().isEmpty()); // showing the new run's (none)
        QCOMPARE(window.session()->log()->rowCount(), 3);
    }
};

QTEST_MAIN(TestDeadLetterFile)
#include "tst_dead_letter_file.moc"
