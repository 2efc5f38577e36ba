#include "core/run/SecretMask.h"

#include <QTest>

using headroom::run::SecretMask;

class TestSecretMask : public QObject
{
    Q_OBJECT
private slots:
    void masksEveryOccurrence_data()
    {
        QTest::addColumn<QList<QByteArray>>("secrets");
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("none") << QList<QByteArray>{} << QByteArray("key k3y") << QByteArray("key k3y");
        QTest::newRow("empty secret ignored") << QList<QByteArray>{QByteArray()} << QByteArray("abc")
                                              << QByteArray("abc");
        QTest::newRow("once") << QList<QByteArray>{"k3y"} << QByteArray(R"({"error":"bad k3y"})")
                              << QByteArray(R"({"error":"bad ***"})");
        QTest::newRow("twice, adjacent") << QList<QByteArray>{"k3y"} << QByteArray("k3yk3y!") << QByteArray("******!");
        QTest::newRow("two secrets") << QList<QByteArray>{"site", "k3y"} << QByteArray("site:k3y site")
                                     << QByteArray("***:*** ***");
        // The Basic form of a key contains the key's neighbour; the longer one wins.
        QTest::newRow("one inside another") << QList<QByteArray>{"abc", "xabcx"} << QByteArray("[xabcx] abc")
                                            << QByteArray("[***] ***");
        QTest::newRow("mask does not rematch") << QList<QByteArray>{"**"} << QByteArray("a**b") << QByteArray("a***b");
        QTest::newRow("long line") << QList<QByteArray>{"SECRET"} << QByteArray(5000, 'x') + "SECRET"
                                   << QByteArray(5000, 'x') + "***";
    }

    void masksEveryOccurrence()
    {
        QFETCH(QList<QByteArray>, secrets);
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, expected);
        SecretMask mask(secrets);
        mask.apply(line);
        QCOMPARE(line, expected);
    }

    // The run log masks only the line it just appended to its buffer.
    void masksFromAnOffset()
    {
        SecretMask mask({"k3y"});
        QByteArray buffer("k3y earlier\n");
        const qsizetype start = buffer.size();
        buffer += "now k3y and k3y\n";
        mask.apply(buffer, start);
        QCOMPARE(buffer, QByteArray("k3y earlier\nnow *** and ***\n"));
    }

    void masksBeforeCutting_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qsizetype>("limit");
        QTest::addColumn<QByteArray>("expected");
        QTest::newRow("secret across the cut") << QByteArray("abcSECRETxyz") << qsizetype(6) << QByteArray("abc***");
        QTest::newRow("secret before the cut") << QByteArray("abSECRETxyz") << qsizetype(11) << QByteArray("ab***xyz");
        QTest::newRow("nothing to mask") << QByteArray("abcdef") << qsizetype(4) << QByteArray("abcd");
    }

    void masksBeforeCutting()
    {
        QFETCH(QByteArray, text);
        QFETCH(qsizetype, limit);
        QFETCH(QByteArray, expected);
        QCOMPARE(SecretMask({"SECRET"}).maskedLeft(text, limit), expected);
    }

    // Text that lost its tail before it could be masked: a secret's first
    // bytes just before the cut are masked, nothing else.
    void masksASecretsBeginningAtACut_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<qsizetype>("cutAt");
        QTest::addColumn<QByteArray>("expected");
        QTest::addColumn<qsizetype>("cutAfter");
        QTest::newRow("prefix at the end") << QByteArray("Bearer SECR") << qsizetype(11) << QByteArray("Bearer ***")
                                           << qsizetype(10);
        QTest::newRow("one byte") << QByteArray("xxS") << qsizetype(3) << QByteArray("xx***") << qsizetype(5);
        QTest::newRow("prefix before a marker") << QByteArray("'SECRE...'") << qsizetype(6) << QByteArray("'***...'")
                                                << qsizetype(4);
        QTest::newRow("no prefix") << QByteArray("Bearer xyz") << qsizetype(10) << QByteArray("Bearer xyz")
                                   << qsizetype(10);
        QTest::newRow("masked already") << QByteArray("a***") << qsizetype(4) << QByteArray("a***") << qsizetype(4);
    }

    void masksASecretsBeginningAtACut()
    {
        QFETCH(QByteArray, text);
        QFETCH(qsizetype, cutAt);
        QFETCH(QByteArray, expected);
        QFETCH(qsizetype, cutAfter);
        QCOMPARE(SecretMask({"SECRET"}).applyToCut(text, cutAt), cutAfter);
        QCOMPARE(text, expected);
    }
};

QTEST_GUILESS_MAIN(TestSecretMask)
#include "tst_secretmask.moc"
