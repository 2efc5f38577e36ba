#pragma once

#include "core/imports/ImportProfile.h"
#include "core/imports/MappedRow.h"
#include "core/imports/Mapping.h"
#include "core/imports/PayloadRules.h"
#include "core/imports/Record.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace headroom::imports {

// Turns one record into one operation for a profile: picks the id, event and
// other special columns, converts typed columns, builds the attribute object,
// and checks the per-field payload rules (attribute count, name and value
// sizes, event name and data sizes). Works on bytes: no QString per cell.
class RowMapper
{
public:
    struct Failure
    {
        QString message;
        bool payloadRule = false; // a documented API limit, as opposed to a mapping error
    };

    RowMapper(Profile profile, const Mapping &mapping);

    // CSV: resolves column names once. False (with a message) when a required
    // column is missing, e.g. the `id` column.
    bool bindColumns(const QList<QByteArray> &columns, QString *error);
    bool map(const Record &record, MappedRow &out, Failure *failure);

    Profile profile() const { return m_profile; }
    const PayloadRules &rules() const { return m_rules; }
    // The operation for CSV after bindColumns() (JSON decides per record).
    Operation operation() const { return m_operation; }

private:
    struct Column
    {
        int index = -1;
        QByteArray outName; // JSON-encoded name followed by ':'
        qsizetype nameBytes = 0;
        QByteArray name; // as in the file, for messages
        ColumnType type = ColumnType::String;
    };

    Operation resolve(bool hasEvent) const;
    void checkRequired(Operation op, bool hasId, bool hasEvent, bool hasAnon, bool hasEmail,
                       QStringList *problems) const;
    bool isSpecial(QByteArrayView name, Operation op) const;
    bool appendTyped(QByteArrayView text, ColumnType type, const QByteArray &name, Failure *failure);
    bool isoTimestamps() const;
    bool finish(MappedRow &out, Failure *failure);
    bool checkPathValues(const MappedRow &out, Failure *failure) const;
    bool addField(const QByteArray &jsonName, qsizetype nameBytes, const QByteArray &name,
                  qsizetype valueBytes, MappedRow &out, Failure *failure);
    bool mapCsv(const Record &record, MappedRow &out, Failure *failure);
    bool mapJson(const Record &record, MappedRow &out, Failure *failure);
    bool mapRequest(const Record &record, MappedRow &out, Failure *failure);

    Profile m_profile;
    Mapping m_mapping;
    PayloadRules m_rules;
    Operation m_operation = Operation::Auto;
    // CSV column indices (-1 when absent).
    int m_id = -1, m_event = -1, m_eventId = -1, m_anon = -1, m_timestamp = -1, m_email = -1;
    int m_transactionalId = -1, m_campaign = -1;
    QList<Column> m_attributes;
    QByteArray m_value; // scratch for one value
};

} // namespace headroom::imports
