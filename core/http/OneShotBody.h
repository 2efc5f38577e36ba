#pragma once

#include <QByteArray>
#include <QIODevice>

namespace headroom::http {

// A request body that can be read once and never rewound. Qt 6.4's HTTP/1.1
// channel sends a request again on its own when the connection closes before
// an answer (a kept-alive connection the server dropped), whatever the
// method; a request that must not reach the server twice is given this body,
// so that resend fails (ContentReSendError) and the caller learns the attempt
// may have been applied instead of it silently happening twice.
class OneShotBody final : public QIODevice
{
    Q_OBJECT
public:
    explicit OneShotBody(QByteArray bytes, QObject *parent = nullptr);

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;
    bool reset() override { return false; }
    qint64 size() const override { return m_bytes.size(); }

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_bytes;
    qint64 m_read = 0;
};

} // namespace headroom::http
