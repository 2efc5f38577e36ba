#include "core/transfers/TransferListFile.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using headroom::transfers::TransferEntry;
using headroom::transfers::TransferListFile;
using headroom::transfers::TransferState;

namespace {
TransferEntry entry(const QString &id, TransferState state)
{
    TransferEntry e;
    e.id = id;
    e.settings.profile = QStringLiteral("customerio-track");
    e.settings.file = QStringLiteral("/imports/") + id + QStringLiteral(".csv");
    e.settings.sandbox = true;
    e.settings.rate = 40;
    e.state = state;
    return e;
}
} // namespace

class TestTransferListFile : public QObject
{
    Q_OBJECT
private slots:
    // A finished import keeps its ending; one that was under way (or still
    // waiting) ended with the process that wrote the file and comes back
    // Stopped, for the operator to resume.
    void statesAfterARestart_data()
    {
        QTest::addColumn<TransferState>("written");
        QTest::addColumn<TransferState>("read");
        QTest::newRow("queued") << TransferState::Queued << TransferState::Stopped;
        QTest::newRow("preflighting") << TransferState::Preflighting << TransferState::Stopped;
        QTest::newRow("running") << TransferState::Running << TransferState::Stopped;
        QTest::newRow("paused") << TransferState::Paused << TransferState::Stopped;
        QTest::newRow("stopped") << TransferState::Stopped << TransferState::Stopped;
        QTest::newRow("done") << TransferState::Done << TransferState::Done;
        QTest::newRow("failed") << TransferState::Failed << TransferState::Failed;
        QTest::newRow("cancelled") << TransferState::Cancelled << TransferState::Cancelled;
    }
    void statesAfterARestart()
    {
        QFETCH(TransferState, written);
        QFETCH(TransferState, read);
        TransferListFile::Contents contents;
        contents.entries << entry(QStringLiteral("a"), written);
        const auto back = TransferListFile::fromJson(TransferListFile::toJson(contents), nullptr);
        QVERIFY(back);
        QCOMPARE(back->entries.size(), 1);
        QCOMPARE(back->entries.at(0).state, read);
    }

    void roundTripKeepsOrderSettingsMappingAndRunDirectory()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("state/transfers.json"));
        TransferListFile::Contents contents;
        contents.maxActive = 3;
        TransferEntry first = entry(QStringLiteral("first"), TransferState::Done);
        first.runDirectory = QStringLiteral("/runs/1");
        first.preflightRows = 500;
        first.preflightBadRows = 2;
        first.mapping = R"({"operation":"identify"})";
        contents.entries << first << entry(QStringLiteral("second"), TransferState::Running);
        QString error;
        QVERIFY2(TransferListFile::save(path, contents, &error), qPrintable(error));

        const auto back = TransferListFile::load(path, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->maxActive, 3);
        QCOMPARE(back->entries.size(), 2);
        const TransferEntry &a = back->entries.at(0);
        QCOMPARE(a.id, QStringLiteral("first"));
        QCOMPARE(a.settings.file, QStringLiteral("/imports/first.csv"));
        QCOMPARE(a.settings.rate, std::optional<int>(40));
        QVERIFY(a.settings.sandbox);
        QCOMPARE(a.runDirectory, QStringLiteral("/runs/1"));
        QCOMPARE(a.preflightRows, qint64(500));
        QCOMPARE(a.preflightBadRows, qint64(2));
        QCOMPARE(QJsonDocument::fromJson(a.mapping).object().value(QStringLiteral("operation")).toString(),
                 QStringLiteral("identify"));
        QCOMPARE(back->entries.at(1).id, QStringLiteral("second"));
        QVERIFY(back->entries.at(1).mapping.isEmpty());
    }

    void missingFileIsAnEmptyList()
    {
        QTemporaryDir dir;
        QString error;
        const auto back = TransferListFile::load(dir.filePath(QStringLiteral("none.json")), &error);
        QVERIFY(back);
        QVERIFY(back->entries.isEmpty());
        QCOMPARE(back->maxActive, 1);
    }

    // A damaged entry costs that entry only, and says so.
    void unreadableEntryIsSkippedWithAWarning()
    {
        const QByteArray json = R"({"max_active": 2, "imports": [
            {"id": "bad", "settings": {"profile": ""}},
            {"id": "good", "state": "done", "settings": {"profile": "generic", "file": "/f.jsonl"}}]})";
        QStringList warnings;
        const auto back = TransferListFile::fromJson(json, nullptr, &warnings);
        QVERIFY(back);
        QCOMPARE(back->entries.size(), 1);
        QCOMPARE(back->entries.at(0).id, QStringLiteral("good"));
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings.at(0).startsWith(QStringLiteral("import 1 skipped")), qPrintable(warnings.at(0)));
        QVERIFY(!TransferListFile::fromJson("[1,2", nullptr));
    }
};

QTEST_APPLESS_MAIN(TestTransferListFile)
#include "tst_transferlistfile.moc"
