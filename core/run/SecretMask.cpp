#include "run/SecretMask.h"

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

} // namespace headroom::run
