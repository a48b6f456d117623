#pragma once

#include "db/requestlog.h"
#include "services/investigationtarget.h"

#include <QPointer>
#include <QWidget>

class QLabel;
class QTableView;

namespace qc::services {
class Session;
}

namespace qc::models {
class RequestLogModel;
}

namespace qc::ui {

/// A table of request_logs rows that a filter selects, paged from the reader as it scrolls
/// (keyset on (ts, id), RequestLogModel::fetchMore). Used by the Requests page and the
/// Investigate page's timeline. Headers are resized by hand, never to contents.
class RequestLogView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(RequestLogView)
public:
    RequestLogView(services::Session* session, const QString& channel, QWidget* parent = nullptr);
    ~RequestLogView() override;

    /// Shows the first page of `filter` (read from the database).
    void setFilter(const db::RequestLogFilter& filter, int pageRows = 200);
    /// Shows a first page read elsewhere (the investigation reads it with its timeline).
    void showFirstPage(const db::RequestLogFilter& filter, const db::RequestLogPage& page);
    const db::RequestLogFilter& filter() const { return m_filter; }
    void clear();

    models::RequestLogModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    /// The rows selected in the view.
    QList<db::RequestLogRow> selectedRows() const;
    /// The last error (a failed page), empty when fine.
    QString error() const { return m_error; }

Q_SIGNALS:
    void investigateRequested(const qc::services::InvestigationTarget& target);
    /// A page arrived (the first or a later one).
    void pageLoaded(int rows, qint64 queryMs);
    void failed(const QString& error);

private:
    void fetchPage(const db::RequestLogKey& after, quint64 generation);
    void showMenu(const QPoint& pos);
    void updateStatus();

    QPointer<services::Session> m_session;
    QString m_channel;
    models::RequestLogModel* m_model;
    QTableView* m_view;
    QLabel* m_status;
    db::RequestLogFilter m_filter;
    int m_pageRows = 200;
    quint64 m_generation = 0;
    QString m_error;
    qint64 m_lastQueryMs = 0;
};

} // namespace qc::ui
