#include "core/run/DeadLetterWriter.h"
#include "core/run/RunFile.h"

#include "core/imports/ImportProfile.h"
#include "core/run/RunLogging.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <unistd.h>

namespace headroom::run {

namespace {

constexpr qsizetype kKeptResponseBytes = 2048;

QJsonValue bodyValue(const QByteArray &body)
{
    if (body.isEmpty())
        return QJsonValue();
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &error);
    if (error.error == QJsonParseError::NoError) {
        if (doc.isObject())
            return doc.object();
        if (doc.isArray())
            return doc.array();
    }
    return QString::fromUtf8(body);
}

// The response as kept: masked, then cut. The engine keeps no more than
// kKeptResponseBytes of a body, so a body of that size may end in the first
// bytes of a secret whose rest was cut away there.
QByteArray keptResponse(const QByteArray &body, const SecretMask &mask)
{
    QByteArray kept = mask.maskedLeft(body, kKeptResponseBytes);
    if (body.size() >= kKeptResponseBytes)
        mask.applyToCut(kept, kept.size());
    return kept;
}

} // namespace

DeadLetterWriter::DeadLetterWriter(const QString &path, const QString &profile, QList<QByteArray> secrets)
    : m_file(path)
    , m_profile(profile)
    , m_secrets(std::move(secrets))
{
    if (const auto p = imports::ImportProfile::fromName(profile))
        m_batcher = imports::Batcher::forProfile(*p);
}

DeadLetterWriter::~DeadLetterWriter()
{
    sync();
}

bool DeadLetterWriter::open(QString *error)
{
    if (!RunFile::open(m_file, QIODevice::WriteOnly | QIODevice::Append | QIODevice::Unbuffered, error))
        return false;
    return true;
}

bool DeadLetterWriter::isDeadLetter(const QJsonObject &line)
{
    return line.value(QLatin1String("_headroom")).isObject();
}

QList<QByteArray> DeadLetterWriter::toJsonLines(const FailedRows &failed, const QString &profile,
                                                const std::optional<imports::Batcher> &batcher,
                                                const SecretMask &mask)
{
    QList<QByteArray> out;
    const bool batch = failed.call.rows.size() > 1 && batcher.has_value();
    for (qsizetype i = 0; i < failed.rows.size(); ++i) {
        const qint64 row = failed.rows.at(i);
        const qint64 line = i < failed.lines.size() ? failed.lines.at(i) : 0;
        QJsonObject meta;
        meta[QStringLiteral("row")] = row;
        meta[QStringLiteral("line")] = line;
        meta[QStringLiteral("operation")] = failed.call.operation.isEmpty() ? QStringLiteral("rejected")
                                                                            : failed.call.operation;
        meta[QStringLiteral("attempts")] = failed.attempts;
        meta[QStringLiteral("status")] = failed.lastStatus;
        if (!failed.lastBody.isEmpty())
            meta[QStringLiteral("response")] = QString::fromUtf8(keptResponse(failed.lastBody, mask));
        meta[QStringLiteral("reason")] = failed.reason;
        meta[QStringLiteral("outcome")] = AttemptOutcome::kindName(failed.outcome.kind);
        if (failed.outcome.kind == AttemptOutcome::Kind::Rejected)
            meta[QStringLiteral("reason_class")] = AttemptOutcome::rejectClassName(failed.outcome.rejectClass);
        else if (failed.outcome.kind == AttemptOutcome::Kind::Ambiguous)
            meta[QStringLiteral("may_have_been_applied")] = true;
        meta[QStringLiteral("profile")] = profile;
        meta[QStringLiteral("lane")] = failed.lane;
        if (!failed.raw.isEmpty())
            meta[QStringLiteral("original")] = QString::fromUtf8(failed.raw);

        QJsonObject o;
        if (!failed.call.method.isEmpty()) {
            imports::ApiCall call = failed.call;
            if (batch && call.rows.contains(row))
                call = batcher->subset(failed.call, {row});
            o[QStringLiteral("method")] = QString::fromLatin1(call.method);
            o[QStringLiteral("path")] = call.path;
            const QJsonValue body = bodyValue(call.body);
            if (!body.isNull())
                o[QStringLiteral("body")] = body;
            if (batch)
                meta[QStringLiteral("batch")] = true;
        }
        o[QStringLiteral("_headroom")] = meta;
        out << QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n';
    }
    return out;
}

void DeadLetterWriter::rowsFailed(const FailedRows &failed)
{
    if (!m_file.isOpen())
        return;
    QByteArray bytes;
    for (QByteArray line : toJsonLines(failed, m_profile, m_batcher, m_secrets)) {
        m_secrets.apply(line);
        bytes += line;
        ++m_lines;
    }
    if (m_file.write(bytes) != bytes.size())
        qCWarning(lcRun) << "dead-letter write failed:" << m_file.errorString();
    m_dirty = true;
}

void DeadLetterWriter::sync()
{
    if (!m_dirty || !m_file.isOpen())
        return;
    ::fdatasync(m_file.handle());
    m_dirty = false;
}

} // namespace headroom::run
