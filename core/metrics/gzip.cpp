#include "metrics/gzip.h"

#include <zlib.h>

namespace qc::metrics {

using namespace Qt::StringLiterals;

bool looksGzipped(QByteArrayView data)
{
    return data.size() >= 2 && static_cast<unsigned char>(data[0]) == 0x1f
        && static_cast<unsigned char>(data[1]) == 0x8b;
}

DecodedBody gunzip(QByteArrayView compressed, qsizetype maxSize)
{
    DecodedBody result;
    if (!looksGzipped(compressed)) {
        result.error = u"the body is not gzip data (it does not start with 1f 8b)"_s;
        return result;
    }
    z_stream stream {};
    // 16 + MAX_WBITS: expect a gzip header and trailer, not a raw zlib stream.
    if (inflateInit2(&stream, 16 + MAX_WBITS) != Z_OK) {
        result.error = u"zlib could not start inflating"_s;
        return result;
    }
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream.avail_in = static_cast<uInt>(compressed.size());
    QByteArray out;
    out.resize(std::min<qsizetype>(std::max<qsizetype>(compressed.size() * 4, 4096), maxSize));
    qsizetype produced = 0;
    int status = Z_OK;
    while (true) {
        if (produced == out.size()) {
            if (out.size() >= maxSize) {
                result.error = u"the gzip body inflates to more than "_s % QString::number(maxSize)
                    % u" bytes; refusing to go on"_s;
                inflateEnd(&stream);
                return result;
            }
            out.resize(std::min(out.size() * 2, maxSize));
        }
        stream.next_out = reinterpret_cast<Bytef*>(out.data() + produced);
        stream.avail_out = static_cast<uInt>(out.size() - produced);
        status = inflate(&stream, Z_NO_FLUSH);
        produced = out.size() - qsizetype(stream.avail_out);
        if (status == Z_STREAM_END) {
            if (stream.avail_in == 0)
                break;
            // Another member follows (concatenated gzip files are one valid stream).
            if (inflateReset(&stream) != Z_OK)
                break;
            continue;
        }
        if (status == Z_BUF_ERROR && stream.avail_in == 0) {
            result.error = u"the gzip body is truncated"_s;
            inflateEnd(&stream);
            return result;
        }
        if (status != Z_OK && status != Z_BUF_ERROR) {
            result.error = u"the gzip body is corrupt: "_s
                % (stream.msg ? QString::fromLatin1(stream.msg)
                              : u"zlib error "_s % QString::number(status));
            inflateEnd(&stream);
            return result;
        }
    }
    inflateEnd(&stream);
    out.truncate(produced);
    result.bytes = std::move(out);
    return result;
}

QByteArray gzip(QByteArrayView data)
{
    z_stream stream {};
    deflateInit2(&stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    QByteArray out;
    out.resize(qsizetype(deflateBound(&stream, uLong(data.size()))) + 32);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    deflate(&stream, Z_FINISH);
    out.truncate(out.size() - qsizetype(stream.avail_out));
    deflateEnd(&stream);
    return out;
}

} // namespace qc::metrics
