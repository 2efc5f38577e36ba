#pragma once

// Files a test writes and reads back: import files in a temporary directory
// and the JSON documents a run leaves behind.
#include <QByteArray>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QTemporaryDir>

namespace headroom::testing {

// `bytes` as `name` in `dir`. A test that cannot write its input stops
// there: going on with a missing file could pass for the wrong reason.
inline QString writeFile(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s: %s", qPrintable(path), qPrintable(f.errorString()));
    return path;
}

// An id,email,plan CSV whose ids are `prefix`1 … `prefix`n, each with an
// email of its own: every row a distinct, valid customerio-track identify.
inline QByteArray customersCsv(const QByteArray &prefix, int n, const QByteArray &plan = "free")
{
    QByteArray csv = "id,email,plan\n";
    for (int i = 1; i <= n; ++i) {
        const QByteArray id = prefix + QByteArray::number(i);
        csv += id + ',' + id + "@example.com," + plan + '\n';
    }
    return csv;
}

// The object in a JSON file (summary.json, run.json, …); empty when the file
// is missing or not an object.
inline QJsonObject readJson(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

} // namespace headroom::testing
