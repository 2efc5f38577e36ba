#include "ui/BundledSample.h"

#include "ui/UiLogging.h"

#include <QDir>
#include <QFile>
#include <QStandardPaths>

static void initHeadroomResources()
{
    Q_INIT_RESOURCE(headroom); // the resources live in a static library
}

namespace headroom::ui {

QString BundledSample::path()
{
    initHeadroomResources();
    const QString directory = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/samples");
    const QString target = directory + QStringLiteral("/customers.csv");
    if (QFile::exists(target))
        return target;
    if (!QDir().mkpath(directory) || !QFile::copy(QStringLiteral(":/samples/customers.csv"), target)) {
        qCWarning(lcUi) << "cannot write the bundled sample to" << target;
        return {};
    }
    QFile::setPermissions(target, QFile::ReadOwner | QFile::WriteOwner | QFile::ReadGroup | QFile::ReadOther);
    return target;
}

} // namespace headroom::ui
