#include "app/cli/ProgressLine.h"

#include <QCoreApplication>

#include <unistd.h>

namespace headroom::cli {

ProgressLine::ProgressLine(Mode mode, double plainIntervalS, FILE *stream)
    : m_mode(mode)
    , m_plainIntervalS(plainIntervalS)
    , m_stream(stream)
{
}

ProgressLine::Mode ProgressLine::detect(FILE *stream)
{
    return isatty(fileno(stream)) ? Mode::Terminal : Mode::Plain;
}

std::optional<ProgressLine::Mode> ProgressLine::modeFromName(const QString &name, Mode detected)
{
    if (name == QLatin1String("auto"))
        return detected;
    if (name == QLatin1String("tty"))
        return Mode::Terminal;
    if (name == QLatin1String("plain"))
        return Mode::Plain;
    if (name == QLatin1String("none"))
        return Mode::Off;
    return std::nullopt;
}

QString ProgressLine::formatDuration(double seconds)
{
    if (seconds < 0)
        return QStringLiteral("?");
    const qint64 s = qint64(seconds + 0.5);
    if (s < 60)
        return QStringLiteral("%1s").arg(s);
    if (s < 3600)
        return QStringLiteral("%1m%2s").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1h%2m").arg(s / 3600).arg((s % 3600) / 60, 2, 10, QLatin1Char('0'));
}

QString ProgressLine::format(const run::RunProgress &p)
{
    const qint64 settled = p.rowsDone + p.rowsFailed;
    QString rows;
    if (p.totalRows >= 0) {
        const double pct = p.totalRows > 0 ? 100.0 * double(settled) / double(p.totalRows) : 100.0;
        rows = QCoreApplication::translate("cli", "rows %1/%2 (%3%)").arg(settled).arg(p.totalRows).arg(pct, 0, 'f', 1);
    } else {
        rows = QCoreApplication::translate("cli", "rows %1 (%2% of file)").arg(settled).arg(100.0 * p.fileFraction, 0, 'f', 1);
    }
    return QCoreApplication::translate("cli", "%1  %2 rows/s  failed %3  429s %4  retries %5  in flight %6  ETA %7")
        .arg(rows)
        .arg(p.rowsPerS, 0, 'f', 1)
        .arg(p.rowsFailed)
        .arg(p.responses429)
        .arg(p.retries)
        .arg(p.inFlight)
        .arg(formatDuration(p.etaS()));
}

void ProgressLine::update(const run::RunProgress &progress)
{
    if (m_mode == Mode::Off)
        return;
    const QByteArray line = format(progress).toUtf8();
    if (m_mode == Mode::Terminal) {
        const int pad = std::max(0, m_lastWidth - int(line.size()));
        std::fprintf(m_stream, "\r%s%*s", line.constData(), pad, "");
        m_lastWidth = int(line.size());
    } else {
        if (progress.elapsedS - m_lastPlainAt < m_plainIntervalS)
            return;
        m_lastPlainAt = progress.elapsedS;
        std::fprintf(m_stream, "[%s] %s\n", qPrintable(formatDuration(progress.elapsedS)), line.constData());
    }
    std::fflush(m_stream);
}

void ProgressLine::finish()
{
    if (m_mode == Mode::Terminal && m_lastWidth > 0) {
        std::fputc('\n', m_stream);
        std::fflush(m_stream);
    }
    m_lastWidth = 0;
}

} // namespace headroom::cli
