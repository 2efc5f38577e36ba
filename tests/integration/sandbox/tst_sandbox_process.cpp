// headroom-sandbox and `headroom-cli sandbox` as processes: the {"port":N}
// line, a request against the announced port, lifetime, bad usage.
#include "tests/integration/sandbox/SandboxTestClient.h"

#include <QProcess>
#include <QTemporaryFile>
#include <QtTest>

class TestSandboxProcess : public QObject
{
    Q_OBJECT

private:
    // Starts the program and returns the port from its first stdout line (0 on failure).
    static quint16 startAndReadPort(QProcess &process, const QString &program, const QStringList &args)
    {
        process.start(program, args);
        if (!process.waitForStarted(10000))
            return 0;
        QByteArray out;
        while (!out.contains('\n')) {
            if (!process.waitForReadyRead(15000))
                return 0;
            out += process.readAllStandardOutput();
        }
        const QByteArray line = out.left(out.indexOf('\n'));
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.size() != 1)
            return 0;
        return quint16(o.value("port").toInt());
    }

    static void stop(QProcess &process)
    {
        if (process.state() != QProcess::NotRunning) {
            process.terminate();
            if (!process.waitForFinished(5000)) {
                process.kill();
                process.waitForFinished(5000);
            }
        }
    }

private slots:
    void sandboxAnnouncesItsPortAndServes()
    {
        QProcess process;
        const quint16 port = startAndReadPort(process, QStringLiteral(HEADROOM_SANDBOX_EXE),
                                              {"--port", "0", "--quiet", "--lifetime", "60",
                                               "--limit", "generic=1/10s"});
        QVERIFY(port != 0);
        SandboxTestClient client;
        const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(port));
        QCOMPARE(client.send("GET", base.resolved(QUrl("/generic/x"))).status, 200);
        QCOMPARE(client.send("GET", base.resolved(QUrl("/generic/y"))).status, 429);
        const auto stats = client.send("GET", base.resolved(QUrl("/__sandbox/stats")));
        QCOMPARE(stats.json().value("accepted").toInt(), 1);
        QCOMPARE(stats.json().value("port").toInt(), int(port));
        stop(process);
    }

    void cliSandboxIsTheSameProgram()
    {
        QProcess process;
        const quint16 port = startAndReadPort(process, QStringLiteral(HEADROOM_CLI_EXE),
                                              {"sandbox", "--port", "0", "--quiet", "--lifetime", "60"});
        QVERIFY(port != 0);
        SandboxTestClient client;
        const QUrl base(QStringLiteral("http://127.0.0.1:%1").arg(port));
        QCOMPARE(client.send("GET", base.resolved(QUrl("/__sandbox/health"))).status, 200);
        stop(process);
    }

    void configFileIsRead()
    {
        QTemporaryFile config;
        QVERIFY(config.open());
        config.write(R"({"apis":{"generic":{"limit":1,"windowMs":60000,"ietf":true}}})");
        config.close();
        QProcess process;
        const quint16 port = startAndReadPort(process, QStringLiteral(HEADROOM_SANDBOX_EXE),
                                              {"--quiet", "--config", config.fileName(), "--lifetime", "60"});
        QVERIFY(port != 0);
        SandboxTestClient client;
        const auto r = client.send("GET", QUrl(QStringLiteral("http://127.0.0.1:%1/generic/x").arg(port)));
        QCOMPARE(r.header("RateLimit-Policy"), QByteArray("\"default\";q=1;w=60"));
        stop(process);
    }

    void lifetimeEndsTheProcess()
    {
        QProcess process;
        QVERIFY(startAndReadPort(process, QStringLiteral(HEADROOM_SANDBOX_EXE), {"--quiet", "--lifetime", "1"}) != 0);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitStatus(), QProcess::NormalExit);
        QCOMPARE(process.exitCode(), 0);
    }

    void badUsage_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("unknown api") << QStringList{"--limit", "nope=1/1s"} << "nope";
        QTest::newRow("bad window") << QStringList{"--limit", "generic=5/soon"} << "soon";
        QTest::newRow("bad probability") << QStringList{"--fault-503", "1.5"} << "fault-503";
        QTest::newRow("missing config") << QStringList{"--config", "/nonexistent/sandbox.json"} << "sandbox.json";
        QTest::newRow("bad port") << QStringList{"--port", "70000"} << "port";
        QTest::newRow("unknown flag") << QStringList{"--frobnicate"} << "frobnicate";
    }
    void badUsage()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, mentions);
        QProcess process;
        process.start(QStringLiteral(HEADROOM_SANDBOX_EXE), args);
        QVERIFY(process.waitForFinished(10000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardOutput().isEmpty());
        const QString err = QString::fromLocal8Bit(process.readAllStandardError());
        QVERIFY2(err.contains(mentions), qPrintable(err));
    }

    void busyPortIsAnError()
    {
        QProcess first;
        const quint16 port = startAndReadPort(first, QStringLiteral(HEADROOM_SANDBOX_EXE), {"--quiet", "--lifetime", "60"});
        QVERIFY(port != 0);
        QProcess second;
        second.start(QStringLiteral(HEADROOM_SANDBOX_EXE), {"--quiet", "--port", QString::number(port)});
        QVERIFY(second.waitForFinished(10000));
        QCOMPARE(second.exitCode(), 1);
        stop(first);
    }
};

QTEST_GUILESS_MAIN(TestSandboxProcess)
#include "tst_sandbox_process.moc"
