#include "core/imports/ByteStream.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFile>

namespace headroom::imports {

ByteStream::ByteStream(qsizetype chunkBytes)
    : m_chunk(qMax<qsizetype>(chunkBytes, 16))
{
}

ByteStream::~ByteStream() = default;

bool ByteStream::openFile(const QString &path)
{
    auto file = std::make_unique<QFile>(path);
    if (!file->open(QIODevice::ReadOnly)) {
        m_error = QCoreApplication::translate("imports", "cannot open: %1").arg(file->errorString());
        m_eof = true;
        return false;
    }
    m_total = file->size();
    m_device = std::move(file);
    return true;
}

void ByteStream::openBytes(const QByteArray &bytes)
{
    auto buffer = std::make_unique<QBuffer>();
    buffer->setData(bytes);
    buffer->open(QIODevice::ReadOnly);
    m_total = bytes.size();
    m_device = std::move(buffer);
}

bool ByteStream::fill()
{
    if (m_eof || !m_device)
        return false;
    if (m_pos > 0) {
        m_buf.remove(0, m_pos);
        m_base += m_pos;
        m_pos = 0;
    }
    const qsizetype old = m_buf.size();
    m_buf.resize(old + m_chunk);
    qint64 n = m_device->read(m_buf.data() + old, m_chunk);
    if (n < 0) {
        m_error = QCoreApplication::translate("imports", "read error: %1").arg(m_device->errorString());
        n = 0;
    }
    m_buf.resize(old + qsizetype(n));
    if (n == 0)
        m_eof = true;
    return n > 0;
}

void ByteStream::skipBom()
{
    while (available() < 3 && fill()) {
    }
    if (available() >= 3 && window().first(3) == QByteArrayView("\xEF\xBB\xBF"))
        consume(3);
}

} // namespace headroom::imports
