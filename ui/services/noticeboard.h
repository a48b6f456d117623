#pragma once

#include <QDateTime>
#include <QList>
#include <QObject>
#include <QString>

namespace qc::services {

/// A message for the banner area above the pages: something the admin must know now
/// ("database unreachable since 14:05 — retrying in 8 s", "endpoint gateway-2: connection
/// refused"). Keyed, so that the source updates or clears its own notice.
struct Notice {
    enum class Severity { Info, Warning, Error };
    QString key; // e.g. "database/primary", "endpoint/<id>", "schema"
    Severity severity = Severity::Warning;
    QString text;
    QDateTime since; // UTC; shown as "since 14:05"
    QDateTime retryAt; // UTC; when set, the banner counts down "retrying in 8 s"
    QString actionText; // a button, e.g. "Retry now", "Migrate…"; empty = none
    QString actionId; // passed to actionRequested()

    bool operator==(const Notice&) const = default;
};

/// The notices currently shown. Pages, the session and the metrics poller post here; the
/// banner widget only displays it.
class NoticeBoard final : public QObject {
    Q_OBJECT
    Q_DISABLE_COPY(NoticeBoard)
public:
    explicit NoticeBoard(QObject* parent = nullptr);

    /// Adds or replaces the notice with the same key.
    void post(const Notice& notice);
    void clear(const QString& key);
    /// Clears every notice whose key starts with `prefix` (e.g. "endpoint/").
    void clearPrefix(const QString& prefix);
    void clearAll();

    QList<Notice> notices() const { return m_notices; }
    const Notice* find(const QString& key) const;

    /// Called by the banner when the notice's button is pressed.
    void trigger(const QString& key);

Q_SIGNALS:
    void changed();
    void actionRequested(const QString& key, const QString& actionId);

private:
    QList<Notice> m_notices;
};

} // namespace qc::services
