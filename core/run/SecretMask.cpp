#include "core/run/SecretMask.h"

#include <algorithm>

namespace headroom::run {

SecretMask::SecretMask(const QList<QByteArray> &secrets)
{
    // Longest first: a secret that contains another is masked whole.
    QList<QByteArray> sorted;
    for (const QByteArray &secret : secrets) {
        if (!secret.isEmpty() && !sorted.contains(secret))
            sorted.append(secret);
    }
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const QByteArray &a, const QByteArray &b) { return a.size() > b.size(); });
    for (const QByteArray &secret : std::as_const(sorted))
        m_matchers.emplace_back(secret);
}

void SecretMask::apply(QByteArray &text, qsizetype from) const
{
    static const QByteArray kMask = QByteArrayLiteral("***");
    for (const QByteArrayMatcher &matcher : m_matchers) {
        qsizetype at = matcher.indexIn(text, from);
        while (at >= 0) {
            text.replace(at, matcher.pattern().size(), kMask);
            at = matcher.indexIn(text, at + kMask.size());
        }
    }
}

QByteArray SecretMask::maskedLeft(QByteArray text, qsizetype limit) const
{
    apply(text);
    if (text.size() > limit)
        text.truncate(limit);
    return text;
}

qsizetype SecretMask::applyToCut(QByteArray &text, qsizetype cutAt, qsizetype from) const
{
    static const QByteArray kMask = QByteArrayLiteral("***");
    cutAt = qMin(cutAt, text.size());
    qsizetype longest = 0;
    for (const QByteArrayMatcher &matcher : m_matchers) {
        const QByteArray secret = matcher.pattern(); // by value: a view of it would dangle
        // Whole secrets were masked already: only a proper prefix can remain.
        for (qsizetype n = qMin(secret.size() - 1, cutAt - from); n > longest; --n) {
            if (QByteArrayView(text).sliced(cutAt - n, n) == QByteArrayView(secret).first(n)) {
                longest = n;
                break;
            }
        }
    }
    if (longest == 0)
        return cutAt;
    text.replace(cutAt - longest, longest, kMask);
    return cutAt - longest + kMask.size();
}

} // namespace headroom::run
