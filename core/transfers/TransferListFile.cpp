#include "core/transfers/TransferListFile.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

namespace headroom::transfers {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("TransferListFile", text);
}

QJsonObject entryToJson(const TransferEntry &entry)
{
    QJsonObject o;
    o[QStringLiteral("id")] = entry.id;
    o[QStringLiteral("settings")] = entry.settings.toJson();
    if (!entry.mapping.isEmpty())
        o[QStringLiteral("mapping")] = QJsonDocument::fromJson(entry.mapping).object();
    if (!entry.runDirectory.isEmpty())
        o[QStringLiteral("run_dir")] = entry.runDirectory;
    o[QStringLiteral("state")] = TransferEntry::stateName(entry.state);
    o[QStringLiteral("preflight_rows")] = entry.preflightRows;
    o[QStringLiteral("preflight_bad_rows")] = entry.preflightBadRows;
    if (!entry.message.isEmpty())
        o[QStringLiteral("message")] = entry.message;
    return o;
}

std::optional<TransferEntry> entryFromJson(const QJsonObject &o, QString *error)
{
    TransferEntry entry;
    entry.id = o.value(QStringLiteral("id")).toString();
    std::optional<run::RunSettings> settings = run::RunSettings::fromJson(o.value(QStringLiteral("settings")).toObject(), error);
    if (!settings)
        return std::nullopt;
    if (entry.id.isEmpty()) {
        *error = tr("no id");
        return std::nullopt;
    }
    entry.settings = *settings;
    const QJsonObject mapping = o.value(QStringLiteral("mapping")).toObject();
    if (!mapping.isEmpty())
        entry.mapping = QJsonDocument(mapping).toJson(QJsonDocument::Compact);
    entry.runDirectory = o.value(QStringLiteral("run_dir")).toString();
    const std::optional<TransferState> state = TransferEntry::stateFromName(o.value(QStringLiteral("state")).toString());
    // Whatever was not finished when the list was written ended with that
    // process; the operator decides when it goes on.
    entry.state = state ? *state : TransferState::Stopped;
    if (!state || holdsPlace(*state) || *state == TransferState::Queued)
        entry.state = TransferState::Stopped;
    entry.preflightRows = o.value(QStringLiteral("preflight_rows")).toInteger(-1);
    entry.preflightBadRows = o.value(QStringLiteral("preflight_bad_rows")).toInteger(-1);
    entry.message = o.value(QStringLiteral("message")).toString();
    return entry;
}

} // namespace

QByteArray TransferListFile::toJson(const Contents &contents)
{
    QJsonArray entries;
    for (const TransferEntry &entry : contents.entries)
        entries.append(entryToJson(entry));
    QJsonObject root;
    root[QStringLiteral("max_active")] = contents.maxActive;
    root[QStringLiteral("imports")] = entries;
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

std::optional<TransferListFile::Contents> TransferListFile::fromJson(const QByteArray &json, QString *error,
                                                                     QStringList *warnings)
{
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (!doc.isObject()) {
        if (error)
            *error = parseError.error != QJsonParseError::NoError ? parseError.errorString() : tr("not a JSON object");
        return std::nullopt;
    }
    const QJsonObject root = doc.object();
    Contents contents;
    contents.maxActive = std::max(1, root.value(QStringLiteral("max_active")).toInt(1));
    const QJsonArray entries = root.value(QStringLiteral("imports")).toArray();
    for (qsizetype i = 0; i < entries.size(); ++i) {
        QString why;
        std::optional<TransferEntry> entry = entryFromJson(entries.at(i).toObject(), &why);
        if (entry)
            contents.entries << *entry;
        else if (warnings)
            *warnings << tr("import %1 skipped: %2").arg(i + 1).arg(why);
    }
    return contents;
}

bool TransferListFile::save(const QString &path, const Contents &contents, QString *error)
{
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        if (error)
            *error = tr("cannot create the directory of %1").arg(path);
        return false;
    }
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(toJson(contents)) < 0 || !file.commit()) {
        if (error)
            *error = tr("cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

std::optional<TransferListFile::Contents> TransferListFile::load(const QString &path, QString *error, QStringList *warnings)
{
    QFile file(path);
    if (!file.exists())
        return Contents{};
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = tr("cannot read %1: %2").arg(path, file.errorString());
        return std::nullopt;
    }
    QString why;
    std::optional<Contents> contents = fromJson(file.readAll(), &why, warnings);
    if (!contents && error)
        *error = tr("%1: %2").arg(path, why);
    return contents;
}

} // namespace headroom::transfers
