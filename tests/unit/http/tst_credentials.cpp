#include "core/http/Credentials.h"

#include <QTest>

using headroom::apis::ApiProfile;
using headroom::http::Credentials;

class TestCredentials : public QObject
{
    Q_OBJECT
private:
    static const ApiProfile &profile(const char *name) { return *ApiProfile::find(QString::fromLatin1(name)); }

private slots:
    void basicSiteKeyFromEnvironment()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HEADROOM_SITE_ID"), QStringLiteral("site42"));
        env.insert(QStringLiteral("HEADROOM_API_KEY"), QStringLiteral("s3cr3t-KEY"));
        QString error;
        const auto c = Credentials::fromEnvironment(profile("customerio-track"), env, &error);
        QVERIFY2(c, qPrintable(error));
        QCOMPARE(c->authorizationHeader(), QByteArray("Basic ") + QByteArray("site42:s3cr3t-KEY").toBase64());
        QCOMPARE(c->scopeName(), QStringLiteral("site:site42"));
        QVERIFY(c->secrets().contains("s3cr3t-KEY"));
    }

    void bearerScopeIsAFingerprintNotTheToken()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HEADROOM_TOKEN"), QStringLiteral("tok-ABCDEF-123456"));
        const auto c = Credentials::fromEnvironment(profile("segment-public"), env, nullptr);
        QVERIFY(c);
        QCOMPARE(c->authorizationHeader(), QByteArray("Bearer tok-ABCDEF-123456"));
        QVERIFY(c->scopeName().startsWith(QStringLiteral("key:")));
        QVERIFY(!c->scopeName().contains(QStringLiteral("ABCDEF")));
    }

    void writeKeyIsBasicWithEmptyPassword()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HEADROOM_WRITE_KEY"), QStringLiteral("wk1"));
        const auto c = Credentials::fromEnvironment(profile("segment-tracking"), env, nullptr);
        QVERIFY(c);
        QCOMPARE(c->authorizationHeader(), QByteArray("Basic ") + QByteArray("wk1:").toBase64());
    }

    void missingVariableIsNamedWithoutAnyValue()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("HEADROOM_SITE_ID"), QStringLiteral("site42"));
        QString error;
        const auto c = Credentials::fromEnvironment(profile("customerio-track"), env, &error);
        QVERIFY(!c);
        QVERIFY(error.contains(QStringLiteral("HEADROOM_API_KEY")));
        QVERIFY(!error.contains(QStringLiteral("site42")));
    }

    void genericMayHaveNoAuth()
    {
        const auto c = Credentials::fromEnvironment(profile("generic"), QProcessEnvironment{}, nullptr);
        QVERIFY(c);
        QVERIFY(c->isEmpty());
    }

    void sandboxDefaultsMatchTheSandbox()
    {
        QCOMPARE(Credentials::sandboxDefaults(profile("customerio-track")).authorizationHeader(),
                 QByteArray("Basic ") + QByteArray("sandbox-site:sandbox-key").toBase64());
        QCOMPARE(Credentials::sandboxDefaults(profile("customerio-app")).authorizationHeader(),
                 QByteArray("Bearer sandbox-token"));
    }
};

QTEST_GUILESS_MAIN(TestCredentials)
#include "tst_credentials.moc"
