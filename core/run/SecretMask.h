#pragma once

#include <QByteArray>
#include <QByteArrayMatcher>
#include <QList>

#include <vector>

namespace headroom::run {

// Replaces every occurrence of a run's secrets (API keys, their Basic-auth
// forms) with "***" in a line about to be written: the last line of defence
// of the run log and the dead letters. The search tables are built once:
// QByteArray::contains() builds one per call, for every secret on every line
// the engine thread writes.
class SecretMask
{
public:
    SecretMask() = default;
    explicit SecretMask(const QList<QByteArray> &secrets);

    // Masks from `from` on: the line just appended to a buffer.
    void apply(QByteArray &text, qsizetype from = 0) const;
    // Masks every secret, then keeps at most `limit` bytes: cutting first
    // would leave a secret's first bytes where the mask no longer finds it.
    QByteArray maskedLeft(QByteArray text, qsizetype limit) const;
    // For text that was cut elsewhere before it could be masked: the bytes
    // just before `cutAt` (and not before `from`) that begin a secret are
    // masked, since the rest of that secret is gone. Returns where the cut is now.
    qsizetype applyToCut(QByteArray &text, qsizetype cutAt, qsizetype from = 0) const;
    bool isEmpty() const { return m_matchers.empty(); }

private:
    std::vector<QByteArrayMatcher> m_matchers;
};

} // namespace headroom::run
