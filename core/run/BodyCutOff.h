#pragma once

#include <QCoreApplication>
#include <QString>

#include <optional>

namespace headroom::run {

// Why an answer's body is not the whole answer: over the engine's cap, or the
// transfer ended before Content-Length bytes. Such an answer is ambiguous,
// never done. Pure: the Dispatcher reads the facts off its finished reply.
class BodyCutOff
{
    Q_DECLARE_TR_FUNCTIONS(BodyCutOff)
public:
    struct Facts
    {
        bool oversized = false; // aborted for a body over `maxBytes`
        qint64 maxBytes = 0;
        bool timedOut = false;
        int status = 0;              // the HTTP status; 0: no answer
        bool transferFailed = false; // the reply ended with an error
        QString errorText;
        std::optional<qint64> announced; // Content-Length
        bool encoded = false;            // Content-Encoding set: the body is decoded
        bool head = false;
        qint64 bodySize = 0;
    };

    // Empty when the body is whole (or there is no answer to judge).
    static QString reason(const Facts &facts);
};

} // namespace headroom::run
