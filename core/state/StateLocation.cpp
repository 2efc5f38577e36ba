#include "core/state/StateLocation.h"

#include "core/version/Version.h"

#include <QCryptographicHash>
#include <QDir>
#include <QStandardPaths>

namespace headroom::state {

QString StateLocation::directory(const QString &chosen, const QProcessEnvironment &env)
{
    if (!chosen.isEmpty())
        return QDir(chosen).absolutePath();
    const QString fromEnv = env.value(QStringLiteral("HEADROOM_STATE_DIR"));
    if (!fromEnv.isEmpty())
        return QDir(fromEnv).absolutePath();
    // The runs' root, for the same reason: the CLI's and the console's
    // application names differ, and AppDataLocation would split the state.
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QString::fromLatin1(kApplicationName) + QStringLiteral("/state"));
}

QString StateLocation::storeId(const QByteArray &destination)
{
    return QString::fromLatin1(QCryptographicHash::hash(destination, QCryptographicHash::Sha256).toHex().left(16));
}

QString StateLocation::storePath(const QString &directory, const QByteArray &destination)
{
    return QDir(directory).filePath(storeId(destination) + fileSuffix());
}

QString StateLocation::describe(const QByteArray &destination)
{
    QString text = QString::fromUtf8(destination);
    text.replace(QLatin1Char('\n'), QLatin1Char(' '));
    return text.trimmed();
}

} // namespace headroom::state
