#include "core/imports/Batcher.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace headroom::imports {

namespace {

constexpr char kOpen[] = "{\"batch\":[";
constexpr char kClose[] = "]}";

QString tr(const char *text)
{
    return QCoreApplication::translate("imports", text);
}

QString snippet(const QByteArray &body)
{
    QString s = QString::fromUtf8(body.left(300)).simplified();
    if (body.size() > 300)
        s += QStringLiteral("...");
    return s;
}

} // namespace

Batcher::Batcher(Dialect dialect, const BatchLimits &limits, const QString &path)
    : m_dialect(dialect)
    , m_limits(limits)
    , m_path(path)
{
}

std::optional<Batcher> Batcher::forProfile(Profile profile)
{
    if (profile == Profile::CustomerIoTrack)
        return Batcher(Dialect::CustomerIo, BatchLimits{500000, 0, 32000}, QStringLiteral("/api/v2/batch"));
    if (profile == Profile::SegmentTracking)
        return Batcher(Dialect::Segment, BatchLimits{500000, 2500, 32000}, QStringLiteral("/v1/batch"));
    // Customer.io Pipelines: 500 KB a batch, 32 KB a call; no count is documented.
    if (profile == Profile::CustomerIoPipelines)
        return Batcher(Dialect::Segment, BatchLimits{500000, 0, 32000}, QStringLiteral("/v1/batch"));
    return std::nullopt;
}

bool Batcher::fits(qsizetype itemBytes) const
{
    if (m_rows.isEmpty())
        return true; // an item over the per-item cap is rejected before it gets here
    if (m_limits.maxItems > 0 && m_rows.size() >= m_limits.maxItems)
        return false;
    // The body already holds the opening; adding costs a comma, the item and the close.
    return m_body.size() + 1 + itemBytes + qsizetype(sizeof(kClose) - 1) <= m_limits.maxRequestBytes;
}

void Batcher::add(QByteArrayView item, qint64 row, qint64 line)
{
    if (m_rows.isEmpty()) {
        m_body.reserve(m_limits.maxRequestBytes + 64);
        m_body.append(kOpen);
    } else {
        m_body.append(',');
    }
    m_body.append(item);
    m_rows.append(row);
    m_lines.append(line);
}

ApiCall Batcher::makeCall(QByteArray body, QList<qint64> rows, QList<qint64> lines) const
{
    ApiCall call;
    call.method = "POST";
    call.path = m_path;
    call.body = std::move(body);
    call.operation = QStringLiteral("batch");
    call.rows = std::move(rows);
    call.lines = std::move(lines);
    return call;
}

ApiCall Batcher::take()
{
    m_body.append(kClose);
    ApiCall call = makeCall(std::move(m_body), std::move(m_rows), std::move(m_lines));
    m_body = QByteArray();
    m_rows = {};
    m_lines = {};
    return call;
}

QList<QByteArray> Batcher::items(const QByteArray &body)
{
    QList<QByteArray> out;
    // Bodies built here are cut on raw bytes, so numbers and key order survive
    // exactly; anything else goes through a JSON parse.
    if (body.startsWith(kOpen) && body.endsWith(kClose)) {
        const qsizetype end = body.size() - (sizeof(kClose) - 1);
        qsizetype start = sizeof(kOpen) - 1;
        int depth = 0;
        bool inString = false, escape = false;
        for (qsizetype i = start; i < end; ++i) {
            const char c = body.at(i);
            if (inString) {
                if (escape)
                    escape = false;
                else if (c == '\\')
                    escape = true;
                else if (c == '"')
                    inString = false;
            } else if (c == '"') {
                inString = true;
            } else if (c == '{' || c == '[') {
                ++depth;
            } else if (c == '}' || c == ']') {
                --depth;
            } else if (c == ',' && depth == 0) {
                out.append(body.mid(start, i - start));
                start = i + 1;
            }
        }
        if (end > start)
            out.append(body.mid(start, end - start));
        return out;
    }
    const QJsonArray array = QJsonDocument::fromJson(body).object().value(QLatin1String("batch")).toArray();
    for (const QJsonValue &v : array)
        out.append(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact));
    return out;
}

QList<ApiCall> Batcher::split(const ApiCall &call) const
{
    const QList<QByteArray> all = items(call.body);
    if (all.size() < 2 || all.size() != call.rows.size() || call.lines.size() != call.rows.size())
        return {};
    const qsizetype half = all.size() / 2;
    QList<ApiCall> out;
    for (const auto &[from, to] : {std::pair<qsizetype, qsizetype>{0, half}, {half, all.size()}}) {
        QByteArray body(kOpen);
        for (qsizetype i = from; i < to; ++i) {
            if (i > from)
                body.append(',');
            body.append(all.at(i));
        }
        body.append(kClose);
        out.append(makeCall(body, call.rows.mid(from, to - from), call.lines.mid(from, to - from)));
    }
    return out;
}

ApiCall Batcher::subset(const ApiCall &call, const QList<qint64> &rows) const
{
    const QList<QByteArray> all = items(call.body);
    QByteArray body(kOpen);
    QList<qint64> keptRows, keptLines;
    for (qsizetype i = 0; i < call.rows.size() && i < all.size(); ++i) {
        if (!rows.contains(call.rows.at(i)))
            continue;
        if (!keptRows.isEmpty())
            body.append(',');
        body.append(all.at(i));
        keptRows.append(call.rows.at(i));
        keptLines.append(i < call.lines.size() ? call.lines.at(i) : 0);
    }
    body.append(kClose);
    return makeCall(body, keptRows, keptLines);
}

BatchResult Batcher::mapResponse(const ApiCall &call, int status, const QByteArray &body) const
{
    BatchResult result;
    const auto all = [&](RowOutcome::Kind kind, const QString &reason) {
        result.rows.clear();
        for (qsizetype i = 0; i < call.rows.size(); ++i)
            result.rows.append(RowOutcome{call.rows.at(i), call.lines.value(i), kind, reason});
    };
    const bool isBatch = call.operation == QLatin1String("batch");

    if (status == 0 || status == 408 || status == 429 || status >= 500) {
        result.action = BatchResult::Action::RetryAll;
        result.reason = status == 0 ? tr("no response") : tr("HTTP %1").arg(status);
        all(RowOutcome::Kind::Retry, result.reason);
        return result;
    }

    // Customer.io names failing items by index, in a 4xx or alongside a 2xx.
    if (isBatch && m_dialect == Dialect::CustomerIo && (status == 400 || status == 422 || (status >= 200 && status < 300))) {
        const QJsonArray errors = QJsonDocument::fromJson(body).object().value(QLatin1String("errors")).toArray();
        QHash<qsizetype, QString> failed;
        for (const QJsonValue &e : errors) {
            const QJsonObject o = e.toObject();
            const QJsonValue index = o.value(QLatin1String("batch_index"));
            if (!index.isDouble())
                continue;
            const qsizetype i = qsizetype(index.toDouble());
            if (i < 0 || i >= call.rows.size())
                continue;
            QString reason = o.value(QLatin1String("reason")).toString();
            const QString field = o.value(QLatin1String("field")).toString();
            const QString message = o.value(QLatin1String("message")).toString();
            if (!field.isEmpty())
                reason += QStringLiteral(" (field %1)").arg(field);
            if (!message.isEmpty())
                reason += QStringLiteral(": ") + message;
            failed.insert(i, tr("HTTP %1: %2").arg(status).arg(reason));
        }
        if (!failed.isEmpty()) {
            result.action = BatchResult::Action::Settled;
            const bool othersApplied = status >= 200 && status < 300;
            for (qsizetype i = 0; i < call.rows.size(); ++i) {
                if (failed.contains(i))
                    result.rows.append(RowOutcome{call.rows.at(i), call.lines.value(i), RowOutcome::Kind::Failed, failed.value(i)});
                else
                    result.rows.append(RowOutcome{call.rows.at(i), call.lines.value(i), othersApplied ? RowOutcome::Kind::Done : RowOutcome::Kind::Retry, {}});
            }
            return result;
        }
    }

    if (status >= 200 && status < 300) {
        result.action = BatchResult::Action::Settled;
        all(RowOutcome::Kind::Done, {});
        return result;
    }

    const QString reason = body.isEmpty() ? tr("HTTP %1").arg(status)
                                          : tr("HTTP %1: %2").arg(status).arg(snippet(body));
    // Too large, or rejected as a whole without naming an item: bisect.
    if ((status == 413 || status == 400 || status == 422) && call.rows.size() > 1 && isBatch) {
        result.action = BatchResult::Action::Split;
        result.reason = reason;
        all(RowOutcome::Kind::Retry, reason);
        return result;
    }
    result.action = BatchResult::Action::Settled;
    result.reason = reason;
    all(RowOutcome::Kind::Failed, reason);
    return result;
}

} // namespace headroom::imports
