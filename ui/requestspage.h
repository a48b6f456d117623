#pragma once

#include "db/requestlog.h"
#include "ui/page.h"
#include "ui/pageregistry.h"

#include <QPointer>

#include <atomic>
#include <memory>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTimer;

namespace qc::services {
class DatabaseWorker;
}

namespace qc::ui {

class RequestLogView;
class TimeRangeSelector;

/// The request log (docs/investigation.md "Requests"): quota.request_logs filtered on the
/// server by time, identifier, endpoint, status, decision, reason and rule — every value a
/// bound parameter — paged as the table scrolls, and exported to CSV on a connection of its
/// own with progress and cancel.
class RequestsPage final : public Page {
    Q_OBJECT
    Q_DISABLE_COPY(RequestsPage)
public:
    explicit RequestsPage(const PageContext& context, QWidget* parent = nullptr);
    ~RequestsPage() override;

    static PageDescriptor descriptor();

    void activated() override;
    void investigate(const services::InvestigationTarget& target) override;

    /// The filter the form describes (time range from the selector).
    db::RequestLogFilter currentFilter() const;
    /// Fills the form from `filter` and applies it.
    void setFilter(const db::RequestLogFilter& filter);
    /// Reads the first page of the form's filter (what typing does after a pause).
    void applyFilter();
    RequestLogView* logView() const { return m_log; }
    /// What the form says is wrong with the filter, empty when fine.
    QString filterProblem() const;

    /// Exports the current filter's rows to `path` (what "Export CSV…" does after asking for
    /// the file). One export at a time.
    void startExport(const QString& path);
    void cancelExport();
    bool isExporting() const { return m_exporting; }

Q_SIGNALS:
    void exportProgress(qint64 rows, double fraction);
    void exportFinished(const qc::db::ExportResult& result, const QString& path);

private:
    void scheduleApply();
    void chooseExportFile();
    void finishExport(const db::ExportResult& result, const QString& path);
    void pollExport();

    struct ExportState {
        std::atomic_bool cancel { false };
        std::atomic<qint64> rows { 0 };
        std::atomic<int> permille { 0 };
    };

    TimeRangeSelector* m_range;
    QLineEdit* m_identifier;
    QLineEdit* m_endpoint;
    QLineEdit* m_status;
    QComboBox* m_decision;
    QComboBox* m_reason;
    QLineEdit* m_rule;
    QLineEdit* m_requestId;
    QLabel* m_problem;
    QPushButton* m_export;
    QWidget* m_exportBar;
    QProgressBar* m_exportProgress;
    QLabel* m_exportLabel;
    QPushButton* m_exportCancel;
    RequestLogView* m_log;
    QTimer* m_debounce;
    QTimer* m_exportPoll;
    bool m_applied = false;
    bool m_exporting = false;
    QString m_exportPath;
    qint64 m_lastExportRows = -1;
    std::unique_ptr<services::DatabaseWorker> m_exportWorker;
    std::shared_ptr<ExportState> m_exportState;
};

} // namespace qc::ui

Q_DECLARE_METATYPE(qc::db::ExportResult)
