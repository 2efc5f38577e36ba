#include "core/state/AcceptedStore.h"
#include "core/state/StateLocation.h"

#include <QFile>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using headroom::state::AcceptedStore;
using headroom::state::StateLocation;
using Entry = AcceptedStore::Entry;

namespace {
const QByteArray kDestination = "customerio-track\n127.0.0.1/customerio-track\nsite-1";

QByteArray digest(char c)
{
    return QByteArray(16, c);
}
} // namespace

class TestAcceptedStore : public QObject
{
    Q_OBJECT

private slots:
    void recordsAndFindsAfterReopening()
    {
        QTemporaryDir dir;
        const QString path = StateLocation::storePath(dir.filePath("state"), kDestination);
        {
            AcceptedStore store(path);
            QString error;
            QVERIFY2(store.open(kDestination, AcceptedStore::OpenMode::Create, &error), qPrintable(error));
            QVERIFY(!store.lookup(digest('a')).has_value());
            QVERIFY2(store.recordAccepted({Entry{digest('a'), digest('1'), 1000, "ada"},
                                           Entry{digest('b'), digest('2'), 2000, "bob"}},
                                          &error),
                     qPrintable(error));
            // A later acceptance of the same identity replaces the fingerprint.
            QVERIFY(store.recordAccepted({Entry{digest('a'), digest('3'), 3000, "ada"}}, &error));
            QCOMPARE(store.lookups(), 1);
        }
        // Private: person ids are personal data.
        QCOMPARE(QFileInfo(path).permissions() & (QFile::ReadGroup | QFile::ReadOther), QFile::Permissions());
        QCOMPARE(QFileInfo(QFileInfo(path).absolutePath()).permissions() & (QFile::ReadOther | QFile::ExeOther),
                 QFile::Permissions());

        AcceptedStore store(path);
        QString error;
        QVERIFY2(store.open(kDestination, AcceptedStore::OpenMode::Existing, &error), qPrintable(error));
        QCOMPARE(store.lookup(digest('a')), std::optional<QByteArray>(digest('3')));
        QCOMPARE(store.lookup(digest('b')), std::optional<QByteArray>(digest('2')));
        QVERIFY(!store.lookup(digest('c')).has_value());
        const auto summary = store.summary(&error);
        QVERIFY(summary);
        QCOMPARE(summary->rows, 2);
        QCOMPARE(summary->firstAcceptedMs, 2000);
        QCOMPARE(summary->lastAcceptedMs, 3000);
        QCOMPARE(summary->destination, kDestination);
        QCOMPARE(summary->schemaVersion, AcceptedStore::kSchemaVersion);
        const QList<Entry> latest = store.recent(10, {}, &error);
        QCOMPARE(latest.size(), 2);
        QCOMPARE(latest.first().label, QByteArray("ada"));
        QCOMPARE(store.recent(10, "bob", &error).size(), 1);
    }

    void usesWal()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("s.sqlite");
        AcceptedStore store(path);
        QString error;
        QVERIFY(store.open(kDestination, AcceptedStore::OpenMode::Create, &error));
        QVERIFY(store.recordAccepted({Entry{digest('a'), digest('1'), 1, {}}}, &error));
        QVERIFY(QFile::exists(path + "-wal"));
    }

    void anotherDestinationIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("s.sqlite");
        QString error;
        {
            AcceptedStore store(path);
            QVERIFY(store.open(kDestination, AcceptedStore::OpenMode::Create, &error));
        }
        AcceptedStore other(path);
        QVERIFY(!other.open("segment-tracking\napi.segment.io\nx", AcceptedStore::OpenMode::Existing, &error));
        QVERIFY2(error.contains(path) && error.contains("another destination"), qPrintable(error));
        QVERIFY(!other.isOpen());
    }

    void badFilesAreRefusedNamingTheFile_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QString>("expected");
        QTest::newRow("garbage") << QByteArray("this is not a database at all, just some text\n").repeated(200)
                                 << "not a state store";
        QTest::newRow("truncated header") << QByteArray("SQLite format 3\0\x10\0", 19) << "not a state store";
    }

    void badFilesAreRefusedNamingTheFile()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(QString, expected);
        QTemporaryDir dir;
        const QString path = dir.filePath("s.sqlite");
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(bytes);
        f.close();
        AcceptedStore store(path);
        QString error;
        QVERIFY(!store.open(kDestination, AcceptedStore::OpenMode::Existing, &error));
        QVERIFY2(error.startsWith(path) && error.contains(expected), qPrintable(error));
    }

    void aForeignDatabaseIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("s.sqlite");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "foreign");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery(db).exec("CREATE TABLE t (x)");
            db.close();
        }
        QSqlDatabase::removeDatabase("foreign");
        AcceptedStore store(path);
        QString error;
        QVERIFY(!store.open(kDestination, AcceptedStore::OpenMode::Existing, &error));
        QVERIFY2(error.startsWith(path) && error.contains("another program"), qPrintable(error));
    }

    void aNewerSchemaIsRefused()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("s.sqlite");
        QString error;
        {
            AcceptedStore store(path);
            QVERIFY(store.open(kDestination, AcceptedStore::OpenMode::Create, &error));
        }
        {
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "bump");
            db.setDatabaseName(path);
            QVERIFY(db.open());
            QSqlQuery(db).exec("PRAGMA user_version = 99");
            db.close();
        }
        QSqlDatabase::removeDatabase("bump");
        AcceptedStore store(path);
        QVERIFY(!store.open(kDestination, AcceptedStore::OpenMode::Existing, &error));
        QVERIFY2(error.contains("schema 99"), qPrintable(error));
    }

    void missingStoreAndRemove()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath("s.sqlite");
        AcceptedStore missing(path);
        QString error;
        QVERIFY(!missing.open(kDestination, AcceptedStore::OpenMode::Existing, &error));
        QVERIFY(error.contains("no such state store"));
        QVERIFY(!QFile::exists(path));
        {
            AcceptedStore store(path);
            QVERIFY(store.open(kDestination, AcceptedStore::OpenMode::Create, &error));
            QVERIFY(store.recordAccepted({Entry{digest('a'), digest('1'), 1, {}}}, &error));
        }
        QVERIFY(AcceptedStore::remove(path, &error));
        QVERIFY(!QFile::exists(path));
        QVERIFY(!QFile::exists(path + "-wal"));
    }

    void storeNameIsADigestOfTheDestination()
    {
        const QString a = StateLocation::storePath("/s", kDestination);
        QCOMPARE(a, StateLocation::storePath("/s", kDestination));
        QVERIFY(a != StateLocation::storePath("/s", kDestination + "2"));
        QVERIFY(!a.contains("site-1"));
        QProcessEnvironment env;
        env.insert("HEADROOM_STATE_DIR", "/tmp/x");
        QCOMPARE(StateLocation::directory({}, env), "/tmp/x");
        QCOMPARE(StateLocation::directory("/tmp/y", env), "/tmp/y");
    }
};

QTEST_GUILESS_MAIN(TestAcceptedStore)
#include "tst_acceptedstore.moc"
