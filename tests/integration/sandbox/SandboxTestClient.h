#pragma once

#include <QByteArray>
#include <QDateTime>
#include <QTimeZone>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPair>
#include <QSignalSpy>
#include <QUrl>

#include <memory>

// A real QNetworkAccessManager client for the sandbox integration tests: sends
// one request or a burst in parallel and waits on signals (never sleeps).
class SandboxTestClient
{
public:
    struct Result
    {
        int status = 0;
        QNetworkReply::NetworkError error = QNetworkReply::NoError;
        QList<QPair<QByteArray, QByteArray>> headers;
        QByteArray body;
        qint64 elapsedMs = 0;

        QByteArray header(const QByteArray &name) const
        {
            for (const auto &h : headers) {
                if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                    return h.second;
            }
            return {};
        }
        bool hasHeader(const QByteArray &name) const
        {
            for (const auto &h : headers) {
                if (h.first.compare(name, Qt::CaseInsensitive) == 0)
                    return true;
            }
            return false;
        }
        QJsonObject json() const { return QJsonDocument::fromJson(body).object(); }
    };

    struct Call
    {
        QByteArray method = "GET";
        QUrl url;
        QByteArray body;
        QList<QPair<QByteArray, QByteArray>> headers;
    };

    static QByteArray basic(const QByteArray &user, const QByteArray &password)
    {
        return "Basic " + (user + ':' + password).toBase64();
    }
    // IMF-fixdate ("Sun, 06 Nov 1994 08:49:37 GMT") as UTC; invalid otherwise.
    static QDateTime httpDate(const QByteArray &text)
    {
        QDateTime t = QDateTime::fromString(QString::fromLatin1(text), QStringLiteral("ddd, dd MMM yyyy HH:mm:ss 'GMT'"));
        t.setTimeZone(QTimeZone::utc());
        return t;
    }
    static QByteArray bearer(const QByteArray &token) { return "Bearer " + token; }

    QNetworkReply *start(const Call &call)
    {
        QNetworkRequest request(call.url);
        request.setAttribute(QNetworkRequest::RedirectPolicyAttribute, QNetworkRequest::ManualRedirectPolicy);
        if (!call.body.isEmpty())
            request.setHeader(QNetworkRequest::ContentTypeHeader, QByteArrayLiteral("application/json"));
        for (const auto &h : call.headers)
            request.setRawHeader(h.first, h.second);
        return m_nam.sendCustomRequest(request, call.method, call.body);
    }

    static Result collect(QNetworkReply *reply, const QElapsedTimer &timer)
    {
        Result r;
        r.status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
        r.error = reply->error();
        r.headers = reply->rawHeaderPairs();
        r.body = reply->readAll();
        r.elapsedMs = timer.elapsed();
        reply->deleteLater();
        return r;
    }

    // Sends one request and waits for its end (up to timeoutMs).
    Result send(const Call &call, int timeoutMs = 10000)
    {
        QElapsedTimer timer;
        timer.start();
        QNetworkReply *reply = start(call);
        if (!reply->isFinished()) {
            QSignalSpy finished(reply, &QNetworkReply::finished);
            finished.wait(timeoutMs);
        }
        return collect(reply, timer);
    }

    Result send(const QByteArray &method, const QUrl &url, const QByteArray &body = {},
                const QList<QPair<QByteArray, QByteArray>> &headers = {})
    {
        return send(Call{method, url, body, headers});
    }

    // Fires all calls at once (QNAM spreads them over its 6 connections) and
    // waits until every one has finished; results in call order.
    QList<Result> burst(const QList<Call> &calls, int timeoutMs = 15000)
    {
        QElapsedTimer timer;
        timer.start();
        QList<QNetworkReply *> replies;
        for (const Call &call : calls)
            replies << start(call);
        for (QNetworkReply *reply : replies) {
            if (!reply->isFinished()) {
                QSignalSpy finished(reply, &QNetworkReply::finished);
                finished.wait(int(std::max<qint64>(1, timeoutMs - timer.elapsed())));
            }
        }
        QList<Result> results;
        for (QNetworkReply *reply : replies)
            results << collect(reply, timer);
        return results;
    }

    static int count(const QList<Result> &results, int status)
    {
        int n = 0;
        for (const Result &r : results)
            n += r.status == status ? 1 : 0;
        return n;
    }

    QNetworkAccessManager &nam() { return m_nam; }

private:
    QNetworkAccessManager m_nam;
};
