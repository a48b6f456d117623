#include "blockspage.h"

#include "models/blockmodel.h"
#include "models/textfilterproxymodel.h"
#include "services/databaseworker.h"
#include "services/session.h"
#include "ui/reasondialog.h"
#include "ui/reconnectrefresh.h"
#include "ui/roleguard.h"
#include "ui/tablesetup.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace qc::ui {

using namespace Qt::StringLiterals;
using services::ActionOutcome;
using services::ActionRunner;
using services::PendingAction;

BlocksPage::BlocksPage(const PageContext& context, QWidget* parent)
    : Page(context, parent)
    , m_runner(new ActionRunner(context.session, this))
    , m_model(new models::BlockModel(this))
    , m_proxy(new models::TextFilterProxyModel(this))
    , m_view(new QTableView(this))
    , m_showEnded(new QCheckBox(tr("Show ended and lifted blocks"), this))
    , m_filter(new QLineEdit(this))
    , m_block(new QPushButton(tr("Block…"), this))
    , m_unblock(new QPushButton(tr("Unblock…"), this))
    , m_retry(new QPushButton(tr("Retry"), this))
    , m_message(new QLabel(this))
    , m_debounce(new QTimer(this))
{
    m_proxy->setSourceModel(m_model);
    m_view->setObjectName(u"blocksTable"_s);
    m_view->setAccessibleName(tr("Blocks"));
    m_view->setModel(m_proxy);
    setUpTable(m_view, { 70, 200, 80, 150, 150, 260, 70, 220, 120, 180 });
    m_view->setSortingEnabled(true);
    m_view->sortByColumn(models::BlockModel::From, Qt::DescendingOrder);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_filter->setObjectName(u"blocksFilter"_s);
    m_filter->setAccessibleName(tr("Filter blocks"));
    m_filter->setPlaceholderText(tr("Filter the list"));
    m_filter->setClearButtonEnabled(true);
    m_block->setObjectName(u"blockButton"_s);
    m_unblock->setObjectName(u"unblockButton"_s);
    m_retry->setObjectName(u"retryButton"_s);
    m_retry->setVisible(false);
    m_message->setObjectName(u"blocksMessage"_s);
    m_message->setWordWrap(true);
    m_message->setTextInteractionFlags(Qt::TextSelectableByMouse);
    RoleGuard::require(m_block, context.session, db::QuotaRole::Operator,
        tr("Block an IP address, a network or a user"));
    RoleGuard::require(
        m_unblock, context.session, db::QuotaRole::Operator, tr("Lift the selected blocks"));

    auto* refresh = new QPushButton(tr("Refresh"), this);
    auto* bar = new QHBoxLayout;
    bar->addWidget(m_block);
    bar->addWidget(m_unblock);
    bar->addSpacing(12);
    bar->addWidget(m_filter, 1);
    bar->addWidget(m_showEnded);
    bar->addWidget(refresh);
    auto* messageRow = new QHBoxLayout;
    messageRow->addWidget(m_message, 1);
    messageRow->addWidget(m_retry);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(new QLabel(tr("<h2>Blocks</h2>"), this));
    layout->addLayout(bar);
    layout->addLayout(messageRow);
    layout->addWidget(m_view, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(250);
    connect(m_filter, &QLineEdit::textEdited, m_debounce, qOverload<>(&QTimer::start));
    connect(m_debounce, &QTimer::timeout, this, [this] { m_proxy->setText(m_filter->text()); });
    connect(m_showEnded, &QCheckBox::toggled, this, &BlocksPage::refresh);
    connect(refresh, &QPushButton::clicked, this, &BlocksPage::refresh);
    connect(m_block, &QPushButton::clicked, this, [this] { openBlockDialog(); });
    connect(m_unblock, &QPushButton::clicked, this, &BlocksPage::openUnblockDialog);
    connect(m_retry, &QPushButton::clicked, this, &BlocksPage::retryUnknown);
    connect(m_runner, &ActionRunner::progress, this,
        [this](const QString& t) { m_message->setText(t); });
    connect(m_view->selectionModel(), &QItemSelectionModel::selectionChanged, this,
        &BlocksPage::updateButtons);
    connect(m_view, &QTableView::doubleClicked, this, [this](const QModelIndex& index) {
        const db::BlockRow* b = m_model->rowAt(m_proxy->mapToSource(index).row());
        if (!b)
            return;
        services::InvestigationTarget t;
        t.kind = b->target == u"user" ? services::InvestigationTarget::Kind::User
                                      : services::InvestigationTarget::Kind::Ip;
        t.value = b->value;
        t.from = b->from.addSecs(-3600);
        t.to = session()->now();
        t.origin = u"blocks/table"_s;
        Q_EMIT investigateRequested(t);
    });
    updateButtons();
    refreshWhenConnected(this, [this] { this->refresh(); });
}

BlocksPage::~BlocksPage() = default;

PageDescriptor BlocksPage::descriptor()
{
    return pageDescriptorOf<BlocksPage>(u"blocks"_s, tr("Blocks"),
        tr("Blocked IP addresses, networks and users; block and unblock"), u"security-high"_s, 60);
}

void BlocksPage::activated()
{
    refresh();
}

void BlocksPage::refresh()
{
    if (!session() || !session()->reader())
        return;
    db::BlockFilter f;
    f.includeEnded = m_showEnded->isChecked();
    const QList<qint64> keep = selectedIds();
    session()->reader()->post<db::BlockList>(
        u"blocks/list"_s, this, [f](QSqlDatabase& db) { return db::readBlocks(db, f); },
        [this, keep](const services::JobOutcome<db::BlockList>& o) {
            const QString error = readProblem(o.ran(), o.error, o.value.error);
            if (!error.isEmpty()) {
                m_message->setText(tr("Could not read the blocks: %1").arg(error));
                return;
            }
            if (m_message->text().startsWith(tr("Could not read the blocks")))
                m_message->clear();
            m_model->resetData(o.value.blocks, o.value.readAt);
            m_loaded = true;
            selectIds(keep);
            updateButtons();
            Q_EMIT refreshed();
        });
}

QList<qint64> BlocksPage::selectedIds() const
{
    QList<qint64> ids;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows())
        if (const db::BlockRow* b = m_model->rowAt(m_proxy->mapToSource(i).row()))
            ids << b->id;
    return ids;
}

void BlocksPage::selectIds(const QList<qint64>& ids)
{
    QItemSelection selection;
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (ids.contains(m_model->rows().at(r).id)) {
            const QModelIndex i = m_proxy->mapFromSource(m_model->index(r, 0));
            if (i.isValid())
                selection.select(i, i);
        }
    }
    m_view->selectionModel()->select(
        selection, QItemSelectionModel::ClearAndSelect | QItemSelectionModel::Rows);
}

QString BlocksPage::lastMessage() const
{
    return m_message->text();
}

void BlocksPage::updateButtons()
{
    bool anyActive = false;
    for (const QModelIndex& i : m_view->selectionModel()->selectedRows())
        if (const db::BlockRow* b = m_model->rowAt(m_proxy->mapToSource(i).row()))
            anyActive |= !b->unblockedAt.isValid();
    if (session()->hasRole(db::QuotaRole::Operator)) {
        m_unblock->setEnabled(anyActive);
        m_unblock->setToolTip(
            anyActive ? tr("Lift the selected blocks") : tr("Select the blocks to lift"));
    }
}

void BlocksPage::openBlockDialog(const QList<BlockTarget>& targets)
{
    auto* dialog = new BlockDialog(targets, session()->now(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, [this, dialog] { block(dialog->request()); });
    dialog->open();
}

void BlocksPage::openUnblockDialog()
{
    const QList<qint64> ids = selectedIds();
    if (ids.isEmpty())
        return;
    auto* dialog = new ReasonDialog(tr("Unblock"),
        tr("Lift %n block(s)? Requests from these identifiers are admitted again (subject to "
           "the rate limits).",
            nullptr, int(ids.size())),
        tr("Unblock"), true, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(
        dialog, &QDialog::accepted, this, [this, dialog, ids] { unblock(ids, dialog->reason()); });
    dialog->open();
}

void BlocksPage::block(const BlockRequest& request)
{
    QList<PendingAction> actions;
    for (const BlockTarget& t : request.targets) {
        const QString target = t.target;
        const QString value = t.value.trimmed();
        const QString reason = request.reason;
        const QDateTime until = request.until;
        actions << ActionRunner::prepare(tr("Block %1 %2").arg(target, value),
            [target, value, reason, until](db::AdminActions& a, const QString& id) {
                return a.block(id, target, value, reason, until);
            });
    }
    runActions(actions);
}

void BlocksPage::unblock(const QList<qint64>& blockIds, const QString& reason)
{
    QList<PendingAction> actions;
    for (const qint64 id : blockIds) {
        const db::BlockRow* row = nullptr;
        for (const db::BlockRow& b : m_model->rows())
            if (b.id == id)
                row = &b;
        const std::optional<qint64> version
            = row ? std::optional<qint64>(row->version) : std::nullopt;
        const QString what = row ? row->target + u' ' + row->value : QString::number(id);
        actions << ActionRunner::prepare(tr("Unblock %1").arg(what),
            [id, version, reason](db::AdminActions& a, const QString& clientId) {
                return a.unblock(clientId, id, version, reason);
            });
    }
    runActions(actions);
}

void BlocksPage::retryUnknown()
{
    const QList<PendingAction> again = m_unknown;
    m_unknown.clear();
    m_retry->setVisible(false);
    runActions(again);
}

void BlocksPage::runActions(const QList<PendingAction>& actions)
{
    if (actions.isEmpty())
        return;
    m_message->setText(tr("Working on %n action(s)…", nullptr, int(actions.size())));
    m_runner->runAll(actions, this, [this, actions](const QList<ActionOutcome>& outcomes) {
        m_unknown.clear();
        for (int i = 0; i < outcomes.size(); ++i)
            if (outcomes.at(i).status == ActionOutcome::Status::Unknown)
                m_unknown << actions.at(i); // retried with the same client action id
        showOutcomes(outcomes);
        refresh();
        Q_EMIT actionsFinished(outcomes);
    });
}

void BlocksPage::showOutcomes(const QList<ActionOutcome>& outcomes)
{
    QStringList lines;
    int applied = 0;
    for (const ActionOutcome& o : outcomes) {
        if (o.applied())
            ++applied;
        else
            lines << o.message;
    }
    if (lines.isEmpty()) {
        m_message->setStyleSheet(QString());
        m_message->setText(outcomes.size() == 1 ? outcomes.first().message
                                                : tr("%n action(s) done.", nullptr, applied));
    } else {
        m_message->setStyleSheet(u"color: #c62828"_s);
        if (applied > 0)
            lines.prepend(tr("%n action(s) done; these were not:", nullptr, applied));
        m_message->setText(lines.join(u'\n'));
    }
    m_retry->setVisible(!m_unknown.isEmpty());
    Q_EMIT statusMessage(m_message->text().section(u'\n', 0, 0));
}

} // namespace qc::ui
