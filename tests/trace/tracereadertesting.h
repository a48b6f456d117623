#pragma once

// What the trace reader tests share: texts of a read, its errors, a time to start from.

#include "enforcement/headers.h"
#include "trace/trace.h"

#include <QString>
#include <QStringList>

namespace qc::trace::testing {

inline QString text(const Trace& trace, qc::enforcement::Field field, std::uint32_t id)
{
    const std::string_view t = trace.dictionary->text(field, id);
    return QString::fromUtf8(t.data(), qsizetype(t.size()));
}

inline QString errorsOf(const ReadResult& r)
{
    QStringList out;
    for (const TraceError& e : r.errors)
        out.append(e.toString());
    if (!r.fatal.isEmpty())
        out.append(QStringLiteral("fatal: ") + r.fatal);
    return out.join(u'\n');
}

inline QString reasonName(qc::enforcement::Reason reason)
{
    const std::string_view t = qc::enforcement::toString(reason);
    return QString::fromUtf8(t.data(), qsizetype(t.size()));
}

inline constexpr qc::enforcement::TimeMs kT0 = 1767621900123; // 2026-01-05T14:05:00.123Z

} // namespace qc::trace::testing
