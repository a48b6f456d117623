#include "noticeboard.h"

namespace qc::services {

NoticeBoard::NoticeBoard(QObject* parent)
    : QObject(parent)
{
}

void NoticeBoard::post(const Notice& notice)
{
    for (Notice& n : m_notices) {
        if (n.key == notice.key) {
            if (n == notice)
                return;
            n = notice;
            Q_EMIT changed();
            return;
        }
    }
    m_notices.append(notice);
    Q_EMIT changed();
}

void NoticeBoard::clear(const QString& key)
{
    if (m_notices.removeIf([&](const Notice& n) { return n.key == key; }) > 0)
        Q_EMIT changed();
}

void NoticeBoard::clearPrefix(const QString& prefix)
{
    if (m_notices.removeIf([&](const Notice& n) { return n.key.startsWith(prefix); }) > 0)
        Q_EMIT changed();
}

void NoticeBoard::clearAll()
{
    if (m_notices.isEmpty())
        return;
    m_notices.clear();
    Q_EMIT changed();
}

const Notice* NoticeBoard::find(const QString& key) const
{
    for (const Notice& n : m_notices) {
        if (n.key == key)
            return &n;
    }
    return nullptr;
}

void NoticeBoard::trigger(const QString& key)
{
    if (const Notice* n = find(key))
        Q_EMIT actionRequested(n->key, n->actionId);
}

} // namespace qc::services
