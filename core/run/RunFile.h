#pragma once

#include <QFile>
#include <QString>

namespace headroom::run {

// How a run's files are opened: a run directory holds request bodies and
// responses (personal data), so it is 0700 and its files 0600 whatever the
// umask, and no file is written through a symbolic link — one planted in
// the directory would otherwise make the run write to the file it names.
class RunFile
{
public:
    // Opens `file` (its fileName()) with `mode` (WriteOnly or ReadWrite,
    // Append, Truncate, Unbuffered), created 0600, refusing a symbolic link.
    static bool open(QFile &file, QIODevice::OpenMode mode, QString *error);
    // Before a QSaveFile writes `path`: QSaveFile writes through a symbolic
    // link to its target, so one there is refused.
    static bool refuseLink(const QString &path, QString *error);
    // After a QSaveFile commit: a new file got 0666 & ~umask.
    static bool makePrivate(const QString &path, QString *error);
    // Creates the directory (and parents) and makes it 0700; refuses a
    // directory that is a symbolic link.
    static bool makePrivateDirectory(const QString &path, QString *error);
    // "refusing …: it is a symbolic link" for `path`.
    static QString linkRefusal(const QString &path);
};

} // namespace headroom::run
