#pragma once

#include <QByteArray>
#include <QList>
#include <QString>

namespace headroom::imports {

// One HTTP call the dispatcher can send, built from one row or, for a batch
// endpoint, from many. It is what a mapping (or batcher) hands to the run.
struct ApiCall
{
    QByteArray method;   // "PUT", "POST", "DELETE", ...
    QString path;        // relative to the profile's base URL, e.g. "/api/v1/customers/42"
    QByteArray body;     // request body (JSON), may be empty
    QString operation;   // "identify", "track", "batch", ... for logs and charts
    QList<qint64> rows;  // data-row numbers (1-based, file order) this call carries
    QList<qint64> lines; // file line where each of those rows starts (same order)
};

} // namespace headroom::imports
