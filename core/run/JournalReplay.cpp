#include "core/run/JournalReplay.h"

#include "core/run/JournalRecord.h"

#include <QFile>

namespace headroom::run {

RowRangeSet JournalReplay::unfinished() const
{
    return sent.minus(done).minus(failed);
}

JournalReplay JournalReplay::replay(QByteArrayView bytes)
{
    JournalReplay out;
    qsizetype pos = 0;
    while (pos < bytes.size()) {
        const qsizetype end = bytes.indexOf('\n', pos);
        if (end < 0) {
            out.tornTail = true;
            break;
        }
        const QByteArrayView line = bytes.sliced(pos, end - pos);
        pos = end + 1;
        out.intactBytes = pos;
        const std::optional<JournalRecord> record = JournalRecord::decode(line);
        if (!record) {
            ++out.badRecords;
            continue;
        }
        ++out.records;
        switch (record->kind) {
        case JournalRecord::Kind::Sent:
            out.sent.add(record->rows);
            break;
        case JournalRecord::Kind::Done:
            out.done.add(record->rows);
            break;
        case JournalRecord::Kind::Failed:
            out.failed.add(record->rows);
            break;
        }
    }
    return out;
}

std::optional<JournalReplay> JournalReplay::readFile(const QString &path, QString *error)
{
    QFile file(path);
    if (!file.exists())
        return JournalReplay{};
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return std::nullopt;
    }
    return replay(file.readAll());
}

} // namespace headroom::run
