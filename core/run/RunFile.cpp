#include "core/run/RunFile.h"

#include <QCoreApplication>
#include <QDir>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace headroom::run {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("RunFile", text);
}

bool fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    return false;
}

bool isLink(const QString &path)
{
    struct stat st
    {};
    return ::lstat(QFile::encodeName(path).constData(), &st) == 0 && S_ISLNK(st.st_mode);
}

int posixFlags(QIODevice::OpenMode mode)
{
    int flags = O_CREAT | O_NOFOLLOW | O_CLOEXEC;
    flags |= mode.testFlag(QIODevice::ReadOnly) ? O_RDWR : O_WRONLY;
    if (mode.testFlag(QIODevice::Append))
        flags |= O_APPEND;
    if (mode.testFlag(QIODevice::Truncate))
        flags |= O_TRUNC;
    return flags;
}

} // namespace

QString RunFile::linkRefusal(const QString &path)
{
    return tr("refusing %1: it is a symbolic link, and a run never writes through one (remove it)").arg(path);
}

bool RunFile::open(QFile &file, QIODevice::OpenMode mode, QString *error)
{
    const QString path = file.fileName();
    const int fd = ::open(QFile::encodeName(path).constData(), posixFlags(mode), 0600);
    if (fd < 0) {
        const int why = errno;
        if (why == ELOOP)
            return fail(error, linkRefusal(path));
        return fail(error, tr("cannot open %1: %2").arg(path, QString::fromLocal8Bit(std::strerror(why))));
    }
    // A file left by an older run may be 0644; this run's data is not.
    ::fchmod(fd, 0600);
    if (!file.open(fd, mode, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return fail(error, tr("cannot open %1: %2").arg(path, file.errorString()));
    }
    return true;
}

bool RunFile::refuseLink(const QString &path, QString *error)
{
    return isLink(path) ? fail(error, linkRefusal(path)) : true;
}

bool RunFile::makePrivate(const QString &path, QString *error)
{
    if (::chmod(QFile::encodeName(path).constData(), 0600) == 0)
        return true;
    return fail(error, tr("cannot make %1 private: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno))));
}

bool RunFile::makePrivateDirectory(const QString &path, QString *error)
{
    if (isLink(path))
        return fail(error, linkRefusal(path));
    if (!QDir().mkpath(path))
        return fail(error, tr("cannot create run directory %1").arg(path));
    if (::chmod(QFile::encodeName(path).constData(), 0700) != 0)
        return fail(error, tr("cannot make run directory %1 private: %2")
                               .arg(path, QString::fromLocal8Bit(std::strerror(errno))));
    return true;
}

} // namespace headroom::run
