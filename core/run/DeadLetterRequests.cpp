#include "core/run/DeadLetterRequests.h"
#include "core/run/RunFile.h"

#include "core/imports/RequestPath.h"
#include "core/run/DeadLetterWriter.h"
#include "core/text/BoundedLine.h"
#include "core/run/RunDirectory.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

#include <algorithm>
#include <functional>

namespace headroom::run {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("DeadLetterRequests", text);
}

constexpr qint64 kMaxLineBytes = 16 * 1024 * 1024;

// Calls `visit` with each dead letter of `in` and its line number, blank
// lines skipped. Stops with the file and line in `error` at the first line
// that is not a dead letter, or when `visit` returns false (it has set `error`).
bool forEachDeadLetter(QFile &in, QString *error, const std::function<bool(QJsonObject, qint64)> &visit)
{
    qint64 lineNumber = 0;
    while (!in.atEnd()) {
        const QByteArray line = text::readBoundedLine(in, kMaxLineBytes).trimmed();
        ++lineNumber;
        if (line.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject() || !DeadLetterWriter::isDeadLetter(doc.object())) {
            if (error)
                *error = tr("%1:%2: not a dead letter (expected a JSON object with _headroom)")
                             .arg(in.fileName())
                             .arg(lineNumber);
            return false;
        }
        if (!visit(doc.object(), lineNumber))
            return false;
    }
    return true;
}

} // namespace

std::optional<QString> DeadLetterRequests::profileOf(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return std::nullopt;
    while (!file.atEnd()) {
        const QByteArray line = text::readBoundedLine(file, kMaxLineBytes).trimmed();
        if (line.isEmpty())
            continue;
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject() || !DeadLetterWriter::isDeadLetter(doc.object()))
            return std::nullopt;
        return doc.object().value(QLatin1String("_headroom")).toObject().value(QLatin1String("profile")).toString();
    }
    return std::nullopt;
}

QString DeadLetterRequests::runProfileOf(const QString &path)
{
    const RunDirectory dir(QFileInfo(path).absolutePath());
    if (!dir.hasManifest())
        return {};
    QString ignored;
    const std::optional<RunDirectory::Manifest> manifest = dir.readManifest(&ignored);
    return manifest ? manifest->settings.profile : QString();
}

std::optional<DeadLetterRequests::Result> DeadLetterRequests::convert(const QString &inPath, const QString &outPath,
                                                                      const QString &profile, QString *error)
{
    auto fail = [error](const QString &message) -> std::optional<Result> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QFile in(inPath);
    if (!in.open(QIODevice::ReadOnly))
        return fail(tr("%1: %2").arg(inPath, in.errorString()));
    if (!RunFile::refuseLink(outPath, error))
        return std::nullopt;
    QSaveFile out(outPath);
    if (!out.open(QIODevice::WriteOnly))
        return fail(tr("%1: %2").arg(outPath, out.errorString()));
    const std::optional<imports::Profile> sendsAs = imports::ImportProfile::fromName(profile);
    if (!sendsAs)
        return fail(tr("%1: unknown profile '%2' for a re-drive").arg(inPath, profile));
    Result result;
    result.profile = profile;
    const bool read = forEachDeadLetter(in, error, [&](QJsonObject o, qint64 lineNumber) {
        o.remove(QLatin1String("_headroom"));
        if (!o.contains(QLatin1String("method"))) {
            ++result.unsendable;
            return true;
        }
        const QByteArray method = o.value(QLatin1String("method")).toString().toUpper().toLatin1();
        const QString path = o.value(QLatin1String("path")).toString();
        if (!imports::RequestPath::isOperation(*sendsAs, method, path)) {
            if (error)
                *error = tr("%1:%2: %3 %4 is not a call of profile %5; the re-drive is refused (a dead-letter "
                            "file does not choose what is sent with your credentials)")
                             .arg(inPath)
                             .arg(lineNumber)
                             .arg(QString::fromLatin1(method), path, profile);
            return false;
        }
        out.write(QJsonDocument(o).toJson(QJsonDocument::Compact) + '\n');
        ++result.requests;
        return true;
    });
    if (!read)
        return std::nullopt;
    if (!out.commit())
        return fail(tr("%1: %2").arg(outPath, out.errorString()));
    if (!RunFile::makePrivate(outPath, error))
        return std::nullopt;
    return result;
}

std::optional<DeadLetterRequests::Listing> DeadLetterRequests::list(const QString &path, QString *error, qsizetype limit)
{
    auto fail = [error](const QString &message) -> std::optional<Listing> {
        if (error)
            *error = message;
        return std::nullopt;
    };
    QFile in(path);
    if (!in.open(QIODevice::ReadOnly))
        return fail(tr("%1: %2").arg(path, in.errorString()));
    Listing listing;
    listing.profile = runProfileOf(path);
    const bool read = forEachDeadLetter(in, error, [&](const QJsonObject &o, qint64) {
        const QJsonObject meta = o.value(QLatin1String("_headroom")).toObject();
        const bool sendable = o.contains(QLatin1String("method"));
        listing.unsendable += sendable ? 0 : 1;
        ++listing.total;
        if (listing.letters.size() >= limit)
            return true;
        FailedRows f;
        f.lane = meta.value(QLatin1String("lane")).toString();
        f.call.operation = meta.value(QLatin1String("operation")).toString();
        if (sendable) {
            f.call.method = o.value(QLatin1String("method")).toString().toUtf8();
            f.call.path = o.value(QLatin1String("path")).toString();
        }
        const qint64 row = meta.value(QLatin1String("row")).toInteger(-1);
        const qint64 fileLine = meta.value(QLatin1String("line")).toInteger(-1);
        if (row >= 0)
            f.rows = {row};
        if (fileLine >= 0)
            f.lines = {fileLine};
        f.attempts = meta.value(QLatin1String("attempts")).toInt();
        f.lastStatus = meta.value(QLatin1String("status")).toInt();
        f.lastBody = meta.value(QLatin1String("response")).toString().toUtf8();
        f.reason = meta.value(QLatin1String("reason")).toString();
        f.raw = meta.value(QLatin1String("original")).toString().toUtf8();
        listing.letters.append(f);
        return true;
    });
    if (!read)
        return std::nullopt;
    return listing;
}

} // namespace headroom::run
