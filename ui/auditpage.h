#pragma once

#include "db/adminviews.h"
#include "ui/page.h"
#include "ui/pageregistry.h"

#include <optional>

class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QTableView;
class QTimer;

namespace qc::models {
class AuditModel;
class JsonDiffModel;
} // namespace qc::models

namespace qc::ui {

/// The audit log (docs/investigation.md "Audit"): who did what, when and why, with the
/// before/after of each action as a field-by-field difference, and the hash chain checked by
/// quota.verify_audit_chain() — a row that was edited, deleted or forged shows a warning that
/// cannot be missed.
class AuditPage final : public Page {
    Q_OBJECT
    Q_DISABLE_COPY(AuditPage)
public:
    explicit AuditPage(const PageContext& context, QWidget* parent = nullptr);
    ~AuditPage() override;

    static PageDescriptor descriptor();
    void activated() override;

    void refresh();
    models::AuditModel* model() const { return m_model; }
    models::JsonDiffModel* diffModel() const { return m_diff; }
    QTableView* view() const { return m_view; }
    /// Whether the last check found the chain intact (nullopt before the first check).
    std::optional<bool> chainIntact() const { return m_intact; }
    /// The text of the chain banner.
    QString chainText() const;
    /// Shows the entry with `id` in the detail pane (what selecting its row does).
    void showEntry(qint64 id);

Q_SIGNALS:
    void refreshed();

private:
    void fetchMore(qint64 beforeId, quint64 generation);
    db::AuditFilter filter() const;
    void showChain(const db::AuditPage& page);

    QLabel* m_chain;
    QLineEdit* m_actor;
    QLineEdit* m_action;
    QLineEdit* m_target;
    models::AuditModel* m_model;
    models::JsonDiffModel* m_diff;
    QTableView* m_view;
    QTableView* m_diffView;
    QPlainTextEdit* m_detail;
    QLabel* m_message;
    QTimer* m_debounce;
    quint64 m_generation = 0;
    std::optional<bool> m_intact;
};

} // namespace qc::ui
