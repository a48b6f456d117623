#include "rolloutdialog.h"

#include "workbench/policychangemodel.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace qc::ui {

RolloutDialog::RolloutDialog(const QString& title, const QString& intro,
    const QList<policy::PolicyChange>& changes, const QString& warning, const QString& acceptText,
    QWidget* parent)
    : QDialog(parent)
    , m_reason(new QPlainTextEdit(this))
    , m_buttons(new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this))
{
    setObjectName(u"rolloutDialog"_s);
    setWindowTitle(title);
    setModal(true);
    resize(640, 480);
    auto* layout = new QVBoxLayout(this);
    auto* introLabel = new QLabel(intro, this);
    introLabel->setWordWrap(true);
    layout->addWidget(introLabel);

    auto* model = new workbench::PolicyChangeModel(this);
    model->resetData(changes);
    model->setTitles(tr("Active now"), tr("After"));
    auto* view = new QTableView(this);
    view->setModel(model);
    view->verticalHeader()->hide();
    view->horizontalHeader()->setStretchLastSection(true);
    view->setColumnWidth(workbench::PolicyChangeModel::Path, 240);
    view->setColumnWidth(workbench::PolicyChangeModel::Before, 160);
    view->setEditTriggers(QAbstractItemView::NoEditTriggers);
    layout->addWidget(
        new QLabel(changes.isEmpty() ? tr("It decides every request as the active version does.")
                                     : tr("What changes from the active version:"),
            this));
    if (!changes.isEmpty())
        layout->addWidget(view, 1);
    else
        view->hide();

    if (!warning.isEmpty()) {
        auto* warn = new QLabel(warning, this);
        warn->setWordWrap(true);
        warn->setStyleSheet(u"color: #8a5a00; font-weight: bold;"_s);
        layout->addWidget(warn);
    }
    layout->addWidget(new QLabel(tr("Why (recorded in the audit log; required):"), this));
    m_reason->setObjectName(u"rolloutReason"_s);
    m_reason->setPlaceholderText(tr("e.g. Halve the per-minute limit: bot bursts cost $40 a day "
                                    "(simulated on last week's traffic, no paid customer "
                                    "affected)"));
    m_reason->setMaximumHeight(90);
    layout->addWidget(m_reason);
    m_buttons->button(QDialogButtonBox::Ok)->setText(acceptText);
    m_buttons->button(QDialogButtonBox::Ok)->setEnabled(false);
    layout->addWidget(m_buttons);
    connect(m_reason, &QPlainTextEdit::textChanged, this,
        [this] { m_buttons->button(QDialogButtonBox::Ok)->setEnabled(!reason().isEmpty()); });
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
}

QString RolloutDialog::reason() const
{
    return m_reason->toPlainText().trimmed();
}

void RolloutDialog::setReason(const QString& reason)
{
    m_reason->setPlainText(reason);
}

} // namespace qc::ui
