// OneShotBody: read once, in pieces, and never rewound, so QNAM cannot send
// the same body a second time behind the engine's back.
#include "core/http/OneShotBody.h"

#include <QTest>

using namespace headroom::http;

class TestOneShotBody : public QObject
{
    Q_OBJECT

private slots:
    void readsOnceAndRefusesToRewind()
    {
        OneShotBody body(QByteArray("{\"to\":\"a@example.com\"}"));
        QVERIFY(body.isSequential());
        QCOMPARE(body.size(), 22);
        QCOMPARE(body.bytesAvailable(), 22);
        QCOMPARE(body.read(5), QByteArray("{\"to\""));
        QCOMPARE(body.readAll(), QByteArray(":\"a@example.com\"}"));
        QCOMPARE(body.bytesAvailable(), 0);
        QVERIFY(!body.reset());
        QVERIFY(body.readAll().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestOneShotBody)
#include "tst_oneshotbody.moc"
