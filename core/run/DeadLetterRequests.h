#pragma once

#include <QString>

#include <optional>

namespace headroom::run {

// Makes a dead-letter file importable again: each line that carries a request
// becomes a plain request-file line ({"method","path","body"}) that the
// "generic" reader sends as is — through the lane of the profile the dead
// letters came from (auth and limits), so the file needs no mapping. Lines of
// rows rejected before sending have no request; they are counted, not sent
// (fix the original row instead).
class DeadLetterRequests
{
public:
    struct Result
    {
        QString profile;        // from the lines' _headroom.profile (first one seen)
        qint64 requests = 0;    // lines written
        qint64 unsendable = 0;  // dead letters without a request
    };

    // When the file's first non-empty line is a dead letter: the profile it
    // names (may be empty). nullopt: not a dead-letter file.
    static std::optional<QString> profileOf(const QString &path);
    static std::optional<Result> convert(const QString &inPath, const QString &outPath, QString *error);
};

} // namespace headroom::run
