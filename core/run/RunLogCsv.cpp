#include "core/run/RunLogCsv.h"
#include "core/run/RunFile.h"
#include "core/text/BoundedLine.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QStringList>

namespace headroom::run {

namespace {

constexpr qint64 kMaxRecordBytes = 1024 * 1024;

QByteArray csvField(const QJsonValue &value)
{
    QString text;
    if (value.isString())
        text = value.toString();
    else if (value.isDouble())
        text = QString::number(value.toDouble(), 'g', 15);
    else if (value.isBool())
        text = value.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    else if (value.isArray()) {
        QStringList items;
        for (const QJsonValue &v : value.toArray())
            items << v.toString();
        text = items.join(QLatin1Char(';'));
    }
    QByteArray out = text.toUtf8();
    // Cells a spreadsheet would run as a formula are quoted with a leading '.
    if (!out.isEmpty() && (out[0] == '=' || out[0] == '+' || out[0] == '@'))
        out.prepend('\'');
    if (out.contains(',') || out.contains('"') || out.contains('\n') || out.contains('\r')) {
        out.replace("\"", "\"\"");
        out = '"' + out + '"';
    }
    return out;
}

} // namespace

QStringList RunLogCsv::columns()
{
    return {QStringLiteral("t"), QStringLiteral("lane"), QStringLiteral("op"),
            QStringLiteral("method"), QStringLiteral("path"), QStringLiteral("row"),
            QStringLiteral("rows"), QStringLiteral("attempt"), QStringLiteral("status"),
            QStringLiteral("latency_ms"), QStringLiteral("remaining"), QStringLiteral("limit"),
            QStringLiteral("reset_s"), QStringLiteral("retry_after_s"), QStringLiteral("decision"),
            QStringLiteral("delay_ms"), QStringLiteral("reason"), QStringLiteral("error"),
            QStringLiteral("ignored")};
}

bool RunLogCsv::convert(const QString &jsonlPath, const QString &csvPath, QString *error, qint64 *rows)
{
    QFile in(jsonlPath);
    if (!in.open(QIODevice::ReadOnly)) {
        if (error)
            *error = in.errorString();
        return false;
    }
    if (!RunFile::refuseLink(csvPath, error))
        return false;
    QSaveFile out(csvPath);
    if (!out.open(QIODevice::WriteOnly)) {
        if (error)
            *error = out.errorString();
        return false;
    }
    const QStringList cols = columns();
    out.write(cols.join(QLatin1Char(',')).toUtf8() + '\n');
    qint64 count = 0;
    while (!in.atEnd()) {
        // The writer keeps a record far shorter; a longer line is not one of
        // its records and, cut, parses as none.
        const QByteArray line = text::readBoundedLine(in, kMaxRecordBytes);
        const QJsonDocument doc = QJsonDocument::fromJson(line);
        if (!doc.isObject())
            continue;
        const QJsonObject o = doc.object();
        QByteArray row;
        for (qsizetype i = 0; i < cols.size(); ++i) {
            if (i)
                row += ',';
            row += csvField(o.value(cols.at(i)));
        }
        row += '\n';
        out.write(row);
        ++count;
    }
    if (!out.commit()) {
        if (error)
            *error = out.errorString();
        return false;
    }
    if (rows)
        *rows = count;
    return RunFile::makePrivate(csvPath, error);
}

} // namespace headroom::run
