#pragma once

#include <QCoreApplication>
#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace headroom::scopes {

// A path such as `/v1/campaigns/{campaign}/triggers`, matched segment by
// segment: a literal segment matches itself, `{name}` binds one non-empty
// segment. Paths are compared after splitting on '/' and percent-decoding each
// segment, so an encoded '/' stays inside its segment and `%65mail` is `email`.
// One trailing slash is insignificant on both sides, since servers commonly
// route `/x/` as `/x` and the request must then count against `/x`'s scope.
class PathTemplate
{
    Q_DECLARE_TR_FUNCTIONS(PathTemplate)
public:
    using Bindings = QHash<QString, QString>;

    // Empty with `error` set when the text is not a template.
    static std::optional<PathTemplate> parse(const QString &text, QString *error = nullptr);

    // The variables bound, or empty when the path does not match.
    std::optional<Bindings> match(const QString &path) const;

    QString text() const { return m_text; }
    QStringList variables() const;

    // The decoded segments of a request path, without its query or fragment;
    // empty for a path a server could normalise into another one (`.` or `..`,
    // encoded or not), which therefore cannot be trusted to a template.
    static std::optional<QStringList> pathSegments(const QString &path);

private:
    struct Segment
    {
        QString literal;
        QString variable; // set: binds one segment
    };
    QString m_text;
    QList<Segment> m_segments;
};

} // namespace headroom::scopes
