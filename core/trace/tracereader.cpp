// Trace reading. Traces reach tens of millions of rows, so the CSV path works on the memory-mapped
// bytes: fields are views into the mapping, interned straight from there, and the common
// timestamp forms are decoded without a general parser. Only quoted fields with escapes and
// JSON strings with escapes are copied, into one reused scratch buffer.

#include "tracereader_p.h"

#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <cstring>

#if defined(Q_OS_UNIX)
#include <sys/mman.h>
#endif

using namespace Qt::StringLiterals;
namespace ef = qc::enforcement;

namespace qc::trace {

namespace {

using namespace detail;

Format sniff(const char* data, qint64 size)
{
    for (qint64 i = 0; i < size; ++i) {
        const char c = data[i];
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n')
            continue;
        if (i == 0 && size >= 3 && std::memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
            i += 2;
            continue;
        }
        return c == '{' ? Format::Jsonl : Format::Csv;
    }
    return Format::Csv;
}

void readBytes(const char* data, qint64 size, Format format, const ReadOptions& options,
    ReadResult& result, const ChunkSink* sink = nullptr)
{
    if (format == Format::Auto)
        format = sniff(data, size);
    if (format == Format::Jsonl)
        readJsonl(data, size, options, result, sink);
    else
        readCsv(data, size, options, result, sink);
}

ReadResult prepared(std::shared_ptr<ef::Dictionary> dictionary)
{
    ReadResult result;
    result.trace.dictionary
        = dictionary ? std::move(dictionary) : std::make_shared<ef::Dictionary>();
    return result;
}

} // namespace

QString TraceError::toString() const
{
    if (line <= 0)
        return message;
    return u"line "_s + QString::number(line) + u": "_s + message;
}

std::uint32_t Trace::internRule(std::string_view name)
{
    if (name.empty())
        return 0;
    for (std::size_t i = 1; i < ruleNames.size(); ++i) {
        if (ruleNames[i] == name)
            return static_cast<std::uint32_t>(i);
    }
    ruleNames.emplace_back(name);
    return static_cast<std::uint32_t>(ruleNames.size() - 1);
}

qint64 Trace::lineOf(std::size_t i) const
{
    return i < lines.size() ? lines[i] : static_cast<qint64>(i) + 2;
}

namespace {

ReadResult readFile(const QString& path, const ReadOptions& options,
    std::shared_ptr<ef::Dictionary> dictionary, Format format, ChunkSink* sink)
{
    ReadResult result = prepared(std::move(dictionary));
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        result.fatal = u"cannot open the trace "_s + path + u": "_s + file.errorString();
        return result;
    }
    if (format == Format::Auto) {
        const QString suffix = QFileInfo(path).suffix().toLower();
        if (suffix == u"csv"_s)
            format = Format::Csv;
        else if (suffix == u"jsonl"_s || suffix == u"ndjson"_s)
            format = Format::Jsonl;
    }
    const qint64 size = file.size();
    if (size == 0) {
        if (format != Format::Jsonl)
            result.fatal
                = u"the trace "_s + path + u" is empty; a CSV trace starts with a header row"_s;
        return result;
    }
    // Mapping avoids copying gigabytes; a file that cannot be mapped (a pipe, some file
    // systems) is read into memory instead.
    if (const uchar* mapped = file.map(0, size)) {
#if defined(Q_OS_UNIX)
        // One front-to-back pass: let the kernel read ahead instead of faulting page by page.
        ::madvise(const_cast<uchar*>(mapped), static_cast<std::size_t>(size), MADV_SEQUENTIAL);
        ::madvise(const_cast<uchar*>(mapped), static_cast<std::size_t>(size), MADV_WILLNEED);
        if (sink != nullptr)
            sink->mapped = true;
#endif
        readBytes(reinterpret_cast<const char*>(mapped), size, format, options, result, sink);
        file.unmap(const_cast<uchar*>(mapped));
    } else {
        const QByteArray data = file.readAll();
        if (sink != nullptr)
            sink->mapped = false;
        readBytes(data.constData(), data.size(), format, options, result, sink);
    }
    if (!result.fatal.isEmpty() && !result.fatal.startsWith(u"line "_s))
        result.fatal = path + u": "_s + result.fatal;
    return result;
}

} // namespace

ReadResult readTrace(const QString& path, const ReadOptions& options,
    std::shared_ptr<ef::Dictionary> dictionary, Format format)
{
    return readFile(path, options, std::move(dictionary), format, nullptr);
}

ReadResult readTraceChunks(const QString& path, const ReadOptions& options,
    std::shared_ptr<ef::Dictionary> dictionary, const std::function<bool(Trace&&)>& consume,
    std::size_t chunkRows, Format format, ChunkPool* pool)
{
    ChunkSink sink { std::max<std::size_t>(1, chunkRows), consume, pool };
    return readFile(path, options, std::move(dictionary), format, &sink);
}

ReadResult readTraceData(const QByteArray& data, Format format, const ReadOptions& options,
    std::shared_ptr<ef::Dictionary> dictionary)
{
    ReadResult result = prepared(std::move(dictionary));
    if (data.isEmpty()) {
        if (format != Format::Jsonl)
            result.fatal = u"the trace is empty; a CSV trace starts with a header row"_s;
        return result;
    }
    readBytes(data.constData(), data.size(), format, options, result);
    return result;
}

} // namespace qc::trace
