#pragma once

// A redis-server of the test's own on a free loopback port: no persistence,
// stopped with the test. Stop() and start() again on the same port emulate an
// outage. Tests QSKIP when Debian's redis-server is not installed.
#include <QDir>
#include <QProcess>
#include <QStandardPaths>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <signal.h>
#include <sys/prctl.h>

class RedisTestServer
{
public:
    ~RedisTestServer() { stop(); }

    static QString executable() { return QStandardPaths::findExecutable(QStringLiteral("redis-server")); }

    // Picks a free port the first time; later calls reuse it. `extra`: more
    // redis-server arguments (e.g. --requirepass PW).
    bool start(const QStringList &extra = {})
    {
        if (executable().isEmpty())
            return false;
        if (m_port == 0) {
            QTcpServer probe;
            if (!probe.listen(QHostAddress::LocalHost, 0))
                return false;
            m_port = probe.serverPort();
        }
        m_process.setProgram(executable());
        m_process.setArguments(QStringList{QStringLiteral("--port"), QString::number(m_port), QStringLiteral("--bind"),
                                           QStringLiteral("127.0.0.1"), QStringLiteral("--save"), QString(),
                                           QStringLiteral("--appendonly"), QStringLiteral("no"), QStringLiteral("--dir"),
                                           m_dir.path(), QStringLiteral("--loglevel"), QStringLiteral("warning")}
                               + extra);
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        // Goes with the test even when the test crashes.
        m_process.setChildProcessModifier([] { ::prctl(PR_SET_PDEATHSIG, SIGTERM); });
        m_process.start();
        if (!m_process.waitForStarted(5000))
            return false;
        // Ready when it accepts a connection (polled, never a fixed sleep).
        bool ready = false;
        [&] { QTRY_VERIFY_WITH_TIMEOUT((ready = accepts()), 10000); }();
        return ready;
    }

    void stop()
    {
        if (m_process.state() == QProcess::NotRunning)
            return;
        m_process.terminate();
        if (!m_process.waitForFinished(5000)) {
            m_process.kill();
            m_process.waitForFinished();
        }
    }

    bool isRunning() const { return m_process.state() == QProcess::Running; }
    quint16 port() const { return m_port; }
    QString url(const QString &key) const
    {
        return QStringLiteral("redis://127.0.0.1:%1/0?key=%2").arg(m_port).arg(key);
    }

    bool accepts() const
    {
        QTcpSocket s;
        s.connectToHost(QHostAddress::LocalHost, m_port);
        return s.waitForConnected(200);
    }

private:
    QProcess m_process;
    QTemporaryDir m_dir;
    quint16 m_port = 0;
};
