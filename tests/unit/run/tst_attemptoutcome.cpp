// AttemptOutcome: delivered, rejected (with the class the operator acts on)
// or ambiguous (the server may have acted) for each kind of answer.
#include "core/run/AttemptOutcome.h"

#include <QtTest>

using namespace headroom::run;
using Kind = AttemptOutcome::Kind;
using RejectClass = AttemptOutcome::RejectClass;

class TestAttemptOutcome : public QObject
{
    Q_OBJECT

private slots:
    void classify_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<int>("answered");
        QTest::addColumn<bool>("sent");
        QTest::addColumn<bool>("timedOut");
        QTest::addColumn<bool>("transportError");
        QTest::addColumn<bool>("cutOff");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("outcome");

        auto row = [](const char *name, QByteArray method, int answered, bool sent, bool timedOut, bool transport,
                      bool cutOff, QByteArray body, const char *outcome) {
            QTest::newRow(name) << method << answered << sent << timedOut << transport << cutOff << body
                                << QString::fromLatin1(outcome);
        };
        row("200", "POST", 200, true, false, false, false, {}, "delivered");
        row("207 whole (its items settle apart)", "POST", 207, true, false, false, false, {}, "delivered");
        row("2xx cut off on a write", "POST", 200, true, false, true, true, {}, "ambiguous");
        row("2xx cut off on a read", "GET", 200, true, false, true, true, {}, "rejected:other");
        row("timeout after sending a write", "POST", 0, true, true, false, false, {}, "ambiguous");
        row("connection lost after sending a write", "PUT", 0, true, false, true, false, {}, "ambiguous");
        row("connection lost before sending", "POST", 0, false, false, true, false, {}, "rejected:other");
        row("timeout on a read", "GET", 0, true, true, false, false, {}, "rejected:other");
        row("500 on a write", "POST", 500, true, false, false, false, {}, "ambiguous");
        row("503 on a delete", "DELETE", 503, true, false, false, false, {}, "ambiguous");
        row("500 on a read", "GET", 500, true, false, false, false, {}, "rejected:other");
        row("501 never supported", "POST", 501, true, false, false, false, {}, "rejected:other");
        row("429", "POST", 429, true, false, false, false, {}, "rejected:rate");
        row("401", "POST", 401, true, false, false, false, {}, "rejected:auth");
        row("403", "POST", 403, true, false, false, false, {}, "rejected:auth");
        row("413", "POST", 413, true, false, false, false, {}, "rejected:size");
        row("404 no such person", "PUT", 404, true, false, false, false, {}, "rejected:identifier");
        row("400 size", "POST", 400, true, false, false, false, R"({"meta":{"error":"event data larger than 100000 bytes"}})", "rejected:size");
        row("400 identifier", "POST", 400, true, false, false, false, R"({"meta":{"error":"customer id is empty"}})", "rejected:identifier");
        row("400 segment user", "POST", 400, true, false, false, false, R"({"success":false,"message":"userId or anonymousId is required"})", "rejected:identifier");
        row("400 schema", "POST", 400, true, false, false, false, R"({"meta":{"error":"malformed JSON body"}})", "rejected:schema");
        row("422 schema", "POST", 422, true, false, false, false, R"({"errors":[{"message":"name must be a string"}]})", "rejected:schema");
        row("409 other", "POST", 409, true, false, false, false, {}, "rejected:other");
    }
    void classify()
    {
        QFETCH(QByteArray, method);
        QFETCH(int, answered);
        QFETCH(bool, sent);
        QFETCH(bool, timedOut);
        QFETCH(bool, transportError);
        QFETCH(bool, cutOff);
        QFETCH(QByteArray, body);
        QFETCH(QString, outcome);
        AttemptOutcome::Facts f;
        f.method = method;
        f.answered = answered;
        f.sent = sent;
        f.timedOut = timedOut;
        f.transportError = transportError;
        f.cutOff = cutOff;
        f.body = body;
        QCOMPARE(AttemptOutcome::classify(f).name(), outcome);
    }

    void badRows_data()
    {
        QTest::addColumn<bool>("payloadRule");
        QTest::addColumn<QString>("message");
        QTest::addColumn<QString>("outcome");
        QTest::newRow("payload rule") << true << "payload rule: the event is 40000 bytes"
                                      << "rejected:size";
        QTest::newRow("empty id") << false << "column 'id' is empty"
                                  << "rejected:identifier";
        QTest::newRow("broken JSON") << false << "invalid JSON: unterminated string"
                                     << "rejected:schema";
        // Customer.io's 207 items, as Batcher words them for their file lines.
        QTest::newRow("207 item: identifiers") << false
                                               << "HTTP 207: invalid (field identifiers): identifiers must hold id, email or cio_id"
                                               << "rejected:identifier";
        QTest::newRow("207 item: attribute size") << false
                                                  << "HTTP 207: invalid (field attributes): value of 'bio' is 1200 bytes (at most 1000)"
                                                  << "rejected:size";
        QTest::newRow("207 item: type") << false
                                        << "HTTP 207: invalid (field type): type must be person, object or delivery"
                                        << "rejected:schema";
    }
    void badRows()
    {
        QFETCH(bool, payloadRule);
        QFETCH(QString, message);
        QFETCH(QString, outcome);
        QCOMPARE(AttemptOutcome::ofProblem(payloadRule, message).name(), outcome);
    }

    void resendIsSafe_data()
    {
        QTest::addColumn<QString>("operation");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("safe");
        QTest::newRow("identify") << "identify"
                                  << "/api/v1/customers/1" << true;
        QTest::newRow("track (keyed)") << "track"
                                       << "/api/v1/customers/1/events" << true;
        QTest::newRow("batch (keyed items)") << "batch"
                                             << "/api/v2/batch" << true;
        QTest::newRow("transactional email") << "transactional_email"
                                             << "/v1/send/email" << false;
        QTest::newRow("broadcast trigger") << "broadcast_trigger"
                                           << "/v1/campaigns/7/triggers" << false;
        QTest::newRow("re-driven transactional email") << "request"
                                                       << "/v1/send/email" << false;
        QTest::newRow("re-driven push") << "request"
                                        << "/v1/send/push" << false;
        QTest::newRow("re-driven broadcast trigger") << "request"
                                                     << "/v1/campaigns/7/triggers" << false;
        QTest::newRow("request elsewhere") << "request"
                                           << "/v2/items/5" << true;
        QTest::newRow("request to a look-alike path") << "request"
                                                      << "/v1/send" << true;
    }
    void resendIsSafe()
    {
        QFETCH(QString, operation);
        QFETCH(QString, path);
        QFETCH(bool, safe);
        QCOMPARE(AttemptOutcome::resendIsSafe(operation, path), safe);
    }
};

QTEST_GUILESS_MAIN(TestAttemptOutcome)
#include "tst_attemptoutcome.moc"
