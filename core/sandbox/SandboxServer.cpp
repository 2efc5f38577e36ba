#include "core/sandbox/SandboxServer.h"

#include "core/clock/SteadyClock.h"
#include "core/sandbox/HttpConnection.h"
#include "core/sandbox/SandboxLogging.h"

#include <QJsonDocument>
#include <QJsonParseError>
#include <QPointer>
#include <QTcpSocket>

namespace headroom::sandbox {

using namespace std::chrono;

namespace {

HttpResponse adminError(int status, const QString &message)
{
    return HttpResponse::json(status, QJsonObject{{QStringLiteral("error"), message}});
}

} // namespace

SandboxServer::SandboxServer(const SandboxConfig &config, const Clock *clock, QObject *parent)
    : QObject(parent)
    , m_clock(clock ? clock : &SteadyClock::instance())
    , m_service(config, m_stats)
    , m_listener(new QTcpServer(this))
    , m_lifetimeTimer(new QTimer(this))
    , m_outageTimer(new QTimer(this))
    , m_scheduledOutageTimer(new QTimer(this))
    , m_neighbourTimer(new QTimer(this))
{
    m_lifetimeTimer->setSingleShot(true);
    m_outageTimer->setSingleShot(true);
    m_scheduledOutageTimer->setSingleShot(true);
    connect(m_listener, &QTcpServer::newConnection, this, &SandboxServer::onNewConnection);
    connect(m_lifetimeTimer, &QTimer::timeout, this, &SandboxServer::lifetimeExpired);
    connect(m_outageTimer, &QTimer::timeout, this, &SandboxServer::endOutage);
    // Neighbours also spend between requests, so the stats keep counting
    // their attempts after the client has gone quiet.
    m_neighbourTimer->setInterval(50ms);
    connect(m_neighbourTimer, &QTimer::timeout, this, [this] {
        m_service.advanceNeighbours(m_clock->now(), m_clock->wallNow());
    });
    connect(m_scheduledOutageTimer, &QTimer::timeout, this, [this] {
        const FaultPlan &f = m_service.config().faults;
        startOutage(seconds(f.outageSeconds), f.outageMode);
    });
}

SandboxServer::~SandboxServer() = default;

bool SandboxServer::listen(quint16 port)
{
    if (!m_listener->listen(QHostAddress::LocalHost, port)) {
        m_error = m_listener->errorString();
        qCWarning(lcSandbox) << "cannot listen on 127.0.0.1 port" << port << ":" << m_error;
        return false;
    }
    m_port = m_listener->serverPort();
    m_startedAt = m_clock->now();
    applyTimers();
    return true;
}

void SandboxServer::applyTimers()
{
    const SandboxConfig &c = m_service.config();
    if (c.lifetimeSeconds > 0)
        m_lifetimeTimer->start(seconds(c.lifetimeSeconds));
    else
        m_lifetimeTimer->stop();
    if (c.faults.outageAfterSeconds >= 0 && c.faults.outageSeconds > 0)
        m_scheduledOutageTimer->start(seconds(c.faults.outageAfterSeconds));
    else
        m_scheduledOutageTimer->stop();
    bool neighbours = false;
    for (const ApiPolicy &policy : c.apis)
        neighbours = neighbours || policy.neighbourPerSecond > 0.0;
    if (neighbours)
        m_neighbourTimer->start();
    else
        m_neighbourTimer->stop();
}

void SandboxServer::onNewConnection()
{
    while (QTcpSocket *socket = m_listener->nextPendingConnection()) {
        auto *connection = new HttpConnection(socket, m_service.config().maxBodyBytes, m_requestTimeout, this);
        connect(connection, &HttpConnection::requestReceived, this, &SandboxServer::onRequest);
    }
}

void SandboxServer::onRequest(HttpConnection *connection, const HttpRequest &request)
{
    if (request.path.startsWith("/__sandbox/")) {
        const std::optional<HttpResponse> refused = refuseForeignAdmin(request);
        connection->respond(refused ? *refused : handleAdmin(request));
        return;
    }
    const TimePoint now = m_clock->now();
    SandboxService::Outcome outcome = m_service.handle(request, now, m_clock->wallNow());
    if (m_service.config().logRequests) {
        qCInfo(lcSandbox).noquote() << QString::fromLatin1(request.method) << QString::fromUtf8(request.path)
                                    << (outcome.drop ? QStringLiteral("dropped") : QString::number(outcome.response.status))
                                    << duration_cast<milliseconds>(outcome.delay).count() << "ms";
    }
    if (outcome.drop) {
        connection->drop();
        return;
    }
    if (outcome.delay <= Duration::zero()) {
        connection->respond(outcome.response);
        return;
    }
    // The client may leave while we wait: answer only if the connection still exists.
    QTimer::singleShot(duration_cast<milliseconds>(outcome.delay), this,
                       [guard = QPointer<HttpConnection>(connection), response = std::move(outcome.response)] {
                           if (guard)
                               guard->respond(response);
                       });
}

QJsonObject SandboxServer::stats(bool withIdentities) const
{
    QJsonObject s = m_stats.snapshot(withIdentities);
    s.insert(QStringLiteral("port"), int(m_port.load()));
    const qint64 untilNs = m_outageUntilNs.load();
    s.insert(QStringLiteral("outageActive"),
             untilNs != 0 && m_clock->now().time_since_epoch() < Duration(untilNs));
    return s;
}

void SandboxServer::reset()
{
    m_stats.reset();
    m_service.resetLimits();
    endOutage();
}

void SandboxServer::setConfig(const SandboxConfig &config)
{
    const auto hasNeighbours = [](const SandboxConfig &c) {
        for (const ApiPolicy &policy : c.apis) {
            if (policy.neighbourPerSecond > 0.0)
                return true;
        }
        return false;
    };
    const bool timersChanged = config.lifetimeSeconds != m_service.config().lifetimeSeconds
                               || hasNeighbours(config) != hasNeighbours(m_service.config())
                               || config.faults.outageAfterSeconds != m_service.config().faults.outageAfterSeconds
                               || config.faults.outageSeconds != m_service.config().faults.outageSeconds;
    m_service.setConfig(config);
    if (timersChanged && m_port.load() != 0)
        applyTimers();
}

bool SandboxServer::mergeConfig(const QJsonObject &partial, QString *error)
{
    SandboxConfig next = m_service.config();
    if (!next.merge(partial, error))
        return false;
    setConfig(next);
    return true;
}

void SandboxServer::startOutage(Duration length, OutageMode mode)
{
    if (length <= Duration::zero()) {
        endOutage();
        return;
    }
    m_service.startOutage(m_clock->now(), length, mode);
    m_outageUntilNs = m_service.outageUntil().time_since_epoch().count();
    m_outageTimer->start(duration_cast<milliseconds>(length));
    if (mode == OutageMode::Refuse && m_listener->isListening()) {
        // New connections are refused by the kernel; open ones are cut at their next request.
        m_listener->close();
    }
    qCInfo(lcSandbox) << "outage started:" << FaultPlan::outageModeName(mode)
                      << duration_cast<milliseconds>(length).count() << "ms";
}

void SandboxServer::endOutage()
{
    m_outageTimer->stop();
    m_service.endOutage();
    m_outageUntilNs = 0;
    reopenListener();
}

void SandboxServer::reopenListener()
{
    if (m_listener->isListening() || m_port.load() == 0)
        return;
    if (!m_listener->listen(QHostAddress::LocalHost, m_port.load())) {
        qCWarning(lcSandbox) << "cannot listen again on port" << m_port.load() << ":" << m_listener->errorString()
                             << "- retrying";
        QTimer::singleShot(100ms, this, &SandboxServer::reopenListener);
    }
}

std::optional<HttpResponse> SandboxServer::refuseForeignAdmin(const HttpRequest &request) const
{
    const QByteArray port = QByteArray::number(m_port.load());
    const QList<QByteArray> ownHosts{"127.0.0.1", "localhost", "[::1]"};
    auto isOwn = [&](QByteArray hostPort) {
        hostPort = hostPort.toLower();
        for (const QByteArray &host : ownHosts) {
            if (hostPort == host || hostPort == host + ':' + port)
                return true;
        }
        return false;
    };
    // Another name for 127.0.0.1 is a DNS rebinding: a page of that name may read the answers.
    if (!isOwn(request.header("host")))
        return adminError(403, tr("admin requests must be addressed to 127.0.0.1 or localhost (Host)"));
    // Browsers say where a request comes from; only the sandbox's own pages may ask.
    if (request.hasHeader("origin")) {
        const QByteArray origin = request.header("origin").toLower();
        if (!origin.startsWith("http://") || !isOwn(origin.mid(7)))
            return adminError(403, tr("admin requests from another web origin are refused"));
    }
    // A cross-site form can POST text/plain without asking first; JSON it cannot.
    if (request.method == "POST" && (!request.body.isEmpty() || request.hasHeader("content-type"))) {
        const QByteArray type = request.header("content-type").split(';').value(0).trimmed().toLower();
        if (type != "application/json")
            return adminError(415, tr("admin POSTs take application/json"));
    }
    return std::nullopt;
}

HttpResponse SandboxServer::handleAdmin(const HttpRequest &request)
{
    const QByteArray what = request.path.mid(int(qstrlen("/__sandbox/")));
    if (what == "stats" && request.method == "GET") {
        const QByteArray identities = request.queryValue("identities");
        return HttpResponse::json(200, stats(!identities.isEmpty() && identities != "0" && identities != "false"));
    }
    if (what == "health" && request.method == "GET")
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("ok"), true}});
    if (what == "reset" && request.method == "POST") {
        reset();
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("ok"), true}});
    }
    if (what == "config" && request.method == "GET")
        return HttpResponse::json(200, m_service.config().toJson());
    if (what == "config" && request.method == "POST") {
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(request.body, &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject())
            return adminError(400, tr("the body must be a JSON object: %1").arg(parseError.errorString()));
        QString error;
        if (!mergeConfig(doc.object(), &error))
            return adminError(400, error);
        return HttpResponse::json(200, m_service.config().toJson());
    }
    if (what == "outage" && request.method == "POST") {
        bool ok = false;
        const double secondsValue = request.queryValue("seconds").toDouble(&ok);
        if (!ok || secondsValue < 0 || secondsValue > 86400)
            return adminError(400, tr("'seconds' must be a number between 0 and 86400"));
        OutageMode mode = m_service.config().faults.outageMode;
        const QByteArray modeText = request.queryValue("mode");
        if (!modeText.isEmpty() && !FaultPlan::parseOutageMode(QString::fromLatin1(modeText), &mode))
            return adminError(400, tr("'mode' must be 'fail' or 'refuse'"));
        startOutage(duration_cast<Duration>(duration<double>(secondsValue)), mode);
        return HttpResponse::json(200, QJsonObject{{QStringLiteral("outageSeconds"), secondsValue},
                                                   {QStringLiteral("mode"), FaultPlan::outageModeName(mode)}});
    }
    return adminError(404, tr("unknown admin endpoint; see /__sandbox/stats, reset, config, outage, health"));
}

} // namespace headroom::sandbox
