// The mapping table: for each profile and operation, the exact call a row
// becomes (method, path, body), with default and file-given mappings, typed
// columns, and the mapping file's own errors.
#include "core/imports/CallSource.h"
#include "core/imports/Mapping.h"

#include <QRegularExpression>
#include <QtTest>

using namespace headroom::imports;

namespace {

std::optional<ApiCall> firstCall(const QString &profile, const QByteArray &mappingJson, const QByteArray &input,
                                 const QString &name, QString *problem = nullptr)
{
    CallSourceOptions o;
    o.profile = profile;
    o.filePath = name;
    o.bytes = input;
    o.messageIdPrefix = QStringLiteral("run7");
    if (!mappingJson.isEmpty()) {
        QString error;
        o.mapping = Mapping::fromJson(mappingJson, &error);
        if (!o.mapping) {
            qWarning() << error;
            return std::nullopt;
        }
    }
    CallSource source(o);
    if (!source.open()) {
        if (problem)
            *problem = source.fatalError().message;
        return std::nullopt;
    }
    auto call = source.next();
    const auto problems = source.takeProblems();
    if (problem && !problems.isEmpty())
        *problem = problems.first().message;
    return call;
}

} // namespace

class TestMapping : public QObject
{
    Q_OBJECT

private slots:
    void calls_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QByteArray>("mapping");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("operation");

        const QString cio = QStringLiteral("customerio-track");
        QTest::newRow("cio identify (default: id + attributes)")
            << cio << QByteArray() << QByteArray("id,email,plan\n42,a@x.io,pro\n") << QStringLiteral("f.csv")
            << QByteArray("PUT") << QStringLiteral("/api/v1/customers/42")
            << QByteArray("{\"email\":\"a@x.io\",\"plan\":\"pro\"}") << QStringLiteral("identify");
        QTest::newRow("cio id percent-encoded in path")
            << cio << QByteArray() << QByteArray("id,plan\na/b c?é,pro\n") << QStringLiteral("f.csv")
            << QByteArray("PUT") << QStringLiteral("/api/v1/customers/a%2Fb%20c%3F%C3%A9")
            << QByteArray("{\"plan\":\"pro\"}") << QStringLiteral("identify");
        QTest::newRow("cio track (event column; event_id dedupes)")
            << cio << QByteArray() << QByteArray("id,event,event_id,amount\n42,purchase,ev-1,9.5\n") << QStringLiteral("f.csv")
            << QByteArray("POST") << QStringLiteral("/api/v1/customers/42/events")
            << QByteArray("{\"name\":\"purchase\",\"id\":\"ev-1\",\"data\":{\"amount\":\"9.5\"}}") << QStringLiteral("track");
        QTest::newRow("cio track without event id column")
            << cio << QByteArray() << QByteArray("id,event\n42,login\n") << QStringLiteral("f.csv")
            << QByteArray("POST") << QStringLiteral("/api/v1/customers/42/events")
            << QByteArray("{\"name\":\"login\",\"id\":\"<ULID>\",\"data\":{}}") << QStringLiteral("track");
        QTest::newRow("cio anonymous track")
            << cio << QByteArray("{\"operation\":\"anonymous_track\",\"event_name\":\"visit\"}")
            << QByteArray("anonymous_id,page\nanon-1,/pricing\n") << QStringLiteral("f.csv")
            << QByteArray("POST") << QStringLiteral("/api/v1/events")
            << QByteArray("{\"name\":\"visit\",\"anonymous_id\":\"anon-1\",\"id\":\"<ULID>\",\"data\":{\"page\":\"/pricing\"}}") << QStringLiteral("anonymous_track");
        QTest::newRow("cio suppress")
            << cio << QByteArray("{\"operation\":\"suppress\"}") << QByteArray("id\n42\n") << QStringLiteral("f.csv")
            << QByteArray("POST") << QStringLiteral("/api/v1/customers/42/suppress") << QByteArray() << QStringLiteral("suppress");
        QTest::newRow("cio delete")
            << cio << QByteArray("{\"operation\":\"delete\"}") << QByteArray("id\n42\n") << QStringLiteral("f.csv")
            << QByteArray("DELETE") << QStringLiteral("/api/v1/customers/42") << QByteArray() << QStringLiteral("delete");
        QTest::newRow("cio typed columns")
            << cio << QByteArray("{\"columns\":{\"age\":\"number\",\"vip\":\"boolean\",\"seen\":\"timestamp\",\"notes\":\"ignore\",\"First Name\":{\"type\":\"string\",\"as\":\"first_name\"}}}")
            << QByteArray("id,age,vip,seen,notes,First Name\n1, 42 ,Yes,2024-02-03T04:05:06Z,x,Ann\n") << QStringLiteral("f.csv")
            << QByteArray("PUT") << QStringLiteral("/api/v1/customers/1")
            << QByteArray("{\"age\":42,\"vip\":true,\"seen\":1706933106,\"first_name\":\"Ann\"}") << QStringLiteral("identify");
        QTest::newRow("cio empty typed cell is omitted; empty string kept")
            << cio << QByteArray("{\"columns\":{\"age\":\"number\"}}")
            << QByteArray("id,age,name\n1,,\n") << QStringLiteral("f.csv")
            << QByteArray("PUT") << QStringLiteral("/api/v1/customers/1") << QByteArray("{\"name\":\"\"}") << QStringLiteral("identify");
        QTest::newRow("cio escapes control characters")
            << cio << QByteArray() << QByteArray("id,note\n1,\"a\"\"b\\c\tx\"\n") << QStringLiteral("f.csv")
            << QByteArray("PUT") << QStringLiteral("/api/v1/customers/1") << QByteArray("{\"note\":\"a\\\"b\\\\c\\tx\"}") << QStringLiteral("identify");
        QTest::newRow("cio from JSONL keeps JSON types")
            << cio << QByteArray() << QByteArray("{\"id\":7,\"age\":30,\"tags\":[\"a\",\"b\"],\"vip\":false,\"x\":null}"
                                                 "\n")
            << QStringLiteral("f.jsonl") << QByteArray("PUT") << QStringLiteral("/api/v1/customers/7")
            << QByteArray("{\"age\":30,\"tags\":[\"a\",\"b\"],\"vip\":false,\"x\":null}") << QStringLiteral("identify");
        QTest::newRow("cio track from a JSON array with a timestamp column")
            << cio << QByteArray("{\"timestamp_column\":\"at\"}")
            << QByteArray("[{\"id\":\"9\",\"event\":\"paid\",\"at\":\"2024-01-01T00:00:00Z\",\"plan\":\"pro\"}]")
            << QStringLiteral("f.json") << QByteArray("POST") << QStringLiteral("/api/v1/customers/9/events")
            << QByteArray("{\"name\":\"paid\",\"id\":\"<ULID>\",\"timestamp\":1704067200,\"data\":{\"plan\":\"pro\"}}") << QStringLiteral("track");

        const QString app = QStringLiteral("customerio-app");
        QTest::newRow("cio transactional email")
            << app << QByteArray("{\"transactional_message_id\":12}")
            << QByteArray("id,email,coupon\n42,a@x.io,SAVE\n") << QStringLiteral("f.csv")
            << QByteArray("POST") << QStringLiteral("/v1/send/email")
            << QByteArray("{\"transactional_message_id\":12,\"to\":\"a@x.io\",\"identifiers\":{\"id\":\"42\"},\"message_data\":{\"coupon\":\"SAVE\"}}")
            << QStringLiteral("transactional_email");
        QTest::newRow("cio transactional id from a column, identifiers by email")
            << app << QByteArray()
            << QByteArray("email,transactional_message_id,name\na@x.io,welcome,Ann\n") << QStringLiteral("f.csv")
            << QByteArray("POST") << QStringLiteral("/v1/send/email")
            << QByteArray("{\"transactional_message_id\":\"welcome\",\"to\":\"a@x.io\",\"identifiers\":{\"email\":\"a@x.io\"},\"message_data\":{\"name\":\"Ann\"}}")
            << QStringLiteral("transactional_email");
        QTest::newRow("cio broadcast trigger")
            << app << QByteArray("{\"operation\":\"broadcast_trigger\",\"campaign_id\":7}")
            << QByteArray("id,coupon\n42,SAVE\n") << QStringLiteral("f.csv")
            << QByteArray("POST") << QStringLiteral("/v1/campaigns/7/triggers")
            << QByteArray("{\"ids\":[\"42\"],\"data\":{\"coupon\":\"SAVE\"}}") << QStringLiteral("broadcast_trigger");
        QTest::newRow("cio app request file: a broadcast trigger")
            << app << QByteArray("{\"operation\":\"request\"}")
            << QByteArray("{\"method\":\"POST\",\"path\":\"/v1/campaigns/7/triggers\",\"body\":{\"ids\":[\"1\"]}}\n")
            << QStringLiteral("r.jsonl") << QByteArray("POST") << QStringLiteral("/v1/campaigns/7/triggers")
            << QByteArray("{\"ids\":[\"1\"]}") << QStringLiteral("request");
        QTest::newRow("cio app request file: a transactional send")
            << app << QByteArray("{\"operation\":\"request\"}")
            << QByteArray("{\"method\":\"post\",\"path\":\"/v1/send/email\",\"body\":{\"to\":\"a@x.io\"}}\n")
            << QStringLiteral("r.jsonl") << QByteArray("POST") << QStringLiteral("/v1/send/email")
            << QByteArray("{\"to\":\"a@x.io\"}") << QStringLiteral("request");

        const QString seg = QStringLiteral("segment-tracking");
        QTest::newRow("segment identify with deterministic messageId")
            << seg << QByteArray() << QByteArray("id,email\nu1,a@x.io\n") << QStringLiteral("f.csv")
            << QByteArray("POST") << QStringLiteral("/v1/identify")
            << QByteArray("{\"userId\":\"u1\",\"traits\":{\"email\":\"a@x.io\"},\"messageId\":\"run7-<ULID>\"}") << QStringLiteral("identify");
        QTest::newRow("segment track with ISO timestamp")
            << seg << QByteArray("{\"timestamp_column\":\"ts\",\"columns\":{\"total\":\"number\"}}")
            << QByteArray("id,event,ts,total\nu1,Order Completed,1704067200,19.99\n") << QStringLiteral("f.csv")
            << QByteArray("POST") << QStringLiteral("/v1/track")
            << QByteArray("{\"userId\":\"u1\",\"event\":\"Order Completed\",\"properties\":{\"total\":19.99},\"timestamp\":\"2024-01-01T00:00:00.000Z\",\"messageId\":\"run7-<ULID>\"}")
            << QStringLiteral("track");
        QTest::newRow("segment anonymous identify")
            << seg << QByteArray() << QByteArray("anonymous_id,plan\nanon-9,free\n") << QStringLiteral("f.csv")
            << QByteArray("POST") << QStringLiteral("/v1/identify")
            << QByteArray("{\"anonymousId\":\"anon-9\",\"traits\":{\"plan\":\"free\"},\"messageId\":\"run7-<ULID>\"}") << QStringLiteral("identify");

        QTest::newRow("generic request file")
            << QStringLiteral("generic") << QByteArray()
            << QByteArray("{\"method\":\"patch\",\"path\":\"/v2/items/5?x=1\",\"body\":{\"a\":[1,2]}}"
                          "\n")
            << QStringLiteral("r.jsonl")
            << QByteArray("PATCH") << QStringLiteral("/v2/items/5?x=1") << QByteArray("{\"a\":[1,2]}") << QStringLiteral("request");
        QTest::newRow("segment-public request file, string body as is")
            << QStringLiteral("segment-public") << QByteArray()
            << QByteArray("[{\"method\":\"POST\",\"path\":\"/sources\",\"body\":\"raw text\"}]") << QStringLiteral("r.json")
            << QByteArray("POST") << QStringLiteral("/sources") << QByteArray("raw text") << QStringLiteral("request");
    }

    void calls()
    {
        QFETCH(QString, profile);
        QFETCH(QByteArray, mapping);
        QFETCH(QByteArray, input);
        QFETCH(QString, name);
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, body);
        QFETCH(QString, operation);
        QString problem;
        const auto call = firstCall(profile, mapping, input, name, &problem);
        QVERIFY2(call.has_value(), qPrintable(problem));
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
        QCOMPARE(call->method, method);
        QCOMPARE(call->path, path);
        // Derived keys are IdempotencyKey's to test; here they show as <ULID>.
        static const QRegularExpression ulid(QStringLiteral("[0-7][0-9A-HJKMNP-TV-Z]{25}"));
        QCOMPARE(QString::fromUtf8(call->body).replace(ulid, QStringLiteral("<ULID>")).toUtf8(), body);
        QCOMPARE(call->operation, operation);
        QCOMPARE(call->rows, QList<qint64>{1});
    }

    void mappingFileErrors_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("error");
        QTest::newRow("not JSON") << QByteArray("{") << QStringLiteral("mapping: invalid JSON");
        QTest::newRow("not an object") << QByteArray("[]") << QStringLiteral("mapping: expected a JSON object");
        QTest::newRow("typo in a key") << QByteArray("{\"id_colum\":\"x\"}") << QStringLiteral("mapping: unknown key 'id_colum'");
        QTest::newRow("unknown operation") << QByteArray("{\"operation\":\"upsert\"}") << QStringLiteral("mapping: unknown operation 'upsert'");
        QTest::newRow("unknown type") << QByteArray("{\"columns\":{\"a\":\"float\"}}") << QStringLiteral("mapping: column 'a': unknown type 'float'");
        QTest::newRow("wrong value type") << QByteArray("{\"id_column\":5}") << QStringLiteral("mapping: 'id_column' must be a string");
    }

    void mappingFileErrors()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, error);
        QString actual;
        QVERIFY(!Mapping::fromJson(json, &actual));
        QVERIFY2(actual.startsWith(error), qPrintable(actual));
    }

    void mappingRoundTrips()
    {
        QString error;
        const auto m = Mapping::fromJson("{\"operation\":\"track\",\"event_name\":\"x\",\"columns\":{\"a\":\"number\",\"b\":{\"type\":\"boolean\",\"as\":\"B\"}}}", &error);
        QVERIFY(m);
        const auto again = Mapping::fromJson(m->toJson(), &error);
        QVERIFY2(again, qPrintable(error));
        QCOMPARE(again->operation, Operation::Track);
        QCOMPARE(again->eventName, QByteArray("x"));
        QCOMPARE(again->columns.value("a").type, ColumnType::Number);
        QCOMPARE(again->columns.value("b").rename, QByteArray("B"));
    }

    void bindErrors_data()
    {
        QTest::addColumn<QString>("profile");
        QTest::addColumn<QByteArray>("mapping");
        QTest::addColumn<QByteArray>("input");
        QTest::addColumn<QString>("error");
        QTest::newRow("operation not on profile") << QStringLiteral("segment-tracking") << QByteArray("{\"operation\":\"suppress\"}")
                                                  << QByteArray("id\n1\n") << QStringLiteral("operation 'suppress' does not exist on profile segment-tracking");
        QTest::newRow("mapping names a missing column") << QStringLiteral("customerio-track") << QByteArray("{\"columns\":{\"age\":\"number\"}}")
                                                        << QByteArray("id\n1\n") << QStringLiteral("the mapping names a column 'age' that the file does not have");
        QTest::newRow("transactional without message id") << QStringLiteral("customerio-app") << QByteArray()
                                                          << QByteArray("email\na@x.io\n") << QStringLiteral("missing 'transactional_message_id' column (or transactional_message_id in the mapping)");
        QTest::newRow("broadcast without campaign") << QStringLiteral("customerio-app") << QByteArray("{\"operation\":\"broadcast_trigger\"}")
                                                    << QByteArray("id\n1\n") << QStringLiteral("missing 'campaign_id' column (or campaign_id in the mapping)");
        // Everything the file lacks at once, not one column per attempt.
        QTest::newRow("broadcast without id nor campaign") << QStringLiteral("customerio-app") << QByteArray("{\"operation\":\"broadcast_trigger\"}")
                                                           << QByteArray("name\nx\n")
                                                           << QStringLiteral("missing 'id' column: the broadcast_trigger operation needs it; "
                                                                             "missing 'campaign_id' column (or campaign_id in the mapping)");
        QTest::newRow("track without id nor event") << QStringLiteral("customerio-track") << QByteArray("{\"operation\":\"track\"}")
                                                    << QByteArray("name\nx\n")
                                                    << QStringLiteral("missing 'id' column: the track operation needs it; missing 'event' column: the track operation needs it");
    }

    void appRequestFilesSendOnlyTheAppsCalls_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::newRow("another endpoint") << QByteArray("{\"method\":\"DELETE\",\"path\":\"/v1/customers/1\"}");
        QTest::newRow("a trigger by GET") << QByteArray("{\"method\":\"GET\",\"path\":\"/v1/campaigns/7/triggers\"}");
    }

    void appRequestFilesSendOnlyTheAppsCalls()
    {
        QFETCH(QByteArray, line);
        QString problem;
        QVERIFY(!firstCall(QStringLiteral("customerio-app"), "{\"operation\":\"request\"}", line + '\n',
                           QStringLiteral("r.jsonl"), &problem));
        QVERIFY2(problem.contains(QLatin1String("is not a call of the customerio-app profile")), qPrintable(problem));
    }

    void bindErrors()
    {
        QFETCH(QString, profile);
        QFETCH(QByteArray, mapping);
        QFETCH(QByteArray, input);
        QFETCH(QString, error);
        QString actual;
        QVERIFY(!firstCall(profile, mapping, input, QStringLiteral("f.csv"), &actual));
        QCOMPARE(actual, error);
    }
};

QTEST_GUILESS_MAIN(TestMapping)
#include "tst_mapping.moc"
