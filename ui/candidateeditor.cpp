#include "candidateeditor.h"

#include "choicedelegate.h"
#include "policytextedit.h"
#include "workbench/policyabusemodel.h"
#include "workbench/policyplansmodel.h"
#include "workbench/policyrulesmodel.h"

#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QInputDialog>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QSplitter>
#include <QTabWidget>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qc::ui {

namespace {

const QString kProblemStyle = u"border: 1px solid #c62828; background: #fdeceb;"_s;

} // namespace

// One top-level setting of the Settings tab, bound to its JSON path.
struct CandidateEditor::Setting {
    workbench::JsonPath path;
    QLineEdit* line = nullptr;
    QComboBox* combo = nullptr;
    bool list = false; // a list of strings, edited as "a, b"
    QString hint;
};

CandidateEditor::CandidateEditor(workbench::PolicyDocument* document, QWidget* parent)
    : QWidget(parent)
    , m_document(document)
    , m_rules(new workbench::PolicyRulesModel(document, this))
    , m_plans(new workbench::PolicyPlansModel(document, this))
    , m_abuse(new workbench::PolicyAbuseModel(document, this))
    , m_tabs(new QTabWidget(this))
    , m_rulesView(new QTableView(this))
    , m_plansView(new QTableView(this))
    , m_abuseView(new QTableView(this))
    , m_text(new PolicyTextEdit(document, this))
    , m_status(new QLabel(this))
    , m_syntaxNote(new QLabel(this))
    , m_problemList(new QListWidget(this))
{
    m_rulesView->setObjectName(u"candidateRules"_s);
    m_rulesView->setAccessibleName(tr("Rules"));
    m_plansView->setObjectName(u"candidatePlans"_s);
    m_plansView->setAccessibleName(tr("Plans and quotas"));
    m_abuseView->setObjectName(u"candidateAbuse"_s);
    m_abuseView->setAccessibleName(tr("Abuse patterns"));
    m_problemList->setObjectName(u"candidateProblems"_s);
    m_problemList->setAccessibleName(tr("Problems"));
    m_status->setObjectName(u"candidateStatus"_s);
    m_status->setWordWrap(true);
    m_status->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_syntaxNote->setWordWrap(true);
    m_syntaxNote->setStyleSheet(u"color: #8a5a00;"_s);
    m_syntaxNote->hide();

    m_tabs->addTab(
        tableTab(m_rulesView, m_rules, true, tr("Add rule"), tr("Remove rule")), tr("Rules"));
    m_tabs->addTab(tableTab(m_plansView, m_plans, false, tr("Add plan"), tr("Remove plan")),
        tr("Plans && quotas"));
    m_tabs->addTab(tableTab(m_abuseView, m_abuse, false, tr("Add pattern"), tr("Remove pattern")),
        tr("Abuse patterns"));
    m_tabs->addTab(settingsTab(), tr("Settings"));
    m_tabs->addTab(m_text, tr("JSON"));
    m_tabs->setTabToolTip(JsonTab,
        tr("The candidate as a policy file (docs/policy.md); the form and this text are the same "
           "policy"));
    // Leaving the JSON view hands its text to the form at once.
    connect(m_tabs, &QTabWidget::currentChanged, this, [this] { m_text->flush(); });

    m_problemList->setMaximumHeight(110);
    m_problemList->setToolTip(tr("Click a problem to go to it"));
    connect(m_problemList, &QListWidget::itemActivated, this,
        [this](QListWidgetItem* item) { showProblem(m_problemList->row(item)); });
    connect(m_problemList, &QListWidget::itemClicked, this,
        [this](QListWidgetItem* item) { showProblem(m_problemList->row(item)); });

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_status);
    layout->addWidget(m_syntaxNote);
    layout->addWidget(m_tabs, 1);
    layout->addWidget(m_problemList);

    connect(document, &workbench::PolicyDocument::changed, this, &CandidateEditor::documentChanged);
    documentChanged();
}

CandidateEditor::~CandidateEditor()
{
    qDeleteAll(m_settings);
}

QWidget* CandidateEditor::tableTab(QTableView* view, workbench::PolicyTableModel* model,
    bool ordered, const QString& addText, const QString& removeText)
{
    auto* page = new QWidget(this);
    view->setModel(model);
    view->setItemDelegate(new ChoiceDelegate(view));
    view->setSelectionBehavior(QAbstractItemView::SelectRows);
    view->setSelectionMode(QAbstractItemView::SingleSelection);
    view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
        | QAbstractItemView::AnyKeyPressed | QAbstractItemView::SelectedClicked);
    view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    view->horizontalHeader()->setStretchLastSection(true);
    view->verticalHeader()->setDefaultSectionSize(view->fontMetrics().height() + 8);
    view->setAlternatingRowColors(true);
    view->setWordWrap(false);
    // Widths by what a column holds; the quota columns of plans come and go with the document.
    auto sizeColumns = [view, model] {
        const int digit = view->fontMetrics().horizontalAdvance(u'0');
        for (int c = 0; c < model->columnCount(); ++c) {
            const workbench::PolicyColumn& column = model->columns().at(c);
            int chars = 12;
            switch (column.kind) {
            case workbench::PolicyColumn::Kind::Integer:
            case workbench::PolicyColumn::Kind::Duration:
            case workbench::PolicyColumn::Kind::Money:
            case workbench::PolicyColumn::Kind::Bool:
                chars = 9;
                break;
            case workbench::PolicyColumn::Kind::List:
                chars = 22;
                break;
            case workbench::PolicyColumn::Kind::Choice:
                chars = 15;
                break;
            case workbench::PolicyColumn::Kind::Text:
                chars = c == 0 ? 18 : 16;
                break;
            }
            const int header = view->fontMetrics().horizontalAdvance(column.title) + 24;
            view->setColumnWidth(c, std::max(chars * digit, header));
        }
    };
    connect(model, &QAbstractItemModel::modelReset, view, sizeColumns);
    sizeColumns();

    auto* add = new QPushButton(QIcon::fromTheme(u"list-add"_s), addText, page);
    auto* remove = new QPushButton(QIcon::fromTheme(u"list-remove"_s), removeText, page);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(add);
    buttons->addWidget(remove);
    QPushButton* up = nullptr;
    QPushButton* down = nullptr;
    if (ordered) {
        up = new QPushButton(QIcon::fromTheme(u"go-up"_s), tr("Move up"), page);
        down = new QPushButton(QIcon::fromTheme(u"go-down"_s), tr("Move down"), page);
        up->setToolTip(tr("Rules are evaluated in order; the first denying rule is reported"));
        down->setToolTip(up->toolTip());
        buttons->addWidget(up);
        buttons->addWidget(down);
    }
    if (model == m_plans) {
        auto* metric = new QPushButton(QIcon::fromTheme(u"list-add"_s), tr("Add quota…"), page);
        metric->setToolTip(tr("A quota metric for every plan (unlimited until you set it)"));
        buttons->addWidget(metric);
        connect(metric, &QPushButton::clicked, this, [this] {
            bool ok = false;
            const QString name = QInputDialog::getText(this, tr("Add quota"),
                tr("Metric (as endpoint_metrics names it, e.g. api_calls):"), QLineEdit::Normal, {},
                &ok);
            if (ok && !name.trimmed().isEmpty())
                m_plans->addMetric(name.trimmed());
        });
    }
    buttons->addStretch(1);

    auto currentRow = [view] {
        const QModelIndex current = view->currentIndex();
        return current.isValid() ? current.row() : -1;
    };
    auto select = [view](int row) {
        if (row >= 0 && row < view->model()->rowCount())
            view->setCurrentIndex(view->model()->index(row, 0));
    };
    connect(add, &QPushButton::clicked, this, [model, currentRow, select, view] {
        const int row = currentRow();
        const int added = model->addItem(row < 0 ? -1 : row + 1);
        select(added);
        if (added >= 0)
            view->edit(view->model()->index(added, 0));
    });
    connect(remove, &QPushButton::clicked, this, [model, currentRow, select] {
        const int row = currentRow();
        if (row >= 0 && model->removeItemAt(row))
            select(std::min(row, model->rowCount() - 1));
    });
    if (up) {
        connect(up, &QPushButton::clicked, this, [model, currentRow, select] {
            const int row = currentRow();
            if (row > 0 && model->moveItem(row, row - 1))
                select(row - 1);
        });
        connect(down, &QPushButton::clicked, this, [model, currentRow, select] {
            const int row = currentRow();
            if (row >= 0 && row + 1 < model->rowCount() && model->moveItem(row, row + 1))
                select(row + 1);
        });
    }
    auto updateButtons = [=, this] {
        const bool editable = m_document->isSyntaxValid();
        const int row = currentRow();
        add->setEnabled(editable);
        remove->setEnabled(editable && row >= 0);
        if (up) {
            up->setEnabled(editable && row > 0);
            down->setEnabled(editable && row >= 0 && row + 1 < model->rowCount());
        }
    };
    connect(view->selectionModel(), &QItemSelectionModel::currentChanged, this, updateButtons);
    connect(model, &QAbstractItemModel::modelReset, this, updateButtons);
    connect(m_document, &workbench::PolicyDocument::changed, this, updateButtons);
    updateButtons();

    auto* layout = new QVBoxLayout(page);
    layout->addWidget(view, 1);
    layout->addLayout(buttons);
    return page;
}

QWidget* CandidateEditor::settingsTab()
{
    auto* page = new QWidget(this);
    auto* form = new QFormLayout(page);
    auto addLine = [&](const QString& path, const QString& label, const QString& hint, bool list) {
        auto* s = new Setting;
        s->path = workbench::JsonPath::parse(path);
        s->line = new QLineEdit(page);
        s->line->setObjectName(u"setting_"_s % path);
        s->line->setPlaceholderText(hint);
        s->list = list;
        s->hint = hint;
        form->addRow(label, s->line);
        connect(s->line, &QLineEdit::editingFinished, this, [this, s] {
            const QString text = s->line->text().trimmed();
            QJsonValue value;
            if (text.isEmpty()) {
                value = QJsonValue(QJsonValue::Undefined);
            } else if (s->list) {
                QJsonArray array;
                for (const QString& part : text.split(u',', Qt::SkipEmptyParts))
                    array.append(part.trimmed());
                value = array;
            } else {
                value = text;
            }
            m_document->setValue(s->path, value);
        });
        m_settings.push_back(s);
    };
    auto addCombo = [&](const QString& path, const QString& label, const QStringList& choices,
                        const QString& hint) {
        auto* s = new Setting;
        s->path = workbench::JsonPath::parse(path);
        s->combo = new QComboBox(page);
        s->combo->setObjectName(u"setting_"_s % path);
        s->combo->addItem(tr("(default: %1)").arg(choices.constFirst()), QString());
        for (const QString& choice : choices)
            s->combo->addItem(choice, choice);
        s->combo->setToolTip(hint);
        s->hint = hint;
        form->addRow(label, s->combo);
        connect(s->combo, &QComboBox::activated, this, [this, s] {
            const QString value = s->combo->currentData().toString();
            m_document->setValue(
                s->path, value.isEmpty() ? QJsonValue(QJsonValue::Undefined) : QJsonValue(value));
        });
        m_settings.push_back(s);
    };
    addCombo(u"fail_mode"_s, tr("When the database fails"), { u"open"_s, u"closed"_s },
        tr("open: admit requests live while the quota database is unreachable; closed: deny"));
    addLine(u"default_plan"_s, tr("Default plan"), tr("first plan"), false);
    addLine(u"billing_cycle"_s, tr("Billing cycle"), u"calendar_month"_s, false);
    addLine(u"downgrade_grace"_s, tr("Downgrade grace"), u"7d"_s, false);
    addLine(u"idempotency.ttl"_s, tr("Idempotency key lifetime"), u"24h"_s, false);
    addCombo(u"idempotency.on_conflict"_s, tr("Same key, other request"),
        { u"reject"_s, u"process"_s },
        tr("reject: answer 409 idempotency_conflict; process: decide it as a new request"));
    addLine(u"skip_endpoints"_s, tr("Never limited"), u"/health, /metrics"_s, true);
    addLine(u"trusted_proxies"_s, tr("Trusted proxies"), u"10.0.0.0/8, fd00::/8"_s, true);
    auto* note
        = new QLabel(tr("Endpoint metrics and the cost model are edited in the JSON view."), page);
    note->setWordWrap(true);
    note->setStyleSheet(u"color: palette(placeholder-text);"_s);
    form->addRow(note);
    return page;
}

void CandidateEditor::documentChanged()
{
    const bool editable = m_document->isSyntaxValid();
    m_syntaxNote->setVisible(!editable);
    if (!editable)
        m_syntaxNote->setText(tr("The JSON text has a syntax error; the form shows the last "
                                 "readable version and is read-only until the text is fixed."));
    for (Setting* s : std::as_const(m_settings)) {
        const QJsonValue value = m_document->value(s->path);
        const QStringList problems = [&] {
            QStringList messages;
            for (const workbench::DocumentProblem& p : m_document->problems()) {
                if (!p.syntax && p.path.startsWith(s->path))
                    messages.push_back(p.toString());
            }
            return messages;
        }();
        QWidget* editor = s->line ? static_cast<QWidget*>(s->line) : s->combo;
        editor->setEnabled(editable);
        editor->setStyleSheet(problems.isEmpty() ? QString() : kProblemStyle);
        editor->setToolTip(problems.isEmpty() ? s->hint : problems.join(u'\n'));
        if (s->line && !s->line->hasFocus()) {
            QString text;
            if (value.isArray()) {
                QStringList parts;
                for (const QJsonValue& v : value.toArray())
                    parts.push_back(v.toString());
                text = parts.join(u", "_s);
            } else if (value.isDouble()) {
                text = QString::number(value.toInteger());
            } else {
                text = value.toString();
            }
            s->line->setText(text);
        } else if (s->combo) {
            const int at = s->combo->findData(value.toString());
            s->combo->setCurrentIndex(at >= 0 ? at : 0);
        }
    }
    updateStatus();
}

void CandidateEditor::updateStatus()
{
    m_problemList->clear();
    const QList<workbench::DocumentProblem>& problems = m_document->problems();
    for (const workbench::DocumentProblem& p : problems) {
        auto* item = new QListWidgetItem(QIcon::fromTheme(u"dialog-error"_s), p.toString());
        item->setToolTip(p.toString());
        m_problemList->addItem(item);
    }
    m_problemList->setVisible(!problems.isEmpty());
    if (problems.isEmpty()) {
        const enforcement::Policy& p = *m_document->policy();
        m_status->setStyleSheet(u"color: #2e7d32;"_s);
        m_status->setText(
            tr("Valid policy: %n rule(s), ", nullptr, static_cast<int>(p.rules.size()))
            % tr("%n plan(s), ", nullptr, static_cast<int>(p.plans.size()))
            % tr("%n abuse pattern(s).", nullptr, static_cast<int>(p.abuse.size())));
    } else {
        m_status->setStyleSheet(u"color: #b3261e;"_s);
        m_status->setText(tr("Not a valid policy (%n problem(s)); it cannot be simulated or "
                             "rolled out until fixed.",
            nullptr, static_cast<int>(problems.size())));
    }
}

QString CandidateEditor::statusText() const
{
    return m_status->text();
}

void CandidateEditor::flush()
{
    m_text->flush();
}

void CandidateEditor::showProblem(int i)
{
    const QList<workbench::DocumentProblem>& problems = m_document->problems();
    if (i < 0 || i >= problems.size())
        return;
    const workbench::DocumentProblem& problem = problems.at(i);
    if (!problem.syntax && m_tabs->currentIndex() != JsonTab) {
        const std::pair<QTableView*, workbench::PolicyTableModel*> tables[]
            = { { m_rulesView, m_rules }, { m_plansView, m_plans }, { m_abuseView, m_abuse } };
        for (const auto& [view, model] : tables) {
            const QModelIndex cell = model->indexOfPath(problem.path);
            if (cell.isValid()) {
                m_tabs->setCurrentWidget(view->parentWidget());
                view->setCurrentIndex(cell);
                view->scrollTo(cell);
                view->setFocus();
                return;
            }
        }
        for (Setting* s : std::as_const(m_settings)) {
            if (problem.path.startsWith(s->path)) {
                m_tabs->setCurrentIndex(SettingsTab);
                (s->line ? static_cast<QWidget*>(s->line) : s->combo)->setFocus();
                return;
            }
        }
    }
    m_tabs->setCurrentIndex(JsonTab);
    m_text->showProblem(problem);
}

} // namespace qc::ui
