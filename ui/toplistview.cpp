#include "toplistview.h"

#include "models/toplistfilterproxy.h"
#include "models/toplistmodel.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;

TopListView::TopListView(models::TopListModel* model, QWidget* parent)
    : QWidget(parent)
    , m_model(model)
    , m_proxy(new models::TopListFilterProxy(this))
    , m_filter(new QLineEdit(this))
    , m_table(new QTableView(this))
    , m_investigate(new QPushButton(tr("Investigate"), this))
    , m_debounce(new QTimer(this))
{
    m_proxy->setSourceModel(model);
    m_filter->setObjectName(u"filter"_s);
    m_filter->setClearButtonEnabled(true);
    m_filter->setPlaceholderText(
        tr("Filter by %1…")
            .arg(model->headerData(models::TopListModel::Identifier, Qt::Horizontal)
                     .toString()
                     .toLower()));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(models::TopListModel::Requests, Qt::DescendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_table->horizontalHeader()->setSectionResizeMode(
        models::TopListModel::Identifier, QHeaderView::Stretch);
    m_table->horizontalHeader()->setDefaultSectionSize(96);
    m_table->setMinimumHeight(220);
    m_investigate->setEnabled(false);
    m_investigate->setToolTip(tr("Look into the selected row's requests, blocks and collisions"));

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_filter, &QLineEdit::textChanged, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, [this] { m_proxy->setText(m_filter->text()); });
    connect(m_table, &QTableView::activated, this,
        [this](const QModelIndex& index) { activateRow(index.row()); });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
        [this](const QModelIndex& current) { m_investigate->setEnabled(current.isValid()); });
    connect(m_investigate, &QPushButton::clicked, this, [this] {
        const QModelIndex current = m_table->currentIndex();
        if (current.isValid())
            activateRow(current.row());
    });

    auto* bar = new QHBoxLayout;
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_investigate);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 4, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_table, 1);
}

void TopListView::activateRow(int row)
{
    const QModelIndex index = m_proxy->index(row, models::TopListModel::Identifier);
    if (!index.isValid())
        return;
    Q_EMIT identifierActivated(
        m_model->kind(), index.data(models::TopListModel::IdentifierRole).toString());
}

} // namespace qc::ui
