// Issue 18, item 13: a server that echoes the operator's token near the point
// where Headroom cuts what it keeps must not leave the token's first bytes in
// the run's files. The writers mask first, then cut.
#include "core/run/DeadLetterWriter.h"
#include "core/run/RunLogWriter.h"

#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace headroom;

namespace {

const QByteArray kToken = QByteArrayLiteral("supersecrettoken1234567890");

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// True when any 6-byte piece of the token is in `bytes`.
bool holdsPieceOfToken(const QByteArray &bytes)
{
    for (qsizetype i = 0; i + 6 <= kToken.size(); ++i) {
        if (bytes.contains(kToken.mid(i, 6)))
            return true;
    }
    return false;
}

} // namespace

class TestHostileMasking : public QObject
{
    Q_OBJECT
private slots:
    void deadLetterResponseIsMaskedBeforeItIsCut_data()
    {
        QTest::addColumn<qsizetype>("offset");
        QTest::addColumn<qsizetype>("bodySize");
        QTest::newRow("echo across the 2 KB cut") << qsizetype(2031) << qsizetype(4096);
        QTest::newRow("engine already cut at 2 KB") << qsizetype(2031) << qsizetype(2048);
        QTest::newRow("echo ends at the cut") << qsizetype(2048 - 7 - kToken.size()) << qsizetype(2048);
        QTest::newRow("echo well inside") << qsizetype(100) << qsizetype(4096);
    }

    void deadLetterResponseIsMaskedBeforeItIsCut()
    {
        QFETCH(qsizetype, offset);
        QFETCH(qsizetype, bodySize);
        QByteArray body(bodySize, 'x');
        body.replace(offset, 7 + kToken.size(), "Bearer " + kToken);
        body.truncate(bodySize);
        QTemporaryDir dir;
        const QString path = dir.filePath("dead-letters.jsonl");
        {
            run::DeadLetterWriter writer(path, QStringLiteral("generic"), {kToken});
            QString error;
            QVERIFY2(writer.open(&error), qPrintable(error));
            run::FailedRows failed;
            failed.call.method = "POST";
            failed.call.path = QStringLiteral("/things");
            failed.call.operation = QStringLiteral("request");
            failed.rows = {1};
            failed.lines = {1};
            failed.lastStatus = 500;
            failed.lastBody = body;
            failed.reason = QStringLiteral("HTTP 500");
            writer.rowsFailed(failed);
        }
        const QByteArray written = fileBytes(path);
        QVERIFY(written.contains("\"response\""));
        QVERIFY2(!holdsPieceOfToken(written), written.right(200).constData());
    }

    void runLogHeaderValueIsMaskedBeforeItIsCut_data()
    {
        QTest::addColumn<QString>("ignored");
        // The rate parser shows 40 characters of a value it ignores, then "...".
        QTest::newRow("token cut at 40") << QStringLiteral("x-ratelimit-limit: 'Bearer supersecrettoken12345678...' "
                                                           "is not a number");
        QTest::newRow("token begins at the cut") << QStringLiteral("retry-after: 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaasupers...' "
                                                                   "is not a date");
    }

    void runLogHeaderValueIsMaskedBeforeItIsCut()
    {
        QFETCH(QString, ignored);
        QTemporaryDir dir;
        const QString path = dir.filePath("requests.jsonl");
        {
            run::RunLogWriter writer(path, {kToken});
            QString error;
            QVERIFY2(writer.open(&error), qPrintable(error));
            run::AttemptRecord record;
            record.method = "POST";
            record.path = QStringLiteral("/things");
            record.status = 200;
            record.decision = QStringLiteral("done");
            record.ignoredSignals = {ignored};
            writer.attemptFinished(record);
        }
        const QByteArray written = fileBytes(path);
        QVERIFY(written.contains("...'"));
        QVERIFY2(!written.contains("supers"), written.constData());
    }
};

QTEST_GUILESS_MAIN(TestHostileMasking)
#include "tst_hostile_masking.moc"
