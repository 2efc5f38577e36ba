#pragma once

#include <QByteArray>
#include <QByteArrayMatcher>
#include <QList>

#include <vector>

namespace headroom::run {

// Replaces every occurrence of a run's secrets (API keys, their Basic-auth
// forms) with "***" in a line about to be written: the last line of defence
// of the run log and the dead letters. The search tables are built once;
// QByteArray::contains() builds one per call, which was 4 % of the engine
// thread at 5,000 requests/s.
class SecretMask
{
public:
    SecretMask() = default;
    explicit SecretMask(const QList<QByteArray> &secrets);

    // Masks from `from` on: the line just appended to a buffer.
    void apply(QByteArray &text, qsizetype from = 0) const;
    bool isEmpty() const { return m_matchers.empty(); }

private:
    std::vector<QByteArrayMatcher> m_matchers;
};

} // namespace headroom::run
