#include "ui/ConsoleSettings.h"

#include "ui/UiLogging.h"
#include "core/version/Version.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>

namespace headroom::ui {

namespace {

QSettings openSettings()
{
    return QSettings(QString::fromLatin1(kOrganizationDomain), QString::fromLatin1(kApplicationName));
}

const QString kVersionKey = QStringLiteral("console/settingsVersion");

} // namespace

QString ConsoleSettings::fileName()
{
    return openSettings().fileName();
}

std::optional<ConsoleSettings::Values> ConsoleSettings::load()
{
    QSettings settings = openSettings();
    if (!settings.contains(kVersionKey))
        return std::nullopt;
    Values v;
    v.geometry = settings.value(QStringLiteral("window/geometry")).toByteArray();
    v.windowState = settings.value(QStringLiteral("window/state")).toByteArray();
    v.centreState = settings.value(QStringLiteral("window/centre")).toByteArray();
    v.file = settings.value(QStringLiteral("import/file")).toString();
    const QByteArray mapping = settings.value(QStringLiteral("import/mapping")).toByteArray();
    if (!mapping.isEmpty()) {
        QString error;
        v.mapping = imports::Mapping::fromJson(mapping, &error);
        if (!v.mapping)
            qCWarning(lcUi) << "ignoring the saved mapping:" << error;
    }
    v.currentProfile = settings.value(QStringLiteral("apis/current")).toString();
    const QJsonArray profiles = QJsonDocument::fromJson(settings.value(QStringLiteral("apis/profiles")).toByteArray()).array();
    for (const QJsonValue &p : profiles) {
        QString error;
        QJsonObject o = p.toObject();
        o.insert(QStringLiteral("file"), QStringLiteral("-")); // RunSettings wants one; profiles have none
        if (auto s = run::RunSettings::fromJson(o, &error)) {
            s->file.clear();
            v.profiles.append(*s);
        } else {
            qCWarning(lcUi) << "ignoring a saved profile:" << error;
        }
    }
    return v;
}

void ConsoleSettings::save(const Values &values)
{
    QSettings settings = openSettings();
    settings.setValue(kVersionKey, 1);
    settings.setValue(QStringLiteral("window/geometry"), values.geometry);
    settings.setValue(QStringLiteral("window/state"), values.windowState);
    settings.setValue(QStringLiteral("window/centre"), values.centreState);
    settings.setValue(QStringLiteral("import/file"), values.file);
    settings.setValue(QStringLiteral("import/mapping"), values.mapping ? values.mapping->toJson() : QByteArray());
    settings.setValue(QStringLiteral("apis/current"), values.currentProfile);
    QJsonArray profiles;
    for (const run::RunSettings &s : values.profiles) {
        QJsonObject o = s.toJson();
        o.remove(QStringLiteral("file")); // the file belongs to the import, not to the API
        o.remove(QStringLiteral("mapping"));
        profiles.append(o);
    }
    settings.setValue(QStringLiteral("apis/profiles"), QJsonDocument(profiles).toJson(QJsonDocument::Compact));
    settings.sync();
}

} // namespace headroom::ui
