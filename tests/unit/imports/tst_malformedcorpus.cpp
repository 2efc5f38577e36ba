// Every file under tests/data/imports/malformed/ with the exact errors it must
// produce (expected.json): file-level errors, and for each bad row its row,
// line, column and message, plus how many good rows still get through. Each
// file is read twice: in one chunk, and in 16-byte chunks, so records that
// straddle chunk boundaries must give the same answers.
#include "core/imports/CallSource.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

using namespace headroom::imports;

namespace {

QString dataDir()
{
    return QStringLiteral(HEADROOM_TEST_DATA_DIR "/imports/malformed/");
}

QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QJsonObject problemJson(const RowProblem &p)
{
    return QJsonObject{{QStringLiteral("row"), p.row},
                       {QStringLiteral("line"), p.line},
                       {QStringLiteral("column"), p.column},
                       {QStringLiteral("message"), p.message}};
}

// Reads a case through CallSource and describes what came out.
QJsonObject run(const QString &name, const QJsonObject &config, qsizetype chunk)
{
    CallSourceOptions options;
    options.filePath = dataDir() + name;
    options.profile = config.value(QLatin1String("profile")).toString();
    options.limits.chunkBytes = chunk;
    if (config.contains(QLatin1String("max_record_bytes")))
        options.limits.maxRecordBytes = config.value(QLatin1String("max_record_bytes")).toInteger();
    if (config.contains(QLatin1String("mapping"))) {
        QString error;
        options.mapping = Mapping::fromJson(
            QJsonDocument(config.value(QLatin1String("mapping")).toObject()).toJson(), &error);
        if (!options.mapping)
            qWarning() << "bad mapping in cases.json:" << error;
    }
    CallSource source(options);
    QJsonArray problems;
    qint64 goodRows = 0;
    if (source.open()) {
        while (const auto call = source.next()) {
            goodRows += call->rows.size();
            for (const RowProblem &p : source.takeProblems())
                problems.append(problemJson(p));
        }
        for (const RowProblem &p : source.takeProblems())
            problems.append(problemJson(p));
    }
    QJsonObject out{{QStringLiteral("problems"), problems}, {QStringLiteral("good_rows"), goodRows}};
    if (source.hasFatalError()) {
        const RowProblem &f = source.fatalError();
        out.insert(QStringLiteral("fatal"), QJsonObject{{QStringLiteral("line"), f.line},
                                                        {QStringLiteral("column"), f.column},
                                                        {QStringLiteral("message"), f.message}});
    }
    return out;
}

} // namespace

class TestMalformedCorpus : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase()
    {
        const QString dump = qEnvironmentVariable("HEADROOM_WRITE_EXPECTED");
        if (dump.isEmpty())
            return;
        // Maintenance aid: writes what the readers say today, for review.
        const QJsonObject cases = readJson(dataDir() + QStringLiteral("cases.json"));
        QJsonObject all;
        for (auto it = cases.begin(); it != cases.end(); ++it)
            all.insert(it.key(), run(it.key(), it.value().toObject(), 1 << 20));
        QFile f(dump);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(all).toJson(QJsonDocument::Indented));
    }

    void corpus_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<qsizetype>("chunk");
        const QJsonObject cases = readJson(dataDir() + QStringLiteral("cases.json"));
        QVERIFY(cases.size() >= 25);
        for (auto it = cases.begin(); it != cases.end(); ++it) {
            QTest::addRow("%s/whole", qPrintable(it.key())) << it.key() << qsizetype(1 << 20);
            QTest::addRow("%s/16B-chunks", qPrintable(it.key())) << it.key() << qsizetype(16);
        }
    }

    void corpus()
    {
        QFETCH(QString, name);
        QFETCH(qsizetype, chunk);
        const QJsonObject cases = readJson(dataDir() + QStringLiteral("cases.json"));
        const QJsonObject expected = readJson(dataDir() + QStringLiteral("expected.json")).value(name).toObject();
        QVERIFY2(!expected.isEmpty(), qPrintable(QStringLiteral("no expectation for %1 in expected.json").arg(name)));
        const QJsonObject actual = run(name, cases.value(name).toObject(), chunk);
        if (actual != expected) {
            qWarning().noquote() << "expected" << QJsonDocument(expected).toJson(QJsonDocument::Compact);
            qWarning().noquote() << "actual  " << QJsonDocument(actual).toJson(QJsonDocument::Compact);
        }
        QCOMPARE(actual, expected);
    }
};

QTEST_GUILESS_MAIN(TestMalformedCorpus)
#include "tst_malformedcorpus.moc"
