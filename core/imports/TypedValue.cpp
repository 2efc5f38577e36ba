#include "core/imports/TypedValue.h"

#include "core/imports/JsonText.h"

#include <QCoreApplication>
#include <QDateTime>

namespace headroom::imports {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("imports", text);
}

bool equalsNoCase(QByteArrayView a, const char *b)
{
    return a.compare(QByteArrayView(b), Qt::CaseInsensitive) == 0;
}

} // namespace

QByteArrayView TypedValue::trimmed(QByteArrayView v)
{
    while (!v.isEmpty() && (v.front() == ' ' || v.front() == '\t'))
        v = v.sliced(1);
    while (!v.isEmpty() && (v.back() == ' ' || v.back() == '\t'))
        v.chop(1);
    return v;
}

QString TypedValue::quoted(QByteArrayView text)
{
    constexpr qsizetype kMax = 60;
    QString s = QString::fromUtf8(text.first(qMin(text.size(), kMax)));
    if (text.size() > kMax)
        s += QStringLiteral("...");
    return QLatin1Char('\'') + s + QLatin1Char('\'');
}

bool TypedValue::appendTimestamp(QByteArrayView text, bool isoTimestamps, QByteArray &out)
{
    text = trimmed(text);
    qint64 seconds = 0;
    bool numeric = !text.isEmpty();
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (!(text[i] >= '0' && text[i] <= '9') && !(i == 0 && text[i] == '-'))
            numeric = false;
    }
    QDateTime when;
    if (numeric) {
        bool ok = false;
        seconds = text.toLongLong(&ok);
        if (!ok)
            return false;
        if (text.size() >= 13) // epoch milliseconds
            seconds /= 1000;
        when = QDateTime::fromSecsSinceEpoch(seconds, Qt::UTC);
    } else {
        const QString s = QString::fromUtf8(text);
        when = QDateTime::fromString(s, Qt::ISODateWithMs);
        if (!when.isValid())
            return false;
        if (when.timeSpec() == Qt::LocalTime)
            when.setTimeSpec(Qt::UTC); // a time without an offset is taken as UTC, never as this machine's zone
        seconds = when.toSecsSinceEpoch();
    }
    if (isoTimestamps)
        JsonText::appendString(out, when.toUTC().toString(Qt::ISODateWithMs).toUtf8());
    else
        out.append(QByteArray::number(seconds));
    return true;
}

QString TypedValue::append(QByteArrayView text, ColumnType type, const QByteArray &name, bool isoTimestamps,
                           QByteArray &out)
{
    switch (type) {
    case ColumnType::String:
    case ColumnType::Ignore:
        JsonText::appendString(out, text);
        return {};
    case ColumnType::Number: {
        const QByteArrayView t = trimmed(text);
        if (!JsonText::isNumber(t)) {
            return tr("column '%1': expected a number, found %2").arg(QString::fromUtf8(name), quoted(text));
        }
        out.append(t);
        return {};
    }
    case ColumnType::Boolean: {
        const QByteArrayView t = trimmed(text);
        if (equalsNoCase(t, "true") || equalsNoCase(t, "yes") || equalsNoCase(t, "y") || equalsNoCase(t, "t") || t == "1") {
            out.append("true");
        } else if (equalsNoCase(t, "false") || equalsNoCase(t, "no") || equalsNoCase(t, "n") || equalsNoCase(t, "f") || t == "0") {
            out.append("false");
        } else {
            return tr("column '%1': expected a boolean (true/false, yes/no, 1/0), found %2")
                .arg(QString::fromUtf8(name), quoted(text));
        }
        return {};
    }
    case ColumnType::Timestamp:
        if (!appendTimestamp(text, isoTimestamps, out)) {
            return tr("column '%1': expected a timestamp (ISO 8601 or epoch seconds), found %2")
                .arg(QString::fromUtf8(name), quoted(text));
        }
        return {};
    }
    return {};
}

} // namespace headroom::imports
