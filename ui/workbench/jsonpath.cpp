#include "jsonpath.h"

#include <QJsonArray>

#include <algorithm>

using namespace Qt::StringLiterals;

namespace qc::workbench {

JsonPath JsonPath::parse(QStringView text)
{
    JsonPath path;
    if (text == u"policy")
        return path;
    if (text.startsWith(u"policy."))
        text = text.mid(7);
    else if (text.startsWith(u"policy["))
        text = text.mid(6);
    qsizetype i = 0;
    QString key;
    auto flushKey = [&] {
        if (!key.isEmpty())
            path.m_steps.push_back(PathStep::member(key));
        key.clear();
    };
    while (i < text.size()) {
        const QChar c = text.at(i);
        if (c == u'.') {
            flushKey();
            ++i;
        } else if (c == u'[') {
            flushKey();
            const qsizetype close = text.indexOf(u']', i);
            if (close < 0) {
                key = text.mid(i).toString();
                break;
            }
            bool ok = false;
            const int index = text.mid(i + 1, close - i - 1).toInt(&ok);
            if (ok)
                path.m_steps.push_back(PathStep::at(index));
            else
                path.m_steps.push_back(PathStep::member(text.mid(i + 1, close - i - 1).toString()));
            i = close + 1;
        } else {
            key += c;
            ++i;
        }
    }
    flushKey();
    return path;
}

JsonPath JsonPath::operator/(const QString& key) const
{
    JsonPath p = *this;
    p.m_steps.push_back(PathStep::member(key));
    return p;
}

JsonPath JsonPath::operator/(int index) const
{
    JsonPath p = *this;
    p.m_steps.push_back(PathStep::at(index));
    return p;
}

JsonPath JsonPath::parent() const
{
    JsonPath p = *this;
    if (!p.m_steps.isEmpty())
        p.m_steps.removeLast();
    return p;
}

bool JsonPath::startsWith(const JsonPath& other) const
{
    if (other.m_steps.size() > m_steps.size())
        return false;
    for (qsizetype i = 0; i < other.m_steps.size(); ++i) {
        if (!(m_steps.at(i) == other.m_steps.at(i)))
            return false;
    }
    return true;
}

QString JsonPath::toString() const
{
    QString out;
    for (const PathStep& step : m_steps) {
        if (step.isIndex()) {
            out += u'[' % QString::number(step.index) % u']';
        } else {
            if (!out.isEmpty())
                out += u'.';
            out += step.key;
        }
    }
    return out;
}

QString JsonPath::toPolicyPath() const
{
    if (m_steps.isEmpty())
        return u"policy"_s;
    return m_steps.constFirst().isIndex() ? u"policy"_s % toString() : u"policy."_s % toString();
}

QJsonValue valueAt(const QJsonObject& root, const JsonPath& path)
{
    QJsonValue current = root;
    for (const PathStep& step : path.steps()) {
        if (step.isIndex()) {
            if (!current.isArray() || step.index >= current.toArray().size())
                return QJsonValue(QJsonValue::Undefined);
            current = current.toArray().at(step.index);
        } else {
            if (!current.isObject())
                return QJsonValue(QJsonValue::Undefined);
            current = current.toObject().value(step.key);
        }
    }
    return current;
}

namespace {

// Sets `value` at steps[from...] inside `container`; returns the changed container.
std::optional<QJsonValue> setIn(const QJsonValue& container, const QList<PathStep>& steps,
    qsizetype from, const QJsonValue& value)
{
    const PathStep& step = steps.at(from);
    const bool last = from + 1 == steps.size();
    if (step.isIndex()) {
        if (!container.isArray() && !container.isUndefined())
            return std::nullopt;
        QJsonArray array = container.toArray();
        if (step.index > array.size())
            return std::nullopt;
        const QJsonValue child = step.index < array.size() ? array.at(step.index) : QJsonValue();
        std::optional<QJsonValue> next = last ? value : setIn(child, steps, from + 1, value);
        if (!next)
            return std::nullopt;
        if (next->isUndefined()) {
            if (step.index < array.size())
                array.removeAt(step.index);
        } else if (step.index == array.size()) {
            array.append(*next);
        } else {
            array.replace(step.index, *next);
        }
        return array;
    }
    if (!container.isObject() && !container.isUndefined() && !container.isNull())
        return std::nullopt;
    QJsonObject object = container.toObject();
    std::optional<QJsonValue> next
        = last ? value : setIn(object.value(step.key), steps, from + 1, value);
    if (!next)
        return std::nullopt;
    if (next->isUndefined())
        object.remove(step.key);
    else
        object.insert(step.key, *next);
    return object;
}

// A recursive-descent scan that records where each value and key is.
class Scanner {
public:
    Scanner(const QString& text, QHash<QString, JsonLocator::Entry>& entries,
        const QList<int>& lineStarts)
        : m_text(text)
        , m_entries(entries)
        , m_lineStarts(lineStarts)
    {
    }

    void run()
    {
        skipSpace();
        value(JsonPath(), std::nullopt);
    }

private:
    TextSpan span(int start, int end) const
    {
        const auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), start);
        const int line = static_cast<int>(it - m_lineStarts.begin());
        return TextSpan { start, std::max(0, end - start), line,
            start - m_lineStarts.at(line - 1) + 1 };
    }

    void skipSpace()
    {
        while (m_pos < m_text.size() && m_text.at(m_pos).isSpace())
            ++m_pos;
    }

    bool atEnd() const { return m_pos >= m_text.size(); }

    // Returns false on a syntax error (the scan stops; what was found stays).
    bool value(const JsonPath& path, std::optional<TextSpan> key)
    {
        if (atEnd())
            return false;
        const int start = static_cast<int>(m_pos);
        const QChar c = m_text.at(m_pos);
        bool ok = true;
        // Record before descending so that a broken container still locates its start.
        const QString name = path.toString();
        m_entries.insert(name, JsonLocator::Entry { span(start, start + 1), key });
        if (c == u'{')
            ok = object(path);
        else if (c == u'[')
            ok = array(path);
        else if (c == u'"')
            ok = string();
        else
            ok = scalar();
        const int end = static_cast<int>(m_pos);
        m_entries[name].value = span(start, std::max(end, start + 1));
        return ok;
    }

    bool object(const JsonPath& path)
    {
        ++m_pos; // {
        skipSpace();
        if (!atEnd() && m_text.at(m_pos) == u'}') {
            ++m_pos;
            return true;
        }
        while (!atEnd()) {
            skipSpace();
            if (atEnd() || m_text.at(m_pos) != u'"')
                return false;
            const int keyStart = static_cast<int>(m_pos);
            if (!string())
                return false;
            const QString keyText = decodeString(keyStart + 1, static_cast<int>(m_pos) - 1);
            const TextSpan keySpan = span(keyStart, static_cast<int>(m_pos));
            skipSpace();
            if (atEnd() || m_text.at(m_pos) != u':')
                return false;
            ++m_pos;
            skipSpace();
            if (!value(path / keyText, keySpan))
                return false;
            skipSpace();
            if (atEnd())
                return false;
            if (m_text.at(m_pos) == u',') {
                ++m_pos;
                continue;
            }
            if (m_text.at(m_pos) == u'}') {
                ++m_pos;
                return true;
            }
            return false;
        }
        return false;
    }

    bool array(const JsonPath& path)
    {
        ++m_pos; // [
        skipSpace();
        if (!atEnd() && m_text.at(m_pos) == u']') {
            ++m_pos;
            return true;
        }
        int index = 0;
        while (!atEnd()) {
            skipSpace();
            if (!value(path / index, std::nullopt))
                return false;
            ++index;
            skipSpace();
            if (atEnd())
                return false;
            if (m_text.at(m_pos) == u',') {
                ++m_pos;
                continue;
            }
            if (m_text.at(m_pos) == u']') {
                ++m_pos;
                return true;
            }
            return false;
        }
        return false;
    }

    bool string()
    {
        ++m_pos; // opening quote
        while (!atEnd()) {
            const QChar c = m_text.at(m_pos);
            if (c == u'\\') {
                m_pos += 2;
                continue;
            }
            ++m_pos;
            if (c == u'"')
                return true;
            if (c == u'\n')
                return false;
        }
        return false;
    }

    bool scalar()
    {
        const qsizetype start = m_pos;
        while (!atEnd()) {
            const QChar c = m_text.at(m_pos);
            if (c == u',' || c == u'}' || c == u']' || c.isSpace())
                break;
            ++m_pos;
        }
        return m_pos > start;
    }

    QString decodeString(int from, int to) const
    {
        QString out;
        for (int i = from; i < to; ++i) {
            const QChar c = m_text.at(i);
            if (c == u'\\' && i + 1 < to) {
                const QChar e = m_text.at(++i);
                switch (e.unicode()) {
                case 'n':
                    out += u'\n';
                    break;
                case 't':
                    out += u'\t';
                    break;
                case 'u':
                    if (i + 4 < to) {
                        out += QChar(m_text.mid(i + 1, 4).toUShort(nullptr, 16));
                        i += 4;
                    }
                    break;
                default:
                    out += e;
                }
            } else {
                out += c;
            }
        }
        return out;
    }

    const QString& m_text;
    QHash<QString, JsonLocator::Entry>& m_entries;
    const QList<int>& m_lineStarts;
    qsizetype m_pos = 0;
};

} // namespace

bool setValueAt(QJsonObject& root, const JsonPath& path, const QJsonValue& value)
{
    if (path.isEmpty()) {
        if (!value.isObject())
            return false;
        root = value.toObject();
        return true;
    }
    const std::optional<QJsonValue> changed = setIn(root, path.steps(), 0, value);
    if (!changed)
        return false;
    root = changed->toObject();
    return true;
}

JsonLocator::JsonLocator(const QString& text)
    : m_length(static_cast<int>(text.size()))
{
    for (qsizetype i = 0; i < text.size(); ++i) {
        if (text.at(i) == u'\n')
            m_lineStarts.push_back(static_cast<int>(i + 1));
    }
    Scanner(text, m_entries, m_lineStarts).run();
}

std::optional<JsonLocator::Entry> JsonLocator::find(const JsonPath& path) const
{
    JsonPath p = path;
    while (true) {
        const auto it = m_entries.constFind(p.toString());
        if (it != m_entries.constEnd())
            return *it;
        if (p.isEmpty())
            return std::nullopt;
        p = p.parent();
    }
}

TextSpan JsonLocator::spanAt(int line, int column) const
{
    line = std::clamp(line, 1, static_cast<int>(m_lineStarts.size()));
    const int lineStart = m_lineStarts.at(line - 1);
    const int lineEnd
        = line < m_lineStarts.size() ? m_lineStarts.at(line) - 1 : std::max(m_length, lineStart);
    const int start = std::clamp(lineStart + std::max(column, 1) - 1, lineStart, lineEnd);
    return TextSpan { start, start < lineEnd ? 1 : 0, line, start - lineStart + 1 };
}

int JsonLocator::lineOf(int position) const
{
    const auto it = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), position);
    return static_cast<int>(it - m_lineStarts.begin());
}

} // namespace qc::workbench
