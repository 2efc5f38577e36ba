#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace headroom::state {

// JSON text in one spelling per value: objects' members sorted by key, no
// whitespace, every scalar kept as written (a number's digits are not rounded
// through a double, so 12345678901234567 and ...568 stay apart). Text that is
// not JSON is returned unchanged. A scanner rather than QJsonDocument: it runs
// once per row and a document per row would cost the run its pace.
class CanonicalJson
{
public:
    static QByteArray of(QByteArrayView json);

private:
    explicit CanonicalJson(QByteArrayView text)
        : m_text(text)
    {
    }
    bool value(QByteArray &out, int depth);
    bool object(QByteArray &out, int depth);
    bool array(QByteArray &out, int depth);
    bool string(QByteArray &out);
    bool scalar(QByteArray &out);
    void skipSpace();

    QByteArrayView m_text;
    qsizetype m_pos = 0;
};

} // namespace headroom::state
