#pragma once

#include <QByteArray>
#include <QProcessEnvironment>
#include <QString>

namespace headroom::state {

// Where a destination's store lives: one SQLite file per destination (the
// destination as IdempotencyKey::destinationOf spells it: profile, host and
// path of the base URL, the credentials' non-secret scope), named by a digest
// of it so the file name tells nothing and never holds a secret.
class StateLocation
{
public:
    // `chosen` (--state-dir) when given, else HEADROOM_STATE_DIR, else
    // <data>/Headroom/state beside the runs, shared by the CLI and the console.
    static QString directory(const QString &chosen, const QProcessEnvironment &env);
    // 16 hex digits of SHA-256 over the destination: the store's id.
    static QString storeId(const QByteArray &destination);
    static QString storePath(const QString &directory, const QByteArray &destination);
    static QString fileSuffix() { return QStringLiteral(".sqlite"); }
    // "customerio-track 127.0.0.1/customerio-track site-1": for people.
    static QString describe(const QByteArray &destination);
};

} // namespace headroom::state
