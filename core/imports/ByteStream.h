#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

#include <memory>

class QIODevice;

namespace headroom::imports {

// Delivers a file (or an in-memory buffer, for tests and fuzzing) through a
// sliding window filled one chunk at a time, so readers scan records without
// ever holding the whole file: memory is one chunk plus the longest record.
class ByteStream
{
public:
    static constexpr qsizetype kDefaultChunk = 1 << 20;

    explicit ByteStream(qsizetype chunkBytes = kDefaultChunk);
    ~ByteStream();
    ByteStream(const ByteStream &) = delete;
    ByteStream &operator=(const ByteStream &) = delete;

    bool openFile(const QString &path);
    void openBytes(const QByteArray &bytes);
    QString errorString() const { return m_error; }

    // Unconsumed bytes currently in memory; valid until the next fill() or consume().
    const char *data() const { return m_buf.constData() + m_pos; }
    qsizetype available() const { return m_buf.size() - m_pos; }
    QByteArrayView window() const { return QByteArrayView(data(), available()); }
    void consume(qsizetype n) { m_pos += n; }

    // Drops consumed bytes and appends the next chunk. False when nothing more
    // could be read (end of file or a read error; see failed()).
    bool fill();
    bool atEof() const { return m_eof; }
    bool failed() const { return !m_error.isEmpty(); }

    // Skips a UTF-8 byte order mark at the very start, if there is one.
    void skipBom();

    qint64 consumedBytes() const { return m_base + m_pos; }
    qint64 totalBytes() const { return m_total; }

private:
    std::unique_ptr<QIODevice> m_device;
    QByteArray m_buf;
    qsizetype m_pos = 0;
    qint64 m_base = 0; // file offset of m_buf[0]
    qint64 m_total = 0;
    qsizetype m_chunk;
    bool m_eof = false;
    QString m_error;
};

} // namespace headroom::imports
