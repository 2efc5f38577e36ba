#pragma once

#include <QMetaType>
#include <QtGlobal>

#include <algorithm>

namespace headroom::run {

// Where a run stands, for progress bars and ETAs: sampled with the lanes.
struct RunProgress
{
    double elapsedS = 0;
    qint64 rowsRead = 0; // rows taken from the file so far (bad ones included)
    qint64 rowsDone = 0;
    qint64 rowsFailed = 0;
    qint64 totalRows = -1;   // known once the whole file was read
    double fileFraction = 0; // bytes read / file size, 0..1
    qint64 requests = 0;
    qint64 responses429 = 0;
    qint64 retries = 0;
    qint64 inFlight = 0;
    double rowsPerS = 0; // over the trailing second

    // Seconds left at the current pace; -1 when unknown.
    double etaS() const
    {
        const qint64 settled = rowsDone + rowsFailed;
        if (rowsPerS <= 0 || settled <= 0)
            return -1;
        double total = double(totalRows);
        if (totalRows < 0) {
            if (fileFraction <= 0)
                return -1;
            total = double(rowsRead) / fileFraction; // extrapolated from bytes
        }
        return std::max(0.0, (total - double(settled)) / rowsPerS);
    }
};

} // namespace headroom::run

Q_DECLARE_METATYPE(headroom::run::RunProgress)
