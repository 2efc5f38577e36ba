#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace headroom::run {

// What one attempt came to, and so what a row ends as: delivered (the server
// accepted it), rejected (it did not act, and says why, in a class the
// operator can act on) or ambiguous (it may have acted: the request left and
// no whole answer came back, or a write met a 5xx). Pure: it reads the facts
// of the attempt and decides nothing about retries.
struct AttemptOutcome
{
    enum class Kind { Delivered,
                      Rejected,
                      Ambiguous };
    enum class RejectClass { Identifier,
                             Size,
                             Schema,
                             Auth,
                             Rate,
                             Other };

    Kind kind = Kind::Delivered;
    RejectClass rejectClass = RejectClass::Other; // Rejected only

    // The facts of one attempt as the Dispatcher saw them.
    struct Facts
    {
        QByteArray method;   // "POST", "GET", ...
        int answered = 0;    // the status line's code, 0 when none arrived
        bool cutOff = false; // the body ended before its Content-Length (or passed the cap)
        bool sent = false;   // the request was written to its socket
        bool timedOut = false;
        bool transportError = false;
        QByteArrayView body; // the answer's first bytes: a 400 says which field
    };

    static AttemptOutcome classify(const Facts &facts);
    // A rejection told in words: a bad row before sending (a payload rule is a
    // size), or one item of a batch the server refused.
    static AttemptOutcome ofProblem(bool payloadRule, const QString &message);

    // Whether the API drops a resent copy of `operation` (a key or an
    // idempotent write), so an ambiguous attempt may be sent again as is.
    // Transactional sends and broadcast triggers are neither, also when they
    // come back as request lines (a re-driven dead letter): then the path
    // (relative to the base URL) tells them.
    static bool resendIsSafe(const QString &operation, const QString &path = {});

    static QString kindName(Kind kind);
    static QString rejectClassName(RejectClass rejectClass);
    // "delivered", "ambiguous", "rejected:schema": for the run log.
    QString name() const;

    bool operator==(const AttemptOutcome &other) const = default;
};

} // namespace headroom::run
