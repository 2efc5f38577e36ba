#pragma once

#include "core/imports/ApiCall.h"
#include "core/imports/ImportProfile.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>

namespace headroom::imports {

struct BatchLimits
{
    qsizetype maxRequestBytes = 500000; // whole body, decimal KB (the stricter reading)
    int maxItems = 0;                   // 0 = no count limit
    qsizetype maxItemBytes = 32000;
};

// What became of each row of a call, from the HTTP answer.
struct RowOutcome
{
    enum class Kind {
        Done,   // accepted
        Failed, // rejected for this row's content: dead-letter it with the reason
        Retry,  // not applied because of other rows: send again (see Batcher::subset)
    };
    qint64 row = 0;
    qint64 line = 0;
    Kind kind = Kind::Done;
    QString reason;
};

struct BatchResult
{
    enum class Action {
        Settled,  // every row has its outcome in `rows`
        Split,    // too large, or a whole-batch 400: split() the call and send the halves
        RetryAll, // transient (429, 408, 5xx, no answer): the retry policy decides when
    };
    Action action = Action::Settled;
    QList<RowOutcome> rows;
    QString reason;
};

// Packs rows into a batch endpoint's requests up to its limits (Customer.io
// /api/v2/batch: 500 KB; Segment /v1/batch: 500 KB, 2,500 events, 32 KB each),
// and afterwards maps a response back to rows: which are done, which failed
// and why, which must go again. Invariant: item i of a batch body is rows[i].
//
// Assumed error dialects (documented in docs/ARCHITECTURE.md):
//   Customer.io (as core/sandbox emulates it): {"errors":[{"batch_index":i,
//   "reason":"..","field":"..","message":".."}]} names the failing items; with
//   a 2xx (207) the others were applied, with a 4xx they were not and are
//   re-sent (identify is idempotent and events carry ids, so even a re-send of
//   an applied item is harmless).
//   Segment: a 400 rejects the whole batch without saying which item, so the
//   batch is bisected until the bad row is alone.
class Batcher
{
public:
    enum class Dialect { CustomerIo,
                         Segment };

    Batcher(Dialect dialect, const BatchLimits &limits, const QString &path);
    // The batch endpoint of a profile, if it has one.
    static std::optional<Batcher> forProfile(Profile profile);

    const BatchLimits &limits() const { return m_limits; }
    Dialect dialect() const { return m_dialect; }

    // Packing.
    bool isEmpty() const { return m_rows.isEmpty(); }
    int count() const { return int(m_rows.size()); }
    // Whether an item of `itemBytes` still fits in the batch being built.
    bool fits(qsizetype itemBytes) const;
    void add(QByteArrayView item, qint64 row, qint64 line);
    ApiCall take();

    // After sending.
    QList<ApiCall> split(const ApiCall &call) const;
    ApiCall subset(const ApiCall &call, const QList<qint64> &rows) const;
    BatchResult mapResponse(const ApiCall &call, int status, const QByteArray &body) const;

private:
    ApiCall makeCall(QByteArray body, QList<qint64> rows, QList<qint64> lines) const;
    static QList<QByteArray> items(const QByteArray &body);

    Dialect m_dialect;
    BatchLimits m_limits;
    QString m_path;
    QByteArray m_body;
    QList<qint64> m_rows;
    QList<qint64> m_lines;
};

} // namespace headroom::imports
