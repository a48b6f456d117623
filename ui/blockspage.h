#pragma once

#include "db/adminviews.h"
#include "services/actionrunner.h"
#include "ui/blockdialog.h"
#include "ui/page.h"
#include "ui/pageregistry.h"

class QCheckBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;
class QTimer;

namespace qc::models {
class BlockModel;
class TextFilterProxyModel;
} // namespace qc::models

namespace qc::ui {

/// Blocks (docs/investigation.md "Blocks"): every block in force (or all of them), with the
/// incident that made an automatic one; block an IP, network or user for a while or for good,
/// and unblock one or several selected rows — each through quota.block / quota.unblock with a
/// reason, audited.
class BlocksPage final : public Page {
    Q_OBJECT
    Q_DISABLE_COPY(BlocksPage)
public:
    explicit BlocksPage(const PageContext& context, QWidget* parent = nullptr);
    ~BlocksPage() override;

    static PageDescriptor descriptor();
    void activated() override;

    void refresh();
    models::BlockModel* model() const { return m_model; }
    QTableView* view() const { return m_view; }
    /// Ids of the selected rows.
    QList<qint64> selectedIds() const;
    void selectIds(const QList<qint64>& ids);
    QString lastMessage() const;
    services::ActionRunner* runner() const { return m_runner; }

    /// What "Block…" does once the dialog is filled in: one audited block per target.
    void block(const BlockRequest& request);
    /// What "Unblock…" does once a reason is given: one audited unblock per block id, each
    /// with the version this page showed.
    void unblock(const QList<qint64>& blockIds, const QString& reason);
    /// Runs again the actions whose outcome was unknown, with their client action ids.
    void retryUnknown();

    /// Opens the block dialog for `targets` (empty: typed in), then blocks.
    void openBlockDialog(const QList<BlockTarget>& targets = {});

Q_SIGNALS:
    void refreshed();
    void actionsFinished(const QList<qc::services::ActionOutcome>& outcomes);

private:
    void runActions(const QList<services::PendingAction>& actions);
    void showOutcomes(const QList<services::ActionOutcome>& outcomes);
    void openUnblockDialog();
    void updateButtons();

    services::ActionRunner* m_runner;
    models::BlockModel* m_model;
    models::TextFilterProxyModel* m_proxy;
    QTableView* m_view;
    QCheckBox* m_showEnded;
    QLineEdit* m_filter;
    QPushButton* m_block;
    QPushButton* m_unblock;
    QPushButton* m_retry;
    QLabel* m_message;
    QTimer* m_debounce;
    QList<services::PendingAction> m_unknown;
    bool m_loaded = false;
};

} // namespace qc::ui
