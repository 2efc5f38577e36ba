#pragma once

#include <QByteArray>
#include <QList>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

#include <optional>

namespace headroom::state {

// What one destination accepted: for each row identity, the fingerprint of
// the payload it last accepted and when. An embedded SQLite database (Qt
// SQL's QSQLITE driver) in WAL mode; a batch of acceptances is one
// transaction, so a killed process leaves the store as it was before the
// batch or after it, never half of it.
//
// A connection belongs to the thread that opened it: open, use and close
// the store on one thread.
class AcceptedStore
{
public:
    static constexpr int kSchemaVersion = 1;
    // PRAGMA application_id: "HDRS". A SQLite file of another program is refused.
    static constexpr qint32 kApplicationId = 0x48445253;

    struct Entry
    {
        QByteArray identity;     // PayloadFingerprint::identityOf
        QByteArray fingerprint;  // PayloadFingerprint::fingerprintOf
        qint64 acceptedAtMs = 0; // Unix ms
        QByteArray label;        // the person or resource, for people
    };

    struct Summary
    {
        QByteArray destination;
        int schemaVersion = 0;
        qint64 rows = 0;
        qint64 firstAcceptedMs = 0;
        qint64 lastAcceptedMs = 0;
    };

    enum class OpenMode { Create,
                          Existing };

    explicit AcceptedStore(QString path);
    ~AcceptedStore();
    AcceptedStore(const AcceptedStore &) = delete;
    AcceptedStore &operator=(const AcceptedStore &) = delete;

    // Opens (or with Create makes, 0600 in a 0700 directory) the store and
    // checks it is one of ours, of a schema this build reads and, when
    // `destination` is given, of that destination. Errors name the file.
    bool open(const QByteArray &destination, OpenMode mode, QString *error);
    void close();
    bool isOpen() const { return m_open; }
    QString path() const { return m_path; }

    // The fingerprint last accepted for `identity`; nullopt for none. `error`
    // is set when the database could not answer.
    std::optional<QByteArray> lookup(const QByteArray &identity, QString *error = nullptr);
    // One transaction for the whole batch; a later entry for an identity wins.
    bool recordAccepted(const QList<Entry> &entries, QString *error);
    std::optional<Summary> summary(QString *error);
    // The latest acceptances first, or those of one label.
    QList<Entry> recent(int limit, const QByteArray &label, QString *error);

    qint64 lookups() const { return m_lookups; }

    // Deletes the store's files (the database, its WAL and shared memory).
    static bool remove(const QString &path, QString *error);

private:
    bool fail(QString *error, const QString &message);
    bool exec(const QString &sql, QString *error);
    bool createSchema(const QByteArray &destination, QString *error);
    bool checkSchema(const QByteArray &destination, QString *error);
    std::optional<qint64> pragma(const QString &name, QString *error);

    QString m_path;
    QString m_connection;
    QSqlDatabase m_db;
    QSqlQuery m_lookup;
    QSqlQuery m_insert;
    bool m_open = false;
    qint64 m_lookups = 0;
};

} // namespace headroom::state
