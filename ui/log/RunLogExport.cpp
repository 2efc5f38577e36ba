#include "ui/log/RunLogExport.h"

#include "ui/log/RunLogModel.h"
#include "core/run/RunLogWriter.h"

#include <QAbstractProxyModel>
#include <QSaveFile>

namespace headroom::ui {

namespace {

QByteArray csvField(const QString &text)
{
    QByteArray bytes = text.toUtf8();
    if (bytes.contains(',') || bytes.contains('"') || bytes.contains('\n') || bytes.contains('\r')) {
        bytes.replace("\"", "\"\"");
        return '"' + bytes + '"';
    }
    return bytes;
}

QByteArray csvLine(const run::AttemptRecord &r)
{
    const QList<QByteArray> fields{
        QByteArray::number(r.wallMs), csvField(r.lane), csvField(r.operation), r.method, csvField(r.path),
        QByteArray::number(r.firstRow), QByteArray::number(r.rowCount), QByteArray::number(r.attempt),
        QByteArray::number(r.status), csvField(r.error), QByteArray::number(r.latencyMs, 'f', 1),
        QByteArray::number(r.remaining), QByteArray::number(r.limit), csvField(r.decision),
        QByteArray::number(r.delayMs, 'f', 0), csvField(r.reason)};
    return fields.join(',') + '\n';
}

} // namespace

bool RunLogExport::write(const RunLogModel &log, const QAbstractProxyModel *filter, const QString &path, Format format,
                         QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    QByteArray block;
    if (format == Format::Csv)
        block = "wall_ms,lane,operation,method,path,first_row,row_count,attempt,status,error,latency_ms,"
                "remaining,limit,decision,delay_ms,reason\n";
    const int rows = filter ? filter->rowCount() : log.rowCount();
    for (int i = 0; i < rows; ++i) {
        const int source = filter ? filter->mapToSource(filter->index(i, 0)).row() : i;
        const run::AttemptRecord record = log.record(source);
        if (format == Format::Csv) {
            block += csvLine(record);
        } else {
            QByteArray line = run::RunLogWriter::toJsonLine(record);
            if (!line.endsWith('\n'))
                line += '\n';
            block += line;
        }
        if (block.size() > (1 << 20)) {
            file.write(block);
            block.clear();
        }
    }
    file.write(block);
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return true;
}

} // namespace headroom::ui
