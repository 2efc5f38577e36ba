#include "core/imports/CallSource.h"

#include "core/imports/ImportsLogging.h"
#include "core/imports/PayloadSize.h"

#include <QCoreApplication>

namespace headroom::imports {

namespace {
QString tr(const char *text)
{
    return QCoreApplication::translate("imports", text);
}
} // namespace

CallSource::CallSource(CallSourceOptions options)
    : m_options(std::move(options))
{
}

CallSource::~CallSource() = default;

bool CallSource::fail(const QString &message, qint64 line)
{
    m_fatal = RowProblem{0, line, 0, m_options.filePath, message, {}};
    m_atEnd = true;
    return false;
}

bool CallSource::open()
{
    if (m_opened)
        return !hasFatalError();
    m_opened = true;
    m_profile = ImportProfile::fromName(m_options.profile);
    if (!m_profile)
        return fail(tr("unknown profile '%1' (expected one of: %2)")
                        .arg(m_options.profile, ImportProfile::names().join(QLatin1String(", "))));
    const Mapping mapping = m_options.mapping.value_or(Mapping());
    QString prefix = m_options.messageIdPrefix;
    if (prefix.isEmpty())
        prefix = mapping.messageIdPrefix;
    m_mapper = std::make_unique<RowMapper>(*m_profile, mapping);
    m_builder = std::make_unique<CallBuilder>(*m_profile, IdempotencyKey(m_options.destination, prefix.toUtf8()));
    if (m_options.batching)
        m_batcher = Batcher::forProfile(*m_profile);

    m_reader = m_options.bytes.isEmpty()
                   ? RecordReader::openFile(m_options.filePath, m_options.format, m_options.limits)
                   : RecordReader::openBytes(m_options.bytes, m_options.format, m_options.filePath, m_options.limits);
    // The first read also reads a CSV header, which the mapping is checked against.
    RowProblem problem;
    const RecordReader::Result first = m_reader->next(m_record, problem);
    if (first == RecordReader::Result::Fatal) {
        m_fatal = m_reader->fatal();
        m_atEnd = true;
        return false;
    }
    if (!m_reader->columns().isEmpty()) {
        QString error;
        if (!m_mapper->bindColumns(m_reader->columns(), &error))
            return fail(error, 1);
    }
    m_bound = true;
    // Hand the first result to the first next().
    m_pending = first;
    m_pendingProblem = problem;
    return true;
}

void CallSource::report(const RowProblem &problem, bool payloadRule)
{
    ++m_badRows;
    if (payloadRule)
        ++m_rejectedRows;
    m_problems.append(problem);
    m_problems.last().payloadRule = payloadRule;
}

void CallSource::reportRow(qint64 row, qint64 line, const QString &message, QByteArrayView raw, bool payloadRule)
{
    report(RowProblem{row, line, 0, m_options.filePath, message,
                      raw.first(qMin(raw.size(), RowProblem::kRawLimit)).toByteArray()},
           payloadRule);
}

std::optional<ApiCall> CallSource::next()
{
    if (!m_opened)
        open();
    if (m_atEnd || !m_bound)
        return std::nullopt;
    RowProblem problem;
    for (;;) {
        RecordReader::Result r;
        if (m_pending) {
            r = *m_pending;
            problem = m_pendingProblem;
            m_pending.reset();
        } else {
            r = m_reader->next(m_record, problem);
        }
        switch (r) {
        case RecordReader::Result::Fatal:
            m_fatal = m_reader->fatal();
            Q_FALLTHROUGH();
        case RecordReader::Result::End:
            m_atEnd = true;
            if (m_batcher && !m_batcher->isEmpty())
                return m_batcher->take();
            return std::nullopt;
        case RecordReader::Result::Problem:
            if (m_options.skip && m_options.skip(problem.row)) {
                ++m_skippedRows;
                continue;
            }
            report(problem, false);
            continue;
        case RecordReader::Result::Record:
            break;
        }
        const qint64 row = m_record.row;
        const qint64 line = m_record.line;
        RowMapper::Failure failure;
        if (m_options.skip && m_options.skip(row)) {
            ++m_skippedRows;
            if (m_options.skipped && m_mapper->map(m_record, m_mapped, &failure))
                m_options.skipped(m_mapped, row);
            continue;
        }
        if (!m_mapper->map(m_record, m_mapped, &failure)) {
            reportRow(row, line, failure.message, m_record.raw, failure.payloadRule);
            continue;
        }
        if (m_options.filter && m_options.filter(m_mapped, row)) {
            ++m_filteredRows;
            continue;
        }
        const qsizetype maxCall = m_mapper->rules().maxCallBytes;
        if (m_batcher && m_builder->batchable(m_mapped.operation)) {
            m_item.resize(0);
            m_builder->appendBatchItem(m_mapped, m_item);
            const bool tooBig = m_item.size() > m_batcher->limits().maxItemBytes;
            if (tooBig && maxCall > 0) {
                reportRow(row, line,
                          tr("payload rule: the event is %1 bytes; %2 allows %3 per event")
                              .arg(m_item.size())
                              .arg(ImportProfile::name(*m_profile))
                              .arg(maxCall),
                          m_record.raw, true);
                continue;
            }
            if (!tooBig) {
                if (m_observer)
                    m_observer(m_mapped, row, line);
                if (!m_batcher->fits(m_item.size())) {
                    ApiCall full = m_batcher->take();
                    m_batcher->add(m_item, row, line);
                    return full;
                }
                m_batcher->add(m_item, row, line);
                continue;
            }
            // Too big for one batch item but legal as a v1 call (Customer.io): send it alone.
        }
        ApiCall call;
        m_builder->single(m_mapped, row, line, call);
        if (const QString oversize = PayloadSize::refusal(call, m_mapper->rules(), ImportProfile::name(*m_profile));
            !oversize.isEmpty()) {
            reportRow(row, line, oversize, m_record.raw, true);
            continue;
        }
        if (m_options.refuse) {
            const QString refusal = m_options.refuse(call);
            if (!refusal.isEmpty()) {
                reportRow(row, line, refusal, m_record.raw, false);
                continue;
            }
        }
        if (m_observer)
            m_observer(m_mapped, row, line);
        return call;
    }
}

QList<RowProblem> CallSource::takeProblems()
{
    return std::exchange(m_problems, {});
}

qint64 CallSource::rowsRead() const
{
    return m_reader ? m_reader->rowsSeen() : 0;
}

std::optional<qint64> CallSource::totalRows() const
{
    if (m_atEnd && !hasFatalError() && m_reader)
        return m_reader->rowsSeen();
    return std::nullopt;
}

qint64 CallSource::bytesRead() const
{
    return m_reader ? m_reader->bytesRead() : 0;
}

qint64 CallSource::fileSize() const
{
    return m_reader ? m_reader->fileSize() : 0;
}

double CallSource::progress() const
{
    if (m_atEnd)
        return 1.0;
    const qint64 size = fileSize();
    return size > 0 ? qBound(0.0, double(bytesRead()) / double(size), 1.0) : 0.0;
}

} // namespace headroom::imports
