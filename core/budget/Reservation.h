#pragma once

#include <QList>

namespace headroom::budget {

// What one run of the GCRA script answered (see GcraScript): the slots granted
// to this process, as microseconds after the Redis server's own TIME, and what
// the server knows of the budget as a whole.
struct Reservation
{
    qint64 serverNowUs = 0;
    qint64 limit = 0; // the limit in force: published from headers, else ours
    qint64 periodUs = 0;
    qint64 processes = 0;    // processes seen on this budget in the last few seconds
    qint64 grantedTotal = 0; // slots ever granted on this key, by every process
    QList<qint64> offsetsUs; // granted send times, after serverNowUs
};

} // namespace headroom::budget
