#pragma once

#include "core/run/RunProgress.h"

#include <QString>

#include <cstdio>
#include <optional>

namespace headroom::cli {

// The CLI's view of a running import: on a terminal one line redrawn in place
// (rows done/total, rows/s, 429s, retries, ETA); otherwise a plain line every
// few seconds, so cron mail and CI logs stay readable.
class ProgressLine
{
public:
    enum class Mode { Terminal,
                      Plain,
                      Off };

    explicit ProgressLine(Mode mode, double plainIntervalS = 5.0, FILE *stream = stderr);
    static Mode detect(FILE *stream = stderr);
    // --progress: "tty", "plain", "none", or "auto" for `detected`; empty for any other name.
    static std::optional<Mode> modeFromName(const QString &name, Mode detected);

    void update(const run::RunProgress &progress);
    // Ends the redrawn line so what follows starts on a fresh one.
    void finish();

    static QString format(const run::RunProgress &progress);
    static QString formatDuration(double seconds);

private:
    Mode m_mode;
    double m_plainIntervalS;
    double m_lastPlainAt = -1e9;
    FILE *m_stream;
    int m_lastWidth = 0;
};

} // namespace headroom::cli
