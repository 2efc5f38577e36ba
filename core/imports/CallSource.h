#pragma once

#include "core/imports/ApiCall.h"
#include "core/imports/Batcher.h"
#include "core/imports/CallBuilder.h"
#include "core/imports/ImportProfile.h"
#include "core/imports/Mapping.h"
#include "core/imports/RecordReader.h"
#include "core/imports/RowMapper.h"
#include "core/imports/RowProblem.h"

#include <QList>
#include <QString>

#include <functional>
#include <memory>
#include <optional>

namespace headroom::imports {

struct CallSourceOptions
{
    QString filePath;
    QString profile;                // customerio-track, customerio-app, segment-public, segment-tracking, generic
    std::optional<Mapping> mapping; // none = the profile's default mapping
    bool batching = false;          // use the batch endpoint where the profile has one
    QString messageIdPrefix;        // Segment messageId prefix; empty = mapping's, else "headroom"
    // Where the calls go (IdempotencyKey::destinationOf), part of every derived key.
    QByteArray destination;
    std::function<bool(qint64 row)> skip; // rows already done (resume); they are neither read into calls nor reported
    // Rows the destination already has as they are (a changed-only run): true
    // leaves the mapped row out. Asked once for every row that maps.
    std::function<bool(const MappedRow &row, qint64 rowNumber)> filter;
    // Told each row `skip` leaves out, mapped (rows that do not map are not
    // told): a resume records what an earlier attempt had finished.
    std::function<void(const MappedRow &row, qint64 rowNumber)> skipped;
    // Why a single call must not be sent (its URL would leave the base path);
    // empty to send it. A refused call's row becomes a bad row, never a request.
    std::function<QString(const ApiCall &call)> refuse;
    InputFormat format = InputFormat::Auto;
    ReaderLimits limits;
    QByteArray bytes; // tests and fuzzing: read these instead of filePath when non-empty
};

// The pull end of an import: each next() reads just enough rows to return one
// call (a single request, or a full batch), so memory stays flat however large
// the file and the dispatcher's pace is the reader's pace (backpressure). Bad
// and rejected rows are kept as RowProblems for the caller to take.
class CallSource
{
public:
    explicit CallSource(CallSourceOptions options);
    ~CallSource();

    // Opens the file and checks the mapping against its header. False on a
    // file-level error (unknown profile, unreadable, empty, missing id column):
    // see fatalError().
    bool open();
    std::optional<ApiCall> next();
    QList<RowProblem> takeProblems();

    bool hasFatalError() const { return !m_fatal.message.isEmpty(); }
    const RowProblem &fatalError() const { return m_fatal; }
    bool atEnd() const { return m_atEnd; }

    qint64 rowsRead() const;                 // rows seen so far, bad and skipped ones included
    std::optional<qint64> totalRows() const; // known once the whole file was read
    qint64 badRows() const { return m_badRows; }
    qint64 rejectedRows() const { return m_rejectedRows; } // of badRows: broke a payload rule
    qint64 skippedRows() const { return m_skippedRows; }
    qint64 filteredRows() const { return m_filteredRows; } // left out by the filter (unchanged)
    qint64 bytesRead() const;
    qint64 fileSize() const;
    double progress() const; // 0..1, for ETAs
    bool batching() const { return m_batcher.has_value(); }
    std::optional<Profile> profile() const { return m_profile; }
    // The mapped row of the last record handed out (for preflight's duplicate check).
    void setRowObserver(std::function<void(const MappedRow &, qint64 row, qint64 line)> observer)
    {
        m_observer = std::move(observer);
    }
    // For the dispatcher: the profile's batcher (split, subset, mapResponse).
    const std::optional<Batcher> &batcher() const { return m_batcher; }

private:
    void report(const RowProblem &problem, bool payloadRule);
    void reportRow(qint64 row, qint64 line, const QString &message, QByteArrayView raw, bool payloadRule);
    bool fail(const QString &message, qint64 line = 0);

    CallSourceOptions m_options;
    std::optional<Profile> m_profile;
    std::unique_ptr<RecordReader> m_reader;
    std::unique_ptr<RowMapper> m_mapper;
    std::unique_ptr<CallBuilder> m_builder;
    std::optional<Batcher> m_batcher;
    std::function<void(const MappedRow &, qint64, qint64)> m_observer;
    Record m_record;
    MappedRow m_mapped;
    QByteArray m_item;
    QList<RowProblem> m_problems;
    RowProblem m_fatal;
    std::optional<RecordReader::Result> m_pending;
    RowProblem m_pendingProblem;
    bool m_opened = false;
    bool m_bound = false;
    bool m_atEnd = false;
    qint64 m_badRows = 0;
    qint64 m_rejectedRows = 0;
    qint64 m_skippedRows = 0;
    qint64 m_filteredRows = 0;
};

} // namespace headroom::imports
