#pragma once

#include "workbench/policydocument.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QTabWidget;
class QTableView;

namespace qc::workbench {
class PolicyAbuseModel;
class PolicyPlansModel;
class PolicyRulesModel;
class PolicyTableModel;
} // namespace qc::workbench

namespace qc::ui {

class PolicyTextEdit;

/// The candidate policy in two views kept in step: a form (rules table — add, remove, reorder,
/// algorithm, window, limit, mode —, plans and quotas, abuse patterns, top-level settings) and
/// the JSON text. Both edit one PolicyDocument; every problem core/policy finds is listed with
/// its JSON path, marked on its cell and on its line, and a click on it goes there.
class CandidateEditor final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY(CandidateEditor)
public:
    enum Tab { RulesTab, PlansTab, AbuseTab, SettingsTab, JsonTab };

    explicit CandidateEditor(workbench::PolicyDocument* document, QWidget* parent = nullptr);
    ~CandidateEditor() override;

    workbench::PolicyDocument* document() const { return m_document; }
    PolicyTextEdit* textEdit() const { return m_text; }
    QTableView* rulesView() const { return m_rulesView; }
    QTableView* plansView() const { return m_plansView; }
    QTableView* abuseView() const { return m_abuseView; }
    workbench::PolicyRulesModel* rulesModel() const { return m_rules; }
    workbench::PolicyPlansModel* plansModel() const { return m_plans; }
    workbench::PolicyAbuseModel* abuseModel() const { return m_abuse; }
    QTabWidget* tabs() const { return m_tabs; }
    QListWidget* problemList() const { return m_problemList; }
    /// "Valid policy: …" or the first problem, as shown above the editor.
    QString statusText() const;

    /// Sends pending typing of the JSON view to the document.
    void flush();
    /// Goes to problem `i` of the document: its cell in the form, or its line in the JSON view
    /// when the current view cannot show it.
    void showProblem(int i);

private:
    QWidget* tableTab(QTableView* view, workbench::PolicyTableModel* model, bool ordered,
        const QString& addText, const QString& removeText);
    QWidget* settingsTab();
    void documentChanged();
    void updateStatus();

    workbench::PolicyDocument* m_document;
    workbench::PolicyRulesModel* m_rules;
    workbench::PolicyPlansModel* m_plans;
    workbench::PolicyAbuseModel* m_abuse;
    QTabWidget* m_tabs;
    QTableView* m_rulesView;
    QTableView* m_plansView;
    QTableView* m_abuseView;
    PolicyTextEdit* m_text;
    QLabel* m_status;
    QLabel* m_syntaxNote;
    QListWidget* m_problemList;
    struct Setting;
    QList<Setting*> m_settings;
};

} // namespace qc::ui
