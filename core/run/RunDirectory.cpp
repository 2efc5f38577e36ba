#include "core/run/RunDirectory.h"
#include "core/run/RunFile.h"

#include "core/version/Version.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QStandardPaths>

namespace headroom::run {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RunDirectory", text);
}

constexpr int kManifestVersion = 1;

} // namespace

RunDirectory::RunDirectory(const QString &path)
    : m_path(path)
{
}

QString RunDirectory::newId()
{
    return QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss")) + QLatin1Char('-')
           + QString::number(QRandomGenerator::global()->bounded(0x10000), 16).rightJustified(4, QLatin1Char('0'));
}

QString RunDirectory::defaultRoot()
{
    // One place for the CLI and the console: their application names differ
    // ("headroom-cli", "Headroom"), so AppDataLocation would split the history.
    return QDir(QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation))
        .filePath(QString::fromLatin1(kApplicationName) + QStringLiteral("/runs"));
}

RunDirectory RunDirectory::createDefault()
{
    return RunDirectory(QDir(defaultRoot()).filePath(newId()));
}

QString RunDirectory::filePath(const QString &name) const
{
    return QDir(m_path).filePath(name);
}

bool RunDirectory::create(QString *error) const
{
    return RunFile::makePrivateDirectory(m_path, error);
}

bool RunDirectory::hasManifest() const
{
    return QFile::exists(manifestPath());
}

QJsonObject RunDirectory::manifestToJson(const Manifest &manifest)
{
    QJsonObject o;
    o[QStringLiteral("version")] = kManifestVersion;
    o[QStringLiteral("id")] = manifest.id;
    o[QStringLiteral("settings")] = manifest.settings.toJson();
    if (!manifest.sourceProfile.isEmpty())
        o[QStringLiteral("source_profile")] = manifest.sourceProfile;
    if (!manifest.originalFile.isEmpty())
        o[QStringLiteral("original_file")] = manifest.originalFile;
    return o;
}

std::optional<RunDirectory::Manifest> RunDirectory::manifestFromJson(const QJsonObject &o, QString *error)
{
    if (o.value(QStringLiteral("version")).toInt() != kManifestVersion) {
        if (error)
            *error = tr("run.json: unknown version (expected %1)").arg(kManifestVersion);
        return std::nullopt;
    }
    Manifest m;
    m.id = o.value(QStringLiteral("id")).toString();
    std::optional<RunSettings> settings = RunSettings::fromJson(o.value(QStringLiteral("settings")).toObject(), error);
    if (!settings) {
        if (error)
            *error = tr("run.json: %1").arg(*error);
        return std::nullopt;
    }
    m.settings = *settings;
    m.sourceProfile = o.value(QStringLiteral("source_profile")).toString();
    m.originalFile = o.value(QStringLiteral("original_file")).toString();
    return m;
}

bool RunDirectory::writeJsonFile(const QString &path, const QJsonObject &json, QString *error)
{
    if (!RunFile::refuseLink(path, error))
        return false;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = file.errorString();
        return false;
    }
    file.write(QJsonDocument(json).toJson(QJsonDocument::Indented));
    if (!file.commit()) {
        if (error)
            *error = file.errorString();
        return false;
    }
    return RunFile::makePrivate(path, error);
}

bool RunDirectory::endTornLine(const QString &path)
{
    QFile file(path);
    if (!file.exists() || file.size() == 0)
        return true;
    if (!RunFile::open(file, QIODevice::ReadWrite, nullptr))
        return false;
    if (!file.seek(file.size() - 1))
        return false;
    char last = 0;
    if (!file.getChar(&last))
        return false;
    return last == '\n' || (file.seek(file.size()) && file.putChar('\n'));
}

bool RunDirectory::writeManifest(const Manifest &manifest, QString *error) const
{
    return writeJsonFile(manifestPath(), manifestToJson(manifest), error);
}

std::optional<RunDirectory::Manifest> RunDirectory::readManifest(QString *error) const
{
    QFile file(manifestPath());
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("%1: %2").arg(manifestPath(), file.errorString());
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(file.readAll(), &parseError);
    if (!doc.isObject()) {
        if (error)
            *error = tr("%1: not a JSON object (%2)").arg(manifestPath(), parseError.errorString());
        return std::nullopt;
    }
    return manifestFromJson(doc.object(), error);
}

} // namespace headroom::run
