#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>

namespace qc::metrics {

/// The result of undoing a Content-Encoding: the bytes, or why they could not be had.
struct DecodedBody {
    QByteArray bytes;
    QString error; // empty on success
};

/// Inflates a gzip body (RFC 1952; several members in a row are allowed). Refuses to inflate
/// past `maxSize` bytes so that a hostile endpoint cannot exhaust memory with a small body.
DecodedBody gunzip(QByteArrayView compressed, qsizetype maxSize = qsizetype(512) << 20);

/// Compresses to a single gzip member (used by tests and by the demo exposition server).
QByteArray gzip(QByteArrayView data);

/// True when the bytes start with the gzip magic number.
bool looksGzipped(QByteArrayView data);

} // namespace qc::metrics
