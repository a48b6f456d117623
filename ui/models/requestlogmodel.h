#pragma once

#include "db/requestlog.h"
#include "models/valuetablemodel.h"

#include <QObject>

namespace qc::models {

/// The rows of quota.request_logs that a filter selects, newest first, a page at a time: the
/// view asks canFetchMore()/fetchMore() as it scrolls, the model emits fetchRequested() with
/// the key to continue after, and the page that owns it posts the query and hands the answer
/// back with appendPage(). A 10-million-row table scrolls without being loaded.
class RequestLogModel final : public ValueTableModel<db::RequestLogRow> {
    Q_OBJECT
    Q_DISABLE_COPY(RequestLogModel)
public:
    enum Column {
        Time,
        Decision,
        Status,
        Reason,
        Rule,
        Endpoint,
        Method,
        User,
        Plan,
        Ip,
        Country,
        Cost,
        CheckMs,
        ResponseMs,
        Collision,
        RequestId,
        UserAgent,
        IdempotencyKey,
        ColumnCount
    };

    explicit RequestLogModel(QObject* parent = nullptr);

    /// Starts over with the first page of a new filter (`generation` tags its answers).
    void resetPage(const db::RequestLogPage& page, quint64 generation = 0);
    /// Appends the page asked for by the last fetchRequested(); answers of another
    /// generation are dropped.
    void appendPage(const db::RequestLogPage& page, quint64 generation = 0);
    /// Forgets the outstanding fetch (it failed); scrolling asks again.
    void fetchFailed(quint64 generation = 0);
    /// Empties the model (e.g. while a new filter is being read).
    void clear(quint64 generation = 0);

    bool hasMore() const { return m_hasMore; }
    bool isFetching() const { return m_fetching; }
    quint64 generation() const { return m_generation; }
    /// Pages fetched since the last reset (the first one included).
    int pagesLoaded() const { return m_pages; }

    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

    /// Suggested default widths in pixels per column (no ResizeToContents on this table).
    static int defaultWidth(int column);

Q_SIGNALS:
    /// The view wants more rows: read the page after `after` and appendPage() it.
    void fetchRequested(const qc::db::RequestLogKey& after, quint64 generation);

protected:
    QVariant keyOf(const db::RequestLogRow& row) const override { return row.id; }

private:
    bool m_hasMore = false;
    bool m_fetching = false;
    db::RequestLogKey m_next;
    quint64 m_generation = 0;
    int m_pages = 0;
};

} // namespace qc::models

Q_DECLARE_METATYPE(qc::db::RequestLogKey)
