#include "core/run/OutcomeCounts.h"

#include <QCoreApplication>
#include <QStringList>

namespace headroom::run {

void OutcomeCounts::countRows(const AttemptOutcome &outcome, qint64 rows)
{
    switch (outcome.kind) {
    case AttemptOutcome::Kind::Delivered: delivered += rows; break;
    case AttemptOutcome::Kind::Ambiguous: ambiguous += rows; break;
    case AttemptOutcome::Kind::Rejected: rejectedBy[size_t(outcome.rejectClass)] += rows; break;
    }
}

qint64 OutcomeCounts::rejected() const
{
    qint64 n = 0;
    for (qint64 c : rejectedBy)
        n += c;
    return n;
}

QString OutcomeCounts::text() const
{
    QStringList classes;
    for (int c = 0; c < kRejectClasses; ++c) {
        if (rejectedBy[size_t(c)] > 0)
            classes << AttemptOutcome::rejectClassName(AttemptOutcome::RejectClass(c)) + QLatin1Char(' ')
                           + QString::number(rejectedBy[size_t(c)]);
    }
    QString out = QCoreApplication::translate("OutcomeCounts", "%1 delivered, %2 rejected").arg(delivered).arg(rejected());
    if (!classes.isEmpty())
        out += QStringLiteral(" (") + classes.join(QStringLiteral(", ")) + QLatin1Char(')');
    return out + QCoreApplication::translate("OutcomeCounts", ", %1 ambiguous").arg(ambiguous);
}

} // namespace headroom::run
