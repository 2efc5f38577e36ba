// A shared budget in the console: the Redis password lives in the keychain
// (typed into the URL, it moves there and the field keeps "***"), and a run
// reads it from there, so a password-protected Redis paces the run.
#include "tests/ui/ConsoleFixture.h"
#include "ui/MainWindow.h"
#include "tests/support/RedisTestServer.h"
#include "ui/apis/ApiSettingsPanel.h"
#include "ui/apis/MemoryCredentialStore.h"
#include "core/budget/RedisUrl.h"
#include "core/run/RunSummary.h"
#include "core/sandbox/SandboxThread.h"
#include "ui/session/RunSession.h"

#include <QAction>
#include <QDir>
#include <QFile>
#include <QLineEdit>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;
using namespace headroom::ui;
using namespace std::chrono_literals;

namespace {

const QString kPassword = QStringLiteral("redis-pw-5e11");

QString stored(MemoryCredentialStore &store, const QString &profile)
{
    QString value;
    store.read(RunSession::credentialKey(profile, RunSession::redisPasswordVariable()),
               [&value](const QString &v, const QString &) { value = v; });
    return value;
}

// One RESP command on a fresh connection (AUTH first); the raw reply.
QByteArray redis(quint16 port, const QList<QByteArray> &command, const QByteArray &password)
{
    auto encode = [](const QList<QByteArray> &parts) {
        QByteArray out = '*' + QByteArray::number(parts.size()) + "\r\n";
        for (const QByteArray &p : parts)
            out += '$' + QByteArray::number(p.size()) + "\r\n" + p + "\r\n";
        return out;
    };
    QTcpSocket socket;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(2000))
        return {};
    socket.write(encode({"AUTH", password}) + encode(command));
    QByteArray reply;
    while (reply.count("\r\n") < 2 && socket.waitForReadyRead(2000))
        reply += socket.readAll();
    return reply;
}

} // namespace

class TestConsoleBudget : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    RedisTestServer m_redis;

    QLineEdit *sharedBudgetField(MainWindow &window)
    {
        for (QLineEdit *e : window.apiPanel()->findChildren<QLineEdit *>()) {
            if (e->accessibleName() == QLatin1String("Shared budget"))
                return e;
        }
        return nullptr;
    }

private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QSettings(QString::fromLatin1("headroom.example"), QStringLiteral("Headroom")).clear();
        QVERIFY(m_dir.isValid());
        if (RedisTestServer::executable().isEmpty())
            QSKIP("redis-server is not installed (scripts/test.sh installs it)");
        QVERIFY(m_redis.start({QStringLiteral("--requirepass"), kPassword}));
    }

    void passwordTypedInTheUrlMovesToTheKeychain()
    {
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        MainWindow::StartupOptions options;
        options.runsDirectory = m_dir.filePath(QStringLiteral("runs-typed"));
        window.applyStartup(options);
        QLineEdit *field = sharedBudgetField(window);
        QVERIFY(field);
        field->setText(QStringLiteral("redis://:typed-pw-314@127.0.0.1:6390/0?key=cio"));
        emit field->editingFinished();
        QCOMPARE(field->text(), QStringLiteral("redis://:***@127.0.0.1:6390/0?key=cio"));
        QCOMPARE(stored(credentials, window.apiPanel()->settings().profile), QStringLiteral("typed-pw-314"));
        QVERIFY(!window.apiPanel()->settings().sharedBudget.contains(QStringLiteral("typed-pw-314")));
    }

    void runReadsTheRedisPasswordFromTheKeychain_data()
    {
        QTest::addColumn<bool>("withPassword");
        QTest::newRow("password in the keychain: shared") << true;
        QTest::newRow("no password: local fallback, said in the log") << false;
    }

    void runReadsTheRedisPasswordFromTheKeychain()
    {
        QFETCH(bool, withPassword);
        const int rows = 40;
        MemoryCredentialStore credentials;
        MainWindow window(&credentials);
        testing::openOnSandbox(window, testing::writeFile(m_dir, QStringLiteral("budget.csv"), testing::customersCsv("b", rows)),
                               m_dir.filePath(withPassword ? QStringLiteral("runs-pw") : QStringLiteral("runs-nopw")));
        RunSession *session = window.session();
        QVERIFY(session->ensureSandbox());

        const QString key = withPassword ? QStringLiteral("console-with") : QStringLiteral("console-without");
        run::RunSettings s = window.apiPanel()->settings();
        s.profile = QStringLiteral("customerio-track");
        s.sandbox = true;
        s.rate = 200;
        s.window = 1s;
        s.sharedBudget = m_redis.url(key);
        window.apiPanel()->setSettings(s);
        if (withPassword)
            window.apiPanel()->saveCredential(RunSession::redisPasswordVariable(), kPassword);

        QSignalSpy started(session, &RunSession::started);
        QSignalSpy finished(session->controller(), &run::RunController::finished);
        QSignalSpy failed(session, &RunSession::failedToStart);
        window.startAction()->trigger();
        QVERIFY2(started.wait(5000), failed.isEmpty() ? "no start" : qPrintable(failed.at(0).at(0).toString()));
        QVERIFY(finished.wait(20000));
        QCOMPARE(finished.at(0).at(0).value<run::RunSummary>().rowsDone, qint64(rows));

        const auto url = budget::RedisUrl::parse(m_redis.url(key), nullptr);
        QVERIFY(url);
        const QByteArray exists = redis(m_redis.port(), {"EXISTS", url->budgetKey()}, kPassword.toUtf8());
        QFile log(QDir(started.at(0).at(0).toString()).filePath(QStringLiteral("requests.jsonl")));
        QVERIFY(log.open(QIODevice::ReadOnly));
        const QByteArray lines = log.readAll();
        if (withPassword) {
            QVERIFY2(exists.endsWith(":1\r\n"), exists.constData()); // the run drew from Redis
            QVERIFY2(!lines.contains("unavailable"), "the run fell back to local pacing");
        } else {
            QVERIFY2(exists.endsWith(":0\r\n"), exists.constData());
            QVERIFY2(lines.contains("unavailable"), "no fallback notice in the run log");
        }
        QVERIFY(!lines.contains(kPassword.toUtf8()));
    }
};

QTEST_MAIN(TestConsoleBudget)
#include "tst_console_budget.moc"
