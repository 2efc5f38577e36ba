#include "core/http/RequestFactory.h"

#include <QTest>

using headroom::apis::AuthScheme;
using headroom::http::Credentials;
using headroom::http::RequestFactory;
using namespace std::chrono_literals;

class TestRequestFactory : public QObject
{
    Q_OBJECT
private slots:
    void joinsBasePathAndCallPath_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        QTest::newRow("host only") << "https://track.customer.io"
                                   << "/api/v1/customers/42"
                                   << "https://track.customer.io/api/v1/customers/42";
        QTest::newRow("sandbox prefix") << "http://127.0.0.1:9000/customerio-track"
                                        << "/api/v2/batch"
                                        << "http://127.0.0.1:9000/customerio-track/api/v2/batch";
        QTest::newRow("trailing slash") << "http://127.0.0.1:9000/generic/"
                                        << "/things?x=1"
                                        << "http://127.0.0.1:9000/generic/things?x=1";
        QTest::newRow("base with a query") << "https://api.example.com/v1?key=k1"
                                           << "/things"
                                           << "https://api.example.com/v1/things?key=k1";
        QTest::newRow("both queries") << "https://api.example.com/v1?key=k1"
                                      << "/things?page=2"
                                      << "https://api.example.com/v1/things?key=k1&page=2";
        QTest::newRow("root base with slash") << "https://track.customer.io/"
                                              << "/api/v1/customers/42"
                                              << "https://track.customer.io/api/v1/customers/42";
        QTest::newRow("root base, fragment") << "https://track.customer.io/"
                                             << "/x#y"
                                             << "https://track.customer.io/x#y";
        QTest::newRow("no leading slash") << "https://api.example.com/v2"
                                          << "items"
                                          << "https://api.example.com/v2/items";
        QTest::newRow("query kept") << "http://127.0.0.1:9000/generic"
                                    << "/things?a=1&b=%20x"
                                    << "http://127.0.0.1:9000/generic/things?a=1&b=%20x";
        QTest::newRow("fragment") << "http://127.0.0.1:9000/generic"
                                  << "/things#top"
                                  << "http://127.0.0.1:9000/generic/things#top";
        QTest::newRow("unicode id is encoded") << "https://track.customer.io" << QString::fromUtf8("/api/v1/customers/é")
                                               << "https://track.customer.io/api/v1/customers/%C3%A9";
        QTest::newRow("space is encoded") << "https://track.customer.io"
                                          << "/api/v1/customers/a b"
                                          << "https://track.customer.io/api/v1/customers/a%20b";
        QTest::newRow("encoded id survives") << "https://track.customer.io"
                                             << "/api/v1/customers/a%2Fb%20c"
                                             << "https://track.customer.io/api/v1/customers/a%2Fb%20c";
    }

    void joinsBasePathAndCallPath()
    {
        QFETCH(QString, base);
        QFETCH(QString, path);
        QFETCH(QString, expected);
        RequestFactory f(QUrl(base), Credentials{});
        QCOMPARE(QString::fromUtf8(f.urlFor(path).toEncoded()), expected);
    }

    // The last check before a call is sent: its URL stays under the base
    // path, whatever spelling of "." or ".." the path uses.
    void refusesPathsThatLeaveTheBase_data()
    {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("refused");
        QTest::newRow("plain") << "https://api.example.com/api"
                               << "/things/1" << false;
        QTest::newRow("root base") << "https://track.customer.io"
                                   << "/api/v1/customers/42" << false;
        QTest::newRow("dots inside a name") << "https://api.example.com/api"
                                            << "/a..b/c." << false;
        QTest::newRow("three dots") << "https://api.example.com/api"
                                    << "/.../x" << false;
        QTest::newRow("encoded slash") << "https://api.example.com/api"
                                       << "/a%2F..%2Fb" << false;
        QTest::newRow("query holds dots") << "https://api.example.com/api"
                                          << "/x?next=../y" << false;
        QTest::newRow("up and out") << "https://api.example.com/api"
                                    << "/a/../../b" << true;
        QTest::newRow("dot id") << "https://track.customer.io"
                                << "/api/v1/customers/." << true;
        QTest::newRow("dot dot id") << "https://track.customer.io"
                                    << "/api/v1/customers/.." << true;
        QTest::newRow("dot dot, then more") << "https://track.customer.io"
                                            << "/api/v1/customers/../events" << true;
        QTest::newRow("encoded dot dot") << "https://api.example.com/api"
                                         << "/%2e%2E/b" << true;
        QTest::newRow("half encoded") << "https://api.example.com/api"
                                      << "/.%2e/b" << true;
        QTest::newRow("backslashes") << "https://api.example.com/api"
                                     << "/a\\..\\b" << true;
        QTest::newRow("before a query") << "https://api.example.com/api"
                                        << "/..?x=1" << true;
        QTest::newRow("before a fragment") << "https://api.example.com/api"
                                           << "/..#x" << true;
    }

    void refusesPathsThatLeaveTheBase()
    {
        QFETCH(QString, base);
        QFETCH(QString, path);
        QFETCH(bool, refused);
        RequestFactory f(QUrl(base), Credentials{});
        const QString why = f.refusalFor(path);
        QVERIFY2(why.isEmpty() != refused, qPrintable(why));
        // A refused path gets no URL: QNAM fails it without sending anything.
        QCOMPARE(f.build(path, false).url().isEmpty(), refused);
        if (refused)
            QVERIFY(why.contains(QUrl(base).host()));
    }

    void setsAuthTypeAndNoRedirectsButNoQtTimeout()
    {
        RequestFactory f(QUrl(QStringLiteral("https://api.segmentapis.com")),
                         Credentials::make(AuthScheme::Bearer, {}, QStringLiteral("t0k")));
        const QNetworkRequest r = f.build(QStringLiteral("/sources"), true);
        QCOMPARE(r.rawHeader("Authorization"), QByteArray("Bearer t0k"));
        QCOMPARE(r.header(QNetworkRequest::ContentTypeHeader).toByteArray(), QByteArray("application/json"));
        // The Dispatcher keeps the deadline: Qt's own timer costs ~35 µs a request.
        QCOMPARE(r.transferTimeout(), 0);
        QCOMPARE(r.attribute(QNetworkRequest::RedirectPolicyAttribute).toInt(),
                 int(QNetworkRequest::ManualRedirectPolicy));
        QVERIFY(r.header(QNetworkRequest::UserAgentHeader).toByteArray().startsWith("Headroom/"));
    }

    void noAuthHeaderWithoutCredentials()
    {
        RequestFactory f(QUrl(QStringLiteral("http://127.0.0.1:1/generic")), Credentials{});
        QVERIFY(!f.build(QStringLiteral("/x"), false).hasRawHeader("Authorization"));
    }

    // Requests are copies of two prepared templates: a build must not leak
    // its URL or body headers into the next one.
    void buildsAreIndependentCopies()
    {
        RequestFactory f(QUrl(QStringLiteral("http://127.0.0.1:1/generic")),
                         Credentials::make(AuthScheme::Bearer, {}, QStringLiteral("t0k")));
        const QNetworkRequest a = f.build(QStringLiteral("/a"), true);
        const QNetworkRequest b = f.build(QStringLiteral("/b"), false);
        const QNetworkRequest c = f.build(QStringLiteral("/c"), true);
        QCOMPARE(a.url().path(), QStringLiteral("/generic/a"));
        QCOMPARE(b.url().path(), QStringLiteral("/generic/b"));
        QCOMPARE(c.url().path(), QStringLiteral("/generic/c"));
        QVERIFY(a.hasRawHeader("Content-Type"));
        QVERIFY(!b.hasRawHeader("Content-Type"));
        QCOMPARE(b.rawHeader("Authorization"), QByteArray("Bearer t0k"));
        QCOMPARE(b.rawHeader("Accept"), QByteArray("application/json"));
        QCOMPARE(c.rawHeaderList(), a.rawHeaderList());
    }
};

QTEST_GUILESS_MAIN(TestRequestFactory)
#include "tst_requestfactory.moc"
