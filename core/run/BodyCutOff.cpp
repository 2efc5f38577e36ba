#include "core/run/BodyCutOff.h"

namespace headroom::run {

QString BodyCutOff::reason(const Facts &facts)
{
    if (facts.oversized)
        return tr("response body over %1 bytes: aborted").arg(facts.maxBytes);
    const int status = facts.status;
    if (status <= 0 || facts.timedOut)
        return QString();
    // Qt sets an error on a 2xx only when the transfer itself failed.
    if (status >= 200 && status <= 299 && facts.transferFailed)
        return tr("HTTP %1 whose body was cut off: %2").arg(status).arg(facts.errorText);
    // A connection closed early can also end a reply without an error. A
    // decoded (compressed) body has no comparable length, and HEAD, 204 and
    // 304 carry none.
    if (!facts.announced || facts.encoded || status == 204 || status == 304 || facts.head)
        return QString();
    if (facts.bodySize < *facts.announced)
        return tr("HTTP %1 whose body was cut off: %2 of %3 bytes").arg(status).arg(facts.bodySize).arg(*facts.announced);
    return QString();
}

} // namespace headroom::run
