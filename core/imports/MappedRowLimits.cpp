#include "core/imports/MappedRowLimits.h"

#include <QCoreApplication>

namespace headroom::imports {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("imports", text);
}

bool isEventOp(Operation op)
{
    return op == Operation::Track || op == Operation::AnonymousTrack;
}

} // namespace

QString MappedRowLimits::refusal(const MappedRow &row, const PayloadRules &rules)
{
    if (rules.maxAttributes <= 0)
        return {};
    if (row.operation == Operation::Identify && row.fieldCount > rules.maxAttributes)
        return tr("payload rule: %1 attributes; Customer.io allows %2 per identify").arg(row.fieldCount).arg(rules.maxAttributes);
    if (!isEventOp(row.operation))
        return {};
    if (row.eventName.size() > rules.maxEventNameBytes) {
        return tr("payload rule: event name is %1 bytes; Customer.io allows %2")
            .arg(row.eventName.size())
            .arg(rules.maxEventNameBytes);
    }
    if (row.fields.size() > rules.maxEventDataBytes) {
        return tr("payload rule: event data is %1 bytes; Customer.io allows %2")
            .arg(row.fields.size())
            .arg(rules.maxEventDataBytes);
    }
    return {};
}

} // namespace headroom::imports
