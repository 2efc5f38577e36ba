#pragma once

#include "core/imports/Batcher.h"
#include "core/run/RunObserver.h"
#include "core/run/SecretMask.h"

#include <QFile>
#include <QJsonObject>

#include <optional>

namespace headroom::run {

// Writes dead-letters.jsonl: one line per failed row, which is itself a
// request-file line, so the file can be imported again:
//   {"method":"PUT","path":"/api/v1/customers/42","body":{...},
//    "_headroom":{"row":42,"line":43,"operation":"identify","attempts":5,
//                 "status":503,"response":"...","reason":"...","profile":"...","lane":"..."}}
// A row of a batch gets a one-item batch of its own. A row rejected before
// sending has no request: its original bytes are under _headroom.original.
// Lines are written at once (failures are rare); sync() makes them durable and
// runs before each journal sync, so a row the journal calls failed always has
// its dead letter on disk.
class DeadLetterWriter final : public RunObserver
{
public:
    DeadLetterWriter(const QString &path, const QString &profile, QList<QByteArray> secrets = {});
    ~DeadLetterWriter() override;

    bool open(QString *error);
    void sync();
    void rowsFailed(const FailedRows &failed) override;

    qint64 linesWritten() const { return m_lines; }

    // The lines for `failed`, one per row. The kept response is masked with
    // `mask` before it is cut; the caller masks the whole line again.
    static QList<QByteArray> toJsonLines(const FailedRows &failed, const QString &profile,
                                         const std::optional<imports::Batcher> &batcher,
                                         const SecretMask &mask = {});
    // Whether a parsed line is a dead letter (carries _headroom).
    static bool isDeadLetter(const QJsonObject &line);

private:
    QFile m_file;
    QString m_profile;
    SecretMask m_secrets;
    std::optional<imports::Batcher> m_batcher;
    qint64 m_lines = 0;
    bool m_dirty = false;
};

} // namespace headroom::run
