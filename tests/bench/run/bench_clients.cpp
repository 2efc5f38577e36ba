// Reference clients for tests/bench/run/bench_engine.sh, measured against the
// same sandbox in the same run as headroom-cli:
//   baseline: the common answer — a token bucket at 80 % of the limit, one call
//             at a time, exponential backoff on 429 (200 ms · 2^n, 5 retries).
//   bare:     a bare QNAM loop keeping K requests in flight with no limiter, to
//             price the engine's own overhead.
// Prints one JSON object. Not a test.
#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QTextStream>
#include <QTimer>

#include <memory>
#include <vector>

namespace {

QNetworkRequest identify(const QUrl &base, const QByteArray &auth, qint64 i)
{
    QUrl url(base.toString() + QStringLiteral("/api/v1/customers/b%1").arg(i));
    QNetworkRequest r(url);
    r.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
    r.setRawHeader("Authorization", auth);
    return r;
}

QByteArray body(qint64 i)
{
    return "{\"email\":\"b" + QByteArray::number(i) + "@example.com\",\"plan\":\"pro\"}";
}

class Baseline : public QObject
{
public:
    Baseline(QUrl base, QByteArray auth, double rate, qint64 rows, double maxSeconds)
        : m_base(std::move(base))
        , m_auth(std::move(auth))
        , m_interval(1000.0 / rate)
        , m_rows(rows)
        , m_maxS(maxSeconds)
    {
        m_timer.setSingleShot(true);
        m_timer.setTimerType(Qt::PreciseTimer);
        connect(&m_timer, &QTimer::timeout, this, [this] { send(); });
    }
    void start()
    {
        m_clock.start();
        send();
    }

private:
    void send()
    {
        if (m_next > m_rows || m_clock.elapsed() / 1000.0 >= m_maxS)
            return finish();
        // Token bucket, no burst: one token every 1/rate seconds.
        const double now = double(m_clock.nsecsElapsed()) / 1e6;
        if (now < m_tokenAt) {
            m_timer.start(int(m_tokenAt - now + 0.999));
            return;
        }
        m_tokenAt = std::max(m_tokenAt, now) + m_interval;
        ++m_requests;
        QNetworkReply *reply = m_nam.put(identify(m_base, m_auth, m_next), body(m_next));
        connect(reply, &QNetworkReply::finished, this, [this, reply] {
            reply->deleteLater();
            const int status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
            if (status == 429) {
                ++m_429;
                if (m_attempt < 5) {
                    const int delay = 200 << m_attempt;
                    ++m_attempt;
                    m_timer.start(delay);
                    return;
                }
            } else if (status >= 200 && status < 300) {
                ++m_done;
            }
            m_attempt = 0;
            ++m_next;
            send();
        });
    }
    void finish()
    {
        const double s = double(m_clock.nsecsElapsed()) / 1e9;
        QTextStream(stdout) << QJsonDocument(QJsonObject{{QStringLiteral("rows_done"), m_done},
                                                         {QStringLiteral("requests"), m_requests},
                                                         {QStringLiteral("responses_429"), m_429},
                                                         {QStringLiteral("elapsed_s"), s},
                                                         {QStringLiteral("rows_per_s"), double(m_done) / s}})
                                   .toJson(QJsonDocument::Compact)
                            << "\n";
        QCoreApplication::quit();
    }

    QNetworkAccessManager m_nam;
    QTimer m_timer;
    QElapsedTimer m_clock;
    QUrl m_base;
    QByteArray m_auth;
    double m_interval;
    double m_tokenAt = 0;
    qint64 m_rows;
    double m_maxS;
    qint64 m_next = 1;
    qint64 m_done = 0;
    qint64 m_requests = 0;
    qint64 m_429 = 0;
    int m_attempt = 0;
};

class Bare : public QObject
{
public:
    Bare(QUrl base, QByteArray auth, qint64 requests, int inflight)
        : m_base(std::move(base))
        , m_auth(std::move(auth))
        , m_total(requests)
        , m_inflight(inflight)
    {
        for (int i = 0; i < (inflight + 5) / 6; ++i)
            m_nams.push_back(std::make_unique<QNetworkAccessManager>());
    }
    void start()
    {
        m_clock.start();
        for (int i = 0; i < m_inflight; ++i)
            send(size_t(i) % m_nams.size());
    }

private:
    void send(size_t nam)
    {
        if (m_sent >= m_total)
            return;
        ++m_sent;
        QNetworkReply *reply = m_nams[nam]->put(identify(m_base, m_auth, m_sent), body(m_sent));
        connect(reply, &QNetworkReply::finished, this, [this, reply, nam] {
            reply->deleteLater();
            if (reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt() == 200)
                ++m_ok;
            if (++m_finished == m_total) {
                const double s = double(m_clock.nsecsElapsed()) / 1e9;
                QTextStream(stdout) << QJsonDocument(QJsonObject{{QStringLiteral("requests"), m_finished},
                                                                 {QStringLiteral("ok"), m_ok},
                                                                 {QStringLiteral("elapsed_s"), s},
                                                                 {QStringLiteral("requests_per_s"), double(m_finished) / s}})
                                           .toJson(QJsonDocument::Compact)
                                    << "\n";
                QCoreApplication::quit();
                return;
            }
            send(nam);
        });
    }

    std::vector<std::unique_ptr<QNetworkAccessManager>> m_nams;
    QElapsedTimer m_clock;
    QUrl m_base;
    QByteArray m_auth;
    qint64 m_total;
    int m_inflight;
    qint64 m_sent = 0;
    qint64 m_finished = 0;
    qint64 m_ok = 0;
};

} // namespace

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser p;
    p.addPositionalArgument(QStringLiteral("mode"), QStringLiteral("baseline or bare"));
    const QCommandLineOption urlOpt(QStringLiteral("url"), QStringLiteral("customerio-track base URL"), QStringLiteral("URL"));
    const QCommandLineOption rateOpt(QStringLiteral("rate"), QStringLiteral("baseline token rate /s"), QStringLiteral("N"), QStringLiteral("80"));
    const QCommandLineOption rowsOpt(QStringLiteral("rows"), QStringLiteral("rows / requests"), QStringLiteral("N"), QStringLiteral("3000"));
    const QCommandLineOption secondsOpt(QStringLiteral("max-seconds"), QStringLiteral("stop after"), QStringLiteral("S"), QStringLiteral("60"));
    const QCommandLineOption inflightOpt(QStringLiteral("inflight"), QStringLiteral("bare: requests in flight"), QStringLiteral("K"), QStringLiteral("48"));
    p.addOptions({urlOpt, rateOpt, rowsOpt, secondsOpt, inflightOpt});
    p.process(app);
    const QUrl base(p.value(urlOpt));
    const QByteArray auth = "Basic " + QByteArray("sandbox-site:sandbox-key").toBase64();
    const QString mode = p.positionalArguments().value(0);
    std::unique_ptr<QObject> client;
    if (mode == QLatin1String("baseline")) {
        auto *b = new Baseline(base, auth, p.value(rateOpt).toDouble(), p.value(rowsOpt).toLongLong(), p.value(secondsOpt).toDouble());
        client.reset(b);
        QTimer::singleShot(0, b, [b] { b->start(); });
    } else if (mode == QLatin1String("bare")) {
        auto *b = new Bare(base, auth, p.value(rowsOpt).toLongLong(), p.value(inflightOpt).toInt());
        client.reset(b);
        QTimer::singleShot(0, b, [b] { b->start(); });
    } else {
        p.showHelp(2);
    }
    return app.exec();
}
