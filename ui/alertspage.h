#pragma once

#include "services/alertmonitor.h"
#include "ui/page.h"
#include "ui/pageregistry.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace qc::models {
class AlertModel;
class AlertStateProxyModel;
class TextFilterProxyModel;
} // namespace qc::models

namespace qc::ui {

/// Alerts (docs/investigation.md "Alerts"): one list of the quota database's alerts and, when
/// the profile names one, Alertmanager's; acknowledge with a note (in the database, and in
/// Alertmanager as a silence with the note, until the alert resolves or a chosen time) and
/// take an acknowledgement back.
class AlertsPage final : public Page {
    Q_OBJECT
    Q_DISABLE_COPY(AlertsPage)
public:
    explicit AlertsPage(const PageContext& context, QWidget* parent = nullptr);
    ~AlertsPage() override;

    static PageDescriptor descriptor();
    void activated() override;
    void deactivated() override;

    services::AlertMonitor* monitor() const { return m_monitor; }
    models::AlertModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    /// Selects the alert with `key` (a notification's click lands here), showing resolved
    /// ones too when needed.
    bool select(const QString& key);
    QString selectedKey() const;
    QString lastMessage() const;

    /// What "Acknowledge…" does once the note is written: `until` null = until it resolves.
    void acknowledge(const QString& key, const QString& note, const QDateTime& until);
    /// What "Un-acknowledge…" does.
    void unacknowledge(const QString& key, const QString& note);

Q_SIGNALS:
    void actionFinished(const qc::services::AlertActionOutcome& outcome);

private:
    void onSnapshot(const services::AlertSnapshot& snapshot);
    void updateButtons();
    void showDetails();
    void openAcknowledgeDialog();
    void openUnacknowledgeDialog();
    const services::AlertItem* current() const;

    services::AlertMonitor* m_monitor;
    models::AlertModel* m_model;
    models::AlertStateProxyModel* m_stateProxy;
    models::TextFilterProxyModel* m_textProxy;
    QTableView* m_view;
    QCheckBox* m_showResolved;
    QCheckBox* m_notify;
    QLineEdit* m_filter;
    QPushButton* m_ack;
    QPushButton* m_unack;
    QLabel* m_sources;
    QLabel* m_message;
    QPlainTextEdit* m_details;
    QTimer* m_debounce;
    QString m_pendingSelect;
};

} // namespace qc::ui
