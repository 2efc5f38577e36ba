#include "core/imports/PreflightReport.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLocale>

#include <cmath>

namespace headroom::imports {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("imports", text);
}

QString grouped(qint64 n)
{
    QString digits = QString::number(n);
    for (qsizetype i = digits.size() - 3; i > (n < 0 ? 1 : 0); i -= 3)
        digits.insert(i, QLatin1Char(','));
    return digits;
}

} // namespace

QString PreflightReport::formatDuration(double seconds)
{
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', seconds < 10 ? 1 : 0);
    const qint64 total = qint64(std::llround(seconds));
    const qint64 h = total / 3600, m = (total % 3600) / 60, s = total % 60;
    if (h > 0)
        return QStringLiteral("%1 h %2 min").arg(h).arg(m, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1 min %2 s").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QString PreflightReport::toText() const
{
    QString out;
    if (fatal) {
        out += tr("Preflight failed: %1\n").arg(fatal->toText());
        return out;
    }
    out += tr("Preflight of %1 (profile %2)\n").arg(file, profile);
    out += tr("  rows           %1\n").arg(grouped(rows));
    out += tr("  good rows      %1\n").arg(grouped(goodRows));
    out += tr("  bad rows       %1").arg(grouped(badRows));
    if (rejectedRows > 0)
        out += tr("  (%1 break an API payload rule)").arg(grouped(rejectedRows));
    out += QLatin1Char('\n');
    out += tr("  duplicate ids  %1\n").arg(grouped(duplicateIds));
    for (auto it = operations.cbegin(); it != operations.cend(); ++it)
        out += tr("  %1 %2\n").arg(it.key() + QLatin1Char(':'), -14).arg(grouped(it.value()));
    const QString pace = tr("%1 per %2 s").arg(rate).arg(windowSeconds);
    out += tr("  requests       %1 without batching: %2 at %3\n")
               .arg(grouped(requestsUnbatched), formatDuration(secondsFor(requestsUnbatched)), pace);
    if (!batchEndpoint.isEmpty())
        out += tr("                 %1 with batching (%2): %3\n")
                   .arg(grouped(requestsBatched), batchEndpoint, formatDuration(secondsFor(requestsBatched)));
    else
        out += tr("                 (profile %1 has no batch endpoint)\n").arg(profile);
    if (!problems.isEmpty()) {
        out += tr("Bad rows (first %1 of %2):\n").arg(problems.size()).arg(grouped(badRows));
        for (const RowProblem &p : problems)
            out += tr("  row %1: %2\n").arg(p.row).arg(p.toText());
    }
    if (!duplicates.isEmpty()) {
        out += tr("Duplicate ids (first %1 of %2):\n").arg(duplicates.size()).arg(grouped(duplicateIds));
        for (const DuplicateId &d : duplicates)
            out += tr("  '%1' at row %2 (line %3), first at row %4\n")
                       .arg(QString::fromUtf8(d.key))
                       .arg(d.row)
                       .arg(d.line)
                       .arg(d.firstRow);
    }
    return out;
}

QByteArray PreflightReport::toJson() const
{
    QJsonObject o;
    o.insert(QStringLiteral("file"), file);
    o.insert(QStringLiteral("profile"), profile);
    if (fatal) {
        o.insert(QStringLiteral("ok"), false);
        o.insert(QStringLiteral("error"), QJsonObject{{QStringLiteral("line"), fatal->line},
                                                      {QStringLiteral("column"), fatal->column},
                                                      {QStringLiteral("message"), fatal->message},
                                                      {QStringLiteral("text"), fatal->toText()}});
        return QJsonDocument(o).toJson(QJsonDocument::Indented);
    }
    o.insert(QStringLiteral("ok"), true);
    o.insert(QStringLiteral("file_bytes"), fileBytes);
    o.insert(QStringLiteral("rows"), rows);
    o.insert(QStringLiteral("good_rows"), goodRows);
    o.insert(QStringLiteral("bad_rows"), badRows);
    o.insert(QStringLiteral("rejected_rows"), rejectedRows);
    QJsonArray problemList;
    for (const RowProblem &p : problems) {
        problemList.append(QJsonObject{{QStringLiteral("row"), p.row},
                                       {QStringLiteral("line"), p.line},
                                       {QStringLiteral("column"), p.column},
                                       {QStringLiteral("message"), p.message},
                                       {QStringLiteral("raw"), QString::fromUtf8(p.raw)}});
    }
    o.insert(QStringLiteral("bad_rows_listed"), problemList);
    o.insert(QStringLiteral("duplicate_ids"), duplicateIds);
    QJsonArray dupList;
    for (const DuplicateId &d : duplicates) {
        dupList.append(QJsonObject{{QStringLiteral("id"), QString::fromUtf8(d.key)},
                                   {QStringLiteral("row"), d.row},
                                   {QStringLiteral("line"), d.line},
                                   {QStringLiteral("first_row"), d.firstRow}});
    }
    o.insert(QStringLiteral("duplicate_ids_listed"), dupList);
    QJsonObject ops;
    for (auto it = operations.cbegin(); it != operations.cend(); ++it)
        ops.insert(it.key(), it.value());
    o.insert(QStringLiteral("operations"), ops);
    o.insert(QStringLiteral("rate"), rate);
    o.insert(QStringLiteral("window_s"), windowSeconds);
    o.insert(QStringLiteral("requests_unbatched"), requestsUnbatched);
    o.insert(QStringLiteral("expected_s_unbatched"), secondsFor(requestsUnbatched));
    if (!batchEndpoint.isEmpty()) {
        o.insert(QStringLiteral("batch_endpoint"), batchEndpoint);
        o.insert(QStringLiteral("requests_batched"), requestsBatched);
        o.insert(QStringLiteral("expected_s_batched"), secondsFor(requestsBatched));
    } else {
        o.insert(QStringLiteral("batch_endpoint"), QJsonValue::Null);
    }
    return QJsonDocument(o).toJson(QJsonDocument::Indented);
}

} // namespace headroom::imports
