#pragma once

#include "core/run/RunObserver.h"
#include "core/run/SecretMask.h"

#include <QFile>
#include <QList>

namespace headroom::run {

// Writes the run log (requests.jsonl): one JSON line per attempt. Lines are
// built by hand into a buffer and written in blocks, so logging every attempt
// costs the engine microseconds, not a syscall each; the buffer also goes out
// at every metrics sample, so `tail -f requests.jsonl` follows a run within
// one sample period (100 ms) rather than 64 KB (~300 lines) behind. Secrets never reach it:
// an AttemptRecord carries no header, and `secrets` are masked as a last line
// of defence should one ever appear in a path or error text.
class RunLogWriter final : public RunObserver
{
public:
    explicit RunLogWriter(const QString &path, QList<QByteArray> secrets = {});
    ~RunLogWriter() override;

    bool open(QString *error);
    void flush();
    void attemptFinished(const AttemptRecord &record) override;
    void lanesSampled(const QList<Lane *> &lanes, TimePoint now) override;

    static QByteArray toJsonLine(const AttemptRecord &record);
    static void appendJsonLine(QByteArray &out, const AttemptRecord &record);

private:
    QFile m_file;
    QByteArray m_buffer;
    SecretMask m_secrets;
};

} // namespace headroom::run
