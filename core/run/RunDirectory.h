#pragma once

#include "core/run/RunSettings.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace headroom::run {

// Where one run keeps its files, and its manifest (run.json): the settings
// (RunSettings holds no secret) plus what a resume needs beyond them. Layout,
// per ../shared/DESIGN.md:
//   run.json  journal  dead-letters.jsonl  requests.jsonl  summary.json
// plus requests.jsonl's CSV export and, when a dead-letter file is re-driven,
// the request file made from it (redrive-requests.jsonl).
class RunDirectory
{
public:
    struct Manifest
    {
        QString id;
        RunSettings settings;
        // How the file is read when it differs from the lanes' profile: a
        // re-driven dead-letter file is a request file ("generic") sent
        // through the original profile's lane.
        QString sourceProfile;
        QString originalFile; // the dead-letter file a re-drive was made from
    };

    explicit RunDirectory(const QString &path);

    // <AppDataLocation>/runs/<new id>.
    // <XDG data home>/Headroom/runs: where the CLI and the console keep runs.
    static QString defaultRoot();
    static RunDirectory createDefault();
    static QString newId();

    QString path() const { return m_path; }
    QString filePath(const QString &name) const;
    QString manifestPath() const { return filePath(QStringLiteral("run.json")); }
    QString journalPath() const { return filePath(QStringLiteral("journal")); }
    QString deadLettersPath() const { return filePath(QStringLiteral("dead-letters.jsonl")); }
    QString requestsPath() const { return filePath(QStringLiteral("requests.jsonl")); }
    QString requestsCsvPath() const { return filePath(QStringLiteral("requests.csv")); }
    QString summaryPath() const { return filePath(QStringLiteral("summary.json")); }
    QString lanesPath() const { return filePath(QStringLiteral("lanes.json")); }

    bool create(QString *error) const;
    bool hasManifest() const;
    bool writeManifest(const Manifest &manifest, QString *error) const;
    std::optional<Manifest> readManifest(QString *error) const;

    static QJsonObject manifestToJson(const Manifest &manifest);
    static std::optional<Manifest> manifestFromJson(const QJsonObject &json, QString *error);
    // A process killed mid-line leaves an append-only file without its last
    // '\n': end it, so the next line appended stands alone.
    static bool endTornLine(const QString &path);
    // Writes `json` atomically (write, fsync, rename).
    static bool writeJsonFile(const QString &path, const QJsonObject &json, QString *error);

private:
    QString m_path;
};

} // namespace headroom::run
