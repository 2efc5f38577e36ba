#include "core/state/AcceptedStore.h"

#include "core/state/StateLogging.h"

#include <QAtomicInteger>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSqlError>
#include <QVariant>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace headroom::state {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("state", text);
}

QString sqlError(const QSqlError &error)
{
    return error.text().trimmed();
}

// A store holds person ids: private like a run directory.
bool makePrivateFile(const QString &path, QString *error)
{
    const QByteArray name = QFile::encodeName(path);
    const int fd = ::open(name.constData(), O_WRONLY | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0 || ::fchmod(fd, 0600) != 0) {
        if (fd >= 0)
            ::close(fd);
        if (error)
            *error = tr("%1: cannot create the state store: %2").arg(path, QString::fromLocal8Bit(strerror(errno)));
        return false;
    }
    ::close(fd);
    return true;
}

bool makePrivateDirectory(const QString &dir, QString *error)
{
    if (!QDir().mkpath(dir) || ::chmod(QFile::encodeName(dir).constData(), 0700) != 0) {
        if (error)
            *error = tr("%1: cannot create the state directory").arg(dir);
        return false;
    }
    return true;
}

} // namespace

AcceptedStore::AcceptedStore(QString path)
    : m_path(std::move(path))
{
    static QAtomicInteger<quint64> counter;
    m_connection = QStringLiteral("headroom-state-%1").arg(counter.fetchAndAddRelaxed(1));
}

AcceptedStore::~AcceptedStore()
{
    close();
}

bool AcceptedStore::fail(QString *error, const QString &message)
{
    if (error)
        *error = message;
    qCWarning(lcState).noquote() << message;
    close();
    return false;
}

void AcceptedStore::close()
{
    const bool had = m_db.isValid();
    m_lookup = QSqlQuery();
    m_insert = QSqlQuery();
    if (m_db.isOpen())
        m_db.close();
    m_db = QSqlDatabase();
    if (had)
        QSqlDatabase::removeDatabase(m_connection);
    m_open = false;
}

bool AcceptedStore::exec(const QString &sql, QString *error)
{
    QSqlQuery query(m_db);
    if (query.exec(sql))
        return true;
    if (error)
        *error = sqlError(query.lastError());
    return false;
}

std::optional<qint64> AcceptedStore::pragma(const QString &name, QString *error)
{
    QSqlQuery query(m_db);
    if (!query.exec(QStringLiteral("PRAGMA ") + name) || !query.next()) {
        if (error)
            *error = sqlError(query.lastError());
        return std::nullopt;
    }
    return query.value(0).toLongLong();
}

bool AcceptedStore::open(const QByteArray &destination, OpenMode mode, QString *error)
{
    close();
    const QFileInfo info(m_path);
    if (info.isSymLink())
        return fail(error, tr("%1: is a symbolic link; refusing to open it as a state store").arg(m_path));
    if (!info.exists()) {
        if (mode == OpenMode::Existing)
            return fail(error, tr("%1: no such state store").arg(m_path));
        if (!makePrivateDirectory(info.absolutePath(), error) || !makePrivateFile(m_path, error))
            return false;
    }
    m_db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), m_connection);
    if (!m_db.isValid())
        return fail(error, tr("%1: the Qt SQLite driver (QSQLITE) is not installed").arg(m_path));
    m_db.setDatabaseName(m_path);
    if (!m_db.open())
        return fail(error, tr("%1: cannot open the state store: %2").arg(m_path, sqlError(m_db.lastError())));
    QString why;
    // The first statement reads the header: a file that is not SQLite fails here.
    const std::optional<qint64> appId = pragma(QStringLiteral("application_id"), &why);
    const std::optional<qint64> version = appId ? pragma(QStringLiteral("user_version"), &why) : std::nullopt;
    const std::optional<qint64> tables =
        version ? pragma(QStringLiteral("schema_version"), &why) : std::nullopt; // 0 for an empty file
    if (!appId || !version || !tables)
        return fail(error, tr("%1: not a state store (is it damaged?): %2").arg(m_path, why));
    const bool fresh = *appId == 0 && *version == 0 && *tables == 0;
    if (!fresh && *appId != kApplicationId)
        return fail(error, tr("%1: not a Headroom state store (a SQLite file of another program)").arg(m_path));
    if (!fresh && *version > kSchemaVersion)
        return fail(error, tr("%1: state store schema %2 is newer than this Headroom reads (%3)")
                               .arg(m_path)
                               .arg(*version)
                               .arg(kSchemaVersion));
    if (!exec(QStringLiteral("PRAGMA journal_mode=WAL"), &why) || !exec(QStringLiteral("PRAGMA synchronous=NORMAL"), &why))
        return fail(error, tr("%1: cannot set up the state store: %2").arg(m_path, why));
    if (fresh ? !createSchema(destination, &why) : !checkSchema(destination, &why))
        return fail(error, tr("%1: %2").arg(m_path, why));
    m_lookup = QSqlQuery(m_db);
    m_insert = QSqlQuery(m_db);
    if (!m_lookup.prepare(QStringLiteral("SELECT fingerprint FROM accepted WHERE identity = ?"))
        || !m_insert.prepare(QStringLiteral("INSERT OR REPLACE INTO accepted (identity, fingerprint, accepted_at, "
                                            "label) VALUES (?, ?, ?, ?)")))
        return fail(error, tr("%1: not a state store (is it damaged?): %2")
                               .arg(m_path, sqlError(m_lookup.lastError().isValid() ? m_lookup.lastError()
                                                                                    : m_insert.lastError())));
    m_open = true;
    return true;
}

bool AcceptedStore::createSchema(const QByteArray &destination, QString *error)
{
    if (!m_db.transaction()) {
        *error = sqlError(m_db.lastError());
        return false;
    }
    const QStringList statements = {
        QStringLiteral("PRAGMA application_id = %1").arg(kApplicationId),
        QStringLiteral("PRAGMA user_version = %1").arg(kSchemaVersion),
        QStringLiteral("CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL)"),
        // WITHOUT ROWID: the identity is the key, stored once.
        QStringLiteral("CREATE TABLE accepted (identity BLOB PRIMARY KEY, fingerprint BLOB NOT NULL, "
                       "accepted_at INTEGER NOT NULL, label BLOB) WITHOUT ROWID"),
    };
    for (const QString &sql : statements) {
        if (!exec(sql, error)) {
            m_db.rollback();
            return false;
        }
    }
    QSqlQuery meta(m_db);
    meta.prepare(QStringLiteral("INSERT INTO meta (key, value) VALUES ('destination', ?)"));
    meta.addBindValue(destination);
    if (!meta.exec() || !m_db.commit()) {
        *error = sqlError(meta.lastError().isValid() ? meta.lastError() : m_db.lastError());
        m_db.rollback();
        return false;
    }
    qCInfo(lcState) << "created state store" << m_path;
    return true;
}

bool AcceptedStore::checkSchema(const QByteArray &destination, QString *error)
{
    QSqlQuery meta(m_db);
    if (!meta.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'destination'")) || !meta.next()) {
        *error = tr("not a state store (is it damaged?): no destination recorded %1")
                     .arg(sqlError(meta.lastError()));
        return false;
    }
    const QByteArray stored = meta.value(0).toByteArray();
    if (!destination.isEmpty() && stored != destination) {
        *error = tr("holds the state of another destination (%1)").arg(QString::fromUtf8(stored).replace(QLatin1Char('\n'), QLatin1Char(' ')));
        return false;
    }
    return true;
}

std::optional<QByteArray> AcceptedStore::lookup(const QByteArray &identity, QString *error)
{
    if (!m_open)
        return std::nullopt;
    ++m_lookups;
    m_lookup.bindValue(0, identity);
    if (!m_lookup.exec()) {
        if (error)
            *error = tr("%1: %2").arg(m_path, sqlError(m_lookup.lastError()));
        return std::nullopt;
    }
    std::optional<QByteArray> out;
    if (m_lookup.next())
        out = m_lookup.value(0).toByteArray();
    m_lookup.finish();
    return out;
}

bool AcceptedStore::recordAccepted(const QList<Entry> &entries, QString *error)
{
    if (!m_open)
        return fail(error, tr("%1: the state store is not open").arg(m_path));
    if (entries.isEmpty())
        return true;
    if (!m_db.transaction()) {
        if (error)
            *error = tr("%1: %2").arg(m_path, sqlError(m_db.lastError()));
        return false;
    }
    for (const Entry &e : entries) {
        m_insert.bindValue(0, e.identity);
        m_insert.bindValue(1, e.fingerprint);
        m_insert.bindValue(2, e.acceptedAtMs);
        m_insert.bindValue(3, e.label);
        if (!m_insert.exec()) {
            if (error)
                *error = tr("%1: %2").arg(m_path, sqlError(m_insert.lastError()));
            m_db.rollback();
            return false;
        }
    }
    if (!m_db.commit()) {
        if (error)
            *error = tr("%1: %2").arg(m_path, sqlError(m_db.lastError()));
        m_db.rollback();
        return false;
    }
    return true;
}

std::optional<AcceptedStore::Summary> AcceptedStore::summary(QString *error)
{
    Summary s;
    s.schemaVersion = int(pragma(QStringLiteral("user_version"), error).value_or(0));
    QSqlQuery meta(m_db);
    if (meta.exec(QStringLiteral("SELECT value FROM meta WHERE key = 'destination'")) && meta.next())
        s.destination = meta.value(0).toByteArray();
    QSqlQuery counts(m_db);
    if (!counts.exec(QStringLiteral("SELECT count(*), min(accepted_at), max(accepted_at) FROM accepted"))
        || !counts.next()) {
        if (error)
            *error = tr("%1: %2").arg(m_path, sqlError(counts.lastError()));
        return std::nullopt;
    }
    s.rows = counts.value(0).toLongLong();
    s.firstAcceptedMs = counts.value(1).toLongLong();
    s.lastAcceptedMs = counts.value(2).toLongLong();
    return s;
}

QList<AcceptedStore::Entry> AcceptedStore::recent(int limit, const QByteArray &label, QString *error)
{
    QSqlQuery query(m_db);
    query.prepare(label.isEmpty() ? QStringLiteral("SELECT identity, fingerprint, accepted_at, label FROM accepted "
                                                   "ORDER BY accepted_at DESC LIMIT ?")
                                  : QStringLiteral("SELECT identity, fingerprint, accepted_at, label FROM accepted "
                                                   "WHERE label = ? ORDER BY accepted_at DESC LIMIT ?"));
    if (!label.isEmpty())
        query.addBindValue(label);
    query.addBindValue(limit);
    QList<Entry> out;
    if (!query.exec()) {
        if (error)
            *error = tr("%1: %2").arg(m_path, sqlError(query.lastError()));
        return out;
    }
    while (query.next())
        out.append(Entry{query.value(0).toByteArray(), query.value(1).toByteArray(), query.value(2).toLongLong(),
                         query.value(3).toByteArray()});
    return out;
}

bool AcceptedStore::remove(const QString &path, QString *error)
{
    for (const QString &suffix : {QStringLiteral("-wal"), QStringLiteral("-shm"), QStringLiteral("-journal")})
        QFile::remove(path + suffix);
    if (QFile::exists(path) && !QFile::remove(path)) {
        if (error)
            *error = tr("%1: cannot remove the state store").arg(path);
        return false;
    }
    return true;
}

} // namespace headroom::state
