// The console's log counts how each row ended: delivered, rejected by reason
// class, ambiguous. A transactional-email import runs against the embedded
// sandbox while it loses 3 % of its answers after applying the request; no
// API drops a second copy of a transactional send, so those rows end
// ambiguous and are not sent again. Three rows are rejected before sending
// (two without an email: identifier; one without a message id: schema).
#include "tests/ui/ConsoleFixture.h"
#include "ui/MainWindow.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/apis/MemoryCredentialStore.h"
#include "ui/imports/ImportPanel.h"
#include "ui/log/LogPanel.h"
#include "ui/log/RunLogModel.h"
#include "ui/session/RunSession.h"
#include "core/run/RunController.h"
#include "core/run/RunSummary.h"

#include <QAction>
#include <QJsonObject>
#include <QLabel>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::ui;
using namespace std::chrono_literals;

namespace {

constexpr int kRows = 300;

QByteArray recipients()
{
    QByteArray csv = "id,email,transactional_message_id,coupon\n";
    for (int i = 1; i <= kRows; ++i) {
        const QByteArray n = QByteArray::number(i);
        const QByteArray email = (i == 10 || i == 20) ? QByteArray() : "c" + n + "@example.com";
        const QByteArray message = i == 30 ? QByteArray() : QByteArray("3");
        csv += "c" + n + ',' + email + ',' + message + ",SAVE" + n + '\n';
    }
    return csv;
}

sandbox::SandboxConfig losingAnswers()
{
    sandbox::SandboxConfig config;
    config.faults.lostAnswer = 0.03;
    config.faults.seed = 20; // the same answers are lost on every run
    config.faults.apis = {QStringLiteral("customerio-app")};
    return config;
}

} // namespace

class TestConsoleOutcomes : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QString::fromLatin1("headroom.example"), QStringLiteral("Headroom")).clear();
        QVERIFY(m_dir.isValid());
    }

    void logCountsEachOutcomeClass()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        testing::openOnSandbox(window, QString(), m_dir.filePath(QStringLiteral("runs")));
        RunSession *session = window.session();
        QVERIFY(session->ensureSandbox());
        session->sandbox()->setConfig(losingAnswers());
        session->sandbox()->reset();
        run::RunSettings s = window.apiPanel()->settings();
        s.profile = QStringLiteral("customerio-app");
        s.sandbox = true;
        window.apiPanel()->setSettings(s);

        QVERIFY(window.importPanel()->loadFile(testing::writeFile(m_dir, QStringLiteral("send.csv"), recipients())));
        imports::Mapping mapping;
        mapping.operation = imports::Operation::TransactionalEmail;
        window.importPanel()->setMapping(mapping);
        QCOMPARE(window.importPanel()->mapping().value_or(imports::Mapping()).operation,
                 imports::Operation::TransactionalEmail);
        QTRY_VERIFY_WITH_TIMEOUT(!window.importPanel()->isPreflightRunning(), 15000);

        QSignalSpy finished(session->controller(), &run::RunController::finished);
        QSignalSpy failed(session, &RunSession::failedToStart);
        window.startAction()->trigger();
        QTRY_VERIFY_WITH_TIMEOUT(!finished.isEmpty() || !failed.isEmpty(), 60000);
        QVERIFY2(failed.isEmpty(), qPrintable(failed.value(0).value(0).toString()));
        const auto summary = finished.at(0).at(0).value<run::RunSummary>();

        const QJsonObject apis = session->sandbox()->stats().value(QStringLiteral("apis")).toObject();
        const qint64 lost = apis.value(QStringLiteral("customerio-app")).toObject().value(QStringLiteral("lostAnswers")).toInteger();
        QVERIFY2(lost > 0, "the sandbox lost no answer: nothing ambiguous to count");
        QCOMPARE(session->sandbox()->stats().value(QStringLiteral("duplicates")).toInteger(), 0);

        // The run: 297 sendable rows, each delivered or ambiguous (one lost answer each).
        QCOMPARE(summary.rowsAmbiguous, lost);
        QCOMPARE(summary.attemptsAmbiguous, lost);
        QCOMPARE(summary.rowsDone, kRows - 3 - lost);

        // The console's log counts the same classes, in the CLI's words.
        LogPanel *panel = window.logPanel();
        QCOMPARE(panel->outcomeLabel()->text(),
                 QStringLiteral("Rows: %1 delivered, 3 rejected (identifier 2, schema 1), %2 ambiguous"
                                " · ambiguous attempts: %2")
                     .arg(kRows - 3 - lost)
                     .arg(lost));
        QVERIFY(panel->outcomeLabel()->isVisibleTo(panel));
        const RunLogModel *log = panel->logModel();
        QCOMPARE(log->outcomes(), summary.outcomes());
        // ... and each attempt's line says how it came out.
        qint64 ambiguousLines = 0;
        qint64 deliveredLines = 0;
        for (int row = 0; row < log->rowCount(); ++row) {
            const QString outcome = log->data(log->index(row, RunLogModel::Outcome)).toString();
            ambiguousLines += outcome == QLatin1String("ambiguous");
            deliveredLines += outcome == QLatin1String("delivered");
        }
        QCOMPARE(ambiguousLines, lost);
        QCOMPARE(deliveredLines, summary.rowsDone);
    }
};

QTEST_MAIN(TestConsoleOutcomes)
#include "tst_console_outcomes.moc"
