#include "core/run/ReplyReader.h"

#include "core/rate/RateSignalParser.h"
#include "core/run/BodyCutOff.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>

#include <algorithm>

namespace headroom::run {

rate::ResponseObservation ReplyReader::Reading::observation() const
{
    rate::ResponseObservation observation;
    observation.status = status;
    observation.latency = latency;
    observation.sentAt = sentAt;
    observation.wireAt = wireAt;
    observation.timedOut = timedOut;
    observation.transportError = transportError;
    observation.rateSignals = &rateSignals;
    return observation;
}

ReplyReader::Reading ReplyReader::read(QNetworkReply &reply, const InFlight &entry, TimePoint now, const Clock &clock)
{
    const Job &job = entry.job;
    Reading r;
    r.answered = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    const QNetworkReply::NetworkError error = reply.error();
    // A reply our timeout (or the size cap) aborted is closed; reading it would only warn.
    // QIODevice::read(max) allocates `max` bytes before it reads, and the
    // body keeps that capacity (job.lastBody shares it): read what the reply
    // holds, which the Dispatcher's size watch keeps within the cap.
    r.body = reply.isOpen() ? reply.read(std::min(reply.bytesAvailable(), kMaxResponseBytes)) : QByteArray();
    // A body that is not the whole answer is an ambiguous outcome, never done:
    // the server may or may not have acted, and a batch's per-row results are
    // lost. It is retried as a transport error, and the run log says why.
    r.cutOff = cutOffReason(reply, entry, r.body.size());
    r.status = r.cutOff.isEmpty() ? r.answered : 0;
    r.latency = now - job.lastSentAt;
    r.sentAt = job.lastSentAt;
    r.wireAt = std::max(entry.wireAt, job.lastSentAt);
    // Our deadline and a cancel both abort() (OperationCanceledError); each is flagged.
    r.timedOut = entry.timedOut;
    r.transportError = r.status == 0 && !r.timedOut && (error != QNetworkReply::NoError || !r.cutOff.isEmpty());
    r.rateSignals = rate::RateSignalParser::parse(r.answered, reply.rawHeaderPairs(), r.body, clock);

    AttemptOutcome::Facts facts;
    facts.method = job.call.method;
    facts.answered = r.answered;
    facts.cutOff = !r.cutOff.isEmpty();
    facts.sent = entry.wired;
    facts.timedOut = entry.timedOut;
    facts.transportError = error != QNetworkReply::NoError;
    facts.body = r.body;
    r.outcome = AttemptOutcome::classify(facts);
    if (!r.cutOff.isEmpty())
        r.error = r.cutOff;
    else
        r.error = r.status == 0 ? (r.timedOut ? QStringLiteral("timeout") : reply.errorString()) : QString();
    return r;
}

bool ReplyReader::overCap(const QNetworkReply &reply)
{
    bool announced = false;
    const qint64 length = reply.header(QNetworkRequest::ContentLengthHeader).toLongLong(&announced);
    return reply.bytesAvailable() > kMaxResponseBytes || (announced && length > kMaxResponseBytes);
}

QString ReplyReader::cutOffReason(const QNetworkReply &reply, const InFlight &entry, qsizetype bodySize)
{
    BodyCutOff::Facts facts;
    facts.oversized = entry.oversized;
    facts.maxBytes = kMaxResponseBytes;
    facts.timedOut = entry.timedOut;
    facts.status = reply.attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    facts.transferFailed = reply.error() != QNetworkReply::NoError;
    facts.errorText = reply.errorString();
    bool ok = false;
    const qint64 announced = reply.header(QNetworkRequest::ContentLengthHeader).toLongLong(&ok);
    if (ok)
        facts.announced = announced;
    facts.encoded = !reply.rawHeader("Content-Encoding").isEmpty();
    facts.head = reply.operation() == QNetworkAccessManager::HeadOperation;
    facts.bodySize = bodySize;
    return BodyCutOff::reason(facts);
}

} // namespace headroom::run
