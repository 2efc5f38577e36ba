// A shared-budget Redis that lies: replies that claim billions of elements or
// bytes, endless lines, answers that grant nothing. Each is refused or backed
// off from, the lane paces locally, and a notice says why; the bounds are
// counts (commands asked, connections dropped), not wall-clock figures.
#include "tests/hostile/redis/HostileRedisServer.h"

#include "core/budget/RedisConnection.h"
#include "core/budget/SharedBudgetClient.h"
#include "core/budget/SharedBudgetLimiter.h"
#include "core/clock/SteadyClock.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSslConfiguration>
#include <QSslKey>
#include <QSslServer>
#include <QSslSocket>
#include <QTemporaryDir>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>

#include <memory>
#include <optional>

using namespace headroom;
using namespace headroom::budget;
using namespace std::chrono_literals;

namespace {

QByteArray integers(std::initializer_list<qint64> values)
{
    QByteArray out = "*" + QByteArray::number(qsizetype(values.size())) + "\r\n";
    for (qint64 v : values)
        out += ":" + QByteArray::number(v) + "\r\n";
    return out;
}

// What a Redis answers to everything but the budget script.
QByteArray ordinaryAnswer(const QList<QByteArray> &args)
{
    if (args.value(0).toUpper() == "SCRIPT")
        return "$40\r\n" + QByteArray(40, 'a') + "\r\n";
    if (args.value(0).toUpper() == "ZREM")
        return ":1\r\n";
    return "+OK\r\n";
}

// A self-signed certificate for 127.0.0.1 in `dir`, as a server's TLS
// configuration; nullopt where openssl cannot make one.
std::optional<QSslConfiguration> serverTls(const QTemporaryDir &dir)
{
    const QString key = dir.filePath(QStringLiteral("key.pem"));
    const QString cert = dir.filePath(QStringLiteral("cert.pem"));
    QProcess openssl;
    openssl.setProcessChannelMode(QProcess::ForwardedErrorChannel);
    openssl.start(QStringLiteral("openssl"),
                  {QStringLiteral("req"), QStringLiteral("-x509"), QStringLiteral("-newkey"), QStringLiteral("rsa:2048"),
                   QStringLiteral("-nodes"), QStringLiteral("-keyout"), key, QStringLiteral("-out"), cert,
                   QStringLiteral("-days"), QStringLiteral("1"), QStringLiteral("-subj"), QStringLiteral("/CN=127.0.0.1"),
                   QStringLiteral("-addext"), QStringLiteral("subjectAltName=IP:127.0.0.1")});
    if (!openssl.waitForFinished(60000) || openssl.exitCode() != 0)
        return std::nullopt;
    QFile certFile(cert);
    QFile keyFile(key);
    if (!certFile.open(QIODevice::ReadOnly) || !keyFile.open(QIODevice::ReadOnly))
        return std::nullopt;
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setLocalCertificate(QSslCertificate(certFile.readAll()));
    tls.setPrivateKey(QSslKey(keyFile.readAll(), QSsl::Rsa));
    return tls;
}

SharedBudgetConfig configFor(const QString &url)
{
    SharedBudgetConfig config;
    config.url = *RedisUrl::parse(url, nullptr);
    config.limit = 100;
    config.period = 1s;
    config.probeInterval = 100ms;
    return config;
}

} // namespace

class TestHostileRedis : public QObject
{
    Q_OBJECT

    SteadyClock m_clock;

private slots:
    void hugeRepliesAreRefusedBeforeHiredis_data()
    {
        QTest::addColumn<QByteArray>("reply");
        QTest::addColumn<QString>("reason");
        QTest::newRow("two billion elements") << QByteArray("*2000000000\r\n:1\r\n") << "array of 2000000000";
        QTest::newRow("two gigabyte string") << QByteArray("$2000000000\r\nxxxx") << "string of 2000000000";
        QTest::newRow("endless line") << (QByteArray("+") + QByteArray(100'000, 'x')) << "line longer";
        QTest::newRow("nested too deep") << QByteArray("*1\r\n").repeated(12) << "nested deeper";
        const QByteArray large = "$60000\r\n" + QByteArray(60'000, 'x') + "\r\n";
        QTest::newRow("many large strings") << QByteArray("*1000\r\n").append(large.repeated(5)) << "reply larger";
    }

    void hugeRepliesAreRefusedBeforeHiredis()
    {
        QFETCH(QByteArray, reply);
        QFETCH(QString, reason);
        QElapsedTimer answered;
        HostileRedisServer redis([&](const QList<QByteArray> &args) {
            if (args.value(0).toUpper() != "EVALSHA")
                return ordinaryAnswer(args);
            answered.start();
            return reply;
        });
        QVERIFY(redis.listen());
        SharedBudgetLimiter limiter(configFor(redis.url(QStringLiteral("hostile"))));
        auto client = std::make_unique<SharedBudgetClient>(&limiter, m_clock);
        QSignalSpy notices(client.get(), &SharedBudgetClient::notice);
        client->start();
        QVERIFY(notices.wait(10000));
        const QString text = notices.at(0).at(0).toString();
        // Refused on the header: not the 200 ms answer timeout, and without
        // hiredis allocating (and later walking) what the header claims.
        QVERIFY2(text.contains(reason), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("unavailable")), qPrintable(text));
        QVERIFY2(answered.elapsed() < 3000, qPrintable(QString::number(answered.elapsed())));
        QCOMPARE(limiter.mode(), SharedBudgetLimiter::Mode::Fallback);
        QTRY_VERIFY(redis.disconnections >= 1);
        client->stop();
    }

    void redisErrorTextReachesTheNoticeEscaped()
    {
        // An error that would clear the screen and retitle the terminal.
        HostileRedisServer redis([](const QList<QByteArray> &args) {
            if (args.value(0).toUpper() == "EVALSHA")
                return QByteArray("-ERR \x1b[2J\x1b]0;pwned\x07 evil\r\n");
            return ordinaryAnswer(args);
        });
        QVERIFY(redis.listen());
        SharedBudgetLimiter limiter(configFor(redis.url(QStringLiteral("escape"))));
        auto client = std::make_unique<SharedBudgetClient>(&limiter, m_clock);
        QSignalSpy notices(client.get(), &SharedBudgetClient::notice);
        client->start();
        QVERIFY(notices.wait(10000));
        const QString text = notices.at(0).at(0).toString();
        for (const QChar c : text)
            QVERIFY2(c.unicode() >= 0x20, qPrintable(QStringLiteral("control U+%1").arg(c.unicode(), 4, 16)));
        QVERIFY2(text.contains(QStringLiteral("ERR \\u001b[2J\\u001b]0;pwned\\u0007 evil")), qPrintable(text));
        client->stop();
    }

    void passwordIsNeverSentInClearToAnotherHost()
    {
        QString error;
        auto url = RedisUrl::parse(QStringLiteral("redis://10.255.255.1:6379/0?key=k"), &error);
        QVERIFY(url);
        url->password = QStringLiteral("pw");
        QVERIFY(url->sendsPasswordInClear());
        RedisConnection connection;
        QSignalSpy lost(&connection, &RedisConnection::lost);
        connection.open(*url);
        // Refused before any connection is attempted: nothing can carry AUTH.
        QVERIFY(!connection.isOpening());
        QVERIFY(!connection.isConnected());
        QVERIFY(lost.wait(5000));
        QVERIFY2(lost.at(0).at(0).toString().contains(QStringLiteral("--insecure-redis")),
                 qPrintable(lost.at(0).at(0).toString()));
        // The operator's word allows it.
        connection.setPasswordInClearAllowed(true);
        connection.open(*url);
        QVERIFY(connection.isOpening());
        connection.close("done");

        for (const char *safe : {"redis://127.0.0.1/0?key=k", "redis://localhost/0?key=k", "redis://[::1]/0?key=k",
                                 "rediss://10.255.255.1/0?key=k"}) {
            auto other = RedisUrl::parse(QString::fromLatin1(safe), &error);
            QVERIFY2(other, qPrintable(error));
            other->password = QStringLiteral("pw");
            QVERIFY2(!other->sendsPasswordInClear(), safe);
        }
    }

    void redissRefusesAnUnverifiedCertificate()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        QTemporaryDir dir;
        const auto tls = serverTls(dir);
        if (!tls)
            QSKIP("openssl cannot make a certificate here");
        QSslServer server;
        server.setSslConfiguration(*tls);
        qint64 plaintextReceived = 0; // what the client sent after a handshake (AUTH, EVALSHA)
        int handshakes = 0;
        connect(&server, &QSslServer::startedEncryptionHandshake, this, [&](QSslSocket *s) {
            ++handshakes;
            connect(s, &QSslSocket::readyRead, this, [&plaintextReceived, s] { plaintextReceived += s->readAll().size(); });
        });
        QVERIFY(server.listen(QHostAddress::LocalHost, 0));

        SharedBudgetConfig config = configFor(QStringLiteral("rediss://127.0.0.1:%1/0?key=tls").arg(server.serverPort()));
        config.url.password = QStringLiteral("never-sent");
        SharedBudgetLimiter limiter(config);
        auto client = std::make_unique<SharedBudgetClient>(&limiter, m_clock);
        QSignalSpy notices(client.get(), &SharedBudgetClient::notice);
        client->start();
        QVERIFY(notices.wait(10000));
        const QString text = notices.at(0).at(0).toString();
        QVERIFY2(text.contains(QStringLiteral("rediss://")) && text.contains(QStringLiteral("unavailable")), qPrintable(text));
        QCOMPARE(limiter.mode(), SharedBudgetLimiter::Mode::Fallback);
        QVERIFY(handshakes >= 1);
        QCOMPARE(plaintextReceived, 0);
        client->stop();
    }

    void redissTalksOverVerifiedTls()
    {
        if (!QSslSocket::supportsSsl())
            QSKIP("no TLS backend");
        QTemporaryDir dir;
        const auto tls = serverTls(dir);
        if (!tls)
            QSKIP("openssl cannot make a certificate here");
        // The test's certificate trusted as the system's CAs trust a real one.
        const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
        QSslConfiguration trusting = saved;
        trusting.addCaCertificate(tls->localCertificate());
        QSslConfiguration::setDefaultConfiguration(trusting);
        HostileRedisServer redis([](const QList<QByteArray> &args) {
            if (args.value(0).toUpper() == "EVALSHA")
                return integers({1'700'000'000'000'000, 100, 1'000'000, 1, 2, 0, 10'000});
            return ordinaryAnswer(args);
        });
        QVERIFY(redis.listenTls(*tls));
        SharedBudgetConfig config = configFor(redis.url(QStringLiteral("tls"), QStringLiteral("rediss")));
        config.url.password = QStringLiteral("pw-over-tls"); // 10.x would be fine too: it travels encrypted
        SharedBudgetLimiter limiter(config);
        auto client = std::make_unique<SharedBudgetClient>(&limiter, m_clock);
        QSignalSpy notices(client.get(), &SharedBudgetClient::notice);
        client->start();
        const bool answered = notices.wait(10000);
        QSslConfiguration::setDefaultConfiguration(saved);
        QVERIFY(answered);
        QVERIFY2(notices.at(0).at(0).toString().contains(QStringLiteral("drawing from it")),
                 qPrintable(notices.at(0).at(0).toString()));
        QCOMPARE(limiter.mode(), SharedBudgetLimiter::Mode::Shared);
        QVERIFY(!redis.calls.isEmpty());
        QCOMPARE(redis.calls.at(0), (QList<QByteArray>{"AUTH", "pw-over-tls"}));
        client->stop();
    }

    void grantingNothingBacksOffAndPacesLocally()
    {
        // Answers every ask, grants no slot: before, the client asked again at
        // once, 224,158 times a minute.
        HostileRedisServer redis([](const QList<QByteArray> &args) {
            if (args.value(0).toUpper() == "EVALSHA")
                return integers({1'700'000'000'000'000, 100, 1'000'000, 1, 0});
            return ordinaryAnswer(args);
        });
        QVERIFY(redis.listen());
        SharedBudgetLimiter limiter(configFor(redis.url(QStringLiteral("stingy"))));
        auto client = std::make_unique<SharedBudgetClient>(&limiter, m_clock);
        QSignalSpy notices(client.get(), &SharedBudgetClient::notice);
        // A hungry lane: asks the limiter every millisecond.
        QTimer lane;
        lane.setInterval(1);
        connect(&lane, &QTimer::timeout, this, [&] { limiter.earliestSend(m_clock.now()); });
        lane.start();
        client->start();
        QVERIFY(notices.wait(10000));
        const QString text = notices.at(0).at(0).toString();
        QVERIFY2(text.contains(QStringLiteral("without granting")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("pacing locally")), qPrintable(text));
        QCOMPARE(limiter.mode(), SharedBudgetLimiter::Mode::Fallback);
        QVERIFY2(redis.scriptCalls <= 5, qPrintable(QString::number(redis.scriptCalls)));
        // Away, it probes once per probe interval, one ask each, and stays away
        // (no back-and-forth notices) while the answers grant nothing.
        // Three more asks take at least two probe intervals (100 ms each);
        // without the back-off they came at once.
        const int seen = redis.scriptCalls;
        QElapsedTimer away;
        away.start();
        QTRY_VERIFY_WITH_TIMEOUT(redis.scriptCalls >= seen + 3, 10000);
        QVERIFY2(away.elapsed() >= 190, qPrintable(QString::number(away.elapsed())));
        QCOMPARE(limiter.mode(), SharedBudgetLimiter::Mode::Fallback);
        QCOMPARE(notices.size(), 1);
        lane.stop();
        client->stop();
    }
};

QTEST_GUILESS_MAIN(TestHostileRedis)
#include "tst_hostile_redis.moc"
