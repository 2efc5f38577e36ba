#pragma once

#include <QtGlobal>

#include <optional>
#include <vector>

namespace headroom::run {

// Which rows a change mode sends, as decided once while counting them before
// the run, so the run does not fingerprint and look up every row again: two
// bits a row in the file's row numbers (250 KB for a million rows). A row the
// count never decided (a bad row, one a resume skips, one past the end of the
// file as it was counted) is left to the run to decide.
class RowDecisions
{
public:
    void record(qint64 row, bool send);
    // Whether `row` goes out, if it was decided.
    std::optional<bool> sends(qint64 row) const;
    qint64 decidedRows() const { return m_decidedRows; }

private:
    std::vector<bool> m_decided;
    std::vector<bool> m_send;
    qint64 m_decidedRows = 0;
};

} // namespace headroom::run
